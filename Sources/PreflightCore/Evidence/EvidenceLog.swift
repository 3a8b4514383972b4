#if canImport(Glibc)
    import Glibc
#endif

/// Appends evidence records to a `.jsonl` file, as `preflight evidence add`
/// and `import` do: whole lines only, under an exclusive lock, never
/// rewriting or truncating what is there, and never writing a record the
/// file already holds (docs/format.md, "`preflight evidence add`").
public enum EvidenceLog {
    public struct Outcome: Sendable, Equatable {
        /// Records written.
        public var written: Int
        /// Records left out because the file already held them.
        public var already: Int
    }

    /// Appends `records` to the file at `path` (creating it, and its
    /// folders, when missing). A target that is not an evidence file (a line
    /// that cannot be read), a link, or not a regular file is refused with
    /// errors in `diagnostics`, and nothing is written.
    public static func append(
        _ records: [EvidenceRecord], to path: String, diagnostics: inout DiagnosticList
    ) -> Outcome? {
        let display = EvidenceFiles.displayPath(path)
        guard path.hasSuffix(".jsonl") else {
            diagnostics.error(
                "evidence files end in `.jsonl`, not \(path)", at: SourceLocation(path: display),
                hint: "for example `--to evidence/ci.jsonl`")
            return nil
        }
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        // Missing folders are made, shallowest first.
        var missing: [String] = []
        var parent = folder
        while FileSystem.kind(parent) == nil {
            missing.append(parent)
            guard let slash = parent.lastIndex(of: "/"), slash != parent.startIndex else { break }
            parent = String(parent[..<slash])
        }
        for path in missing.reversed() where mkdir(path, 0o755) != 0 && errno != EEXIST {
            diagnostics.error("cannot create \(path): \(FileSystem.errorText())", at: SourceLocation(path: display))
            return nil
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0o644)
        guard fd >= 0 else {
            let reason = errno == ELOOP ? "it is a symbolic link; Preflight does not follow links" : FileSystem.errorText()
            diagnostics.error("cannot write \(path): \(reason)", at: SourceLocation(path: display))
            return nil
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_nlink == 1 else {
            diagnostics.error(
                "cannot write \(path): not a regular file with one link", at: SourceLocation(path: display),
                hint: "evidence is appended to a plain `.jsonl` file")
            return nil
        }
        // One writer at a time: parallel CI jobs appending to one file.
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(fd, LOCK_UN) }

        // What the file holds, read as a build reads it: it must be evidence.
        var found = DiagnosticList()
        let collector = EvidenceFiles.read(
            [EvidenceFiles.Source(root: folder, relative: name, display: display)], buildDate: nil, diagnostics: &found)
        let problems = found.items.filter { $0.severity == .error }
        guard problems.isEmpty else {
            diagnostics.append(contentsOf: problems)
            diagnostics.error(
                "\(path) holds lines that are not evidence records; nothing was written", at: SourceLocation(path: display),
                hint: "append to a `.jsonl` file of records, or fix the lines reported in it")
            return nil
        }
        var lines = ""
        var outcome = Outcome(written: 0, already: 0)
        var seen: Set<String> = []
        for record in records {
            let kept = collector.kept[record.service]?[record.check]?[record.day]
            let key = record.service + "\u{0}" + record.check + "\u{0}" + "\(record.at.seconds).\(record.at.nanoseconds)"
            if kept.map({ $0.says(sameAs: record) }) ?? false || !seen.insert(key).inserted {
                outcome.already += 1
                continue
            }
            lines += record.line + "\n"
            outcome.written += 1
        }
        guard !lines.isEmpty else { return outcome }
        // A file whose last line has no line break gets one first. Its size
        // is taken again under the lock: another writer may have appended
        // since the check above.
        guard fstat(fd, &info) == 0 else {
            diagnostics.error("cannot write \(path): \(FileSystem.errorText())", at: SourceLocation(path: display))
            return nil
        }
        let size = Int(info.st_size)
        if size > 0 {
            var last: UInt8 = 0
            let reader = Glibc.open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            if reader >= 0 {
                _ = pread(reader, &last, 1, off_t(size - 1))
                close(reader)
            }
            if last != 0x0A { lines = "\n" + lines }
        }
        do throws(FileSystem.Failure) { try FileSystem.write(Array(lines.utf8), to: fd) } catch {
            diagnostics.error("cannot write \(path): \(error.reason)", at: SourceLocation(path: display))
            return nil
        }
        return outcome
    }
}
