/// Finds and reads evidence files: `.jsonl` files under the site's
/// `evidence/` folder and every `--evidence` path (docs/format.md, "Where
/// records are read from"). Files are read in pieces, a line at a time.
public enum EvidenceFiles {
    static let folder = "evidence"
    static let maxLineBytes = 64 << 10
    static let maxDepth = 8
    private static let chunkBytes = 1 << 20

    /// A file to read: where it is, and the path diagnostics name it by.
    struct Source: Sendable {
        /// The folder `relative` is opened in (links below it are refused).
        var root: String
        var relative: String
        /// A site path (`evidence/ci.jsonl`), or a path as typed on the command line.
        var display: String
    }

    /// The files to read, in order: the site's `evidence/`, then each extra
    /// path as given. Problems with the folders are reported.
    static func sources(siteDirectory: String, extra: [String], diagnostics: inout DiagnosticList) -> [Source] {
        var sources: [Source] = []
        let site = siteDirectory.hasSuffix("/") && siteDirectory.count > 1 ? String(siteDirectory.dropLast()) : siteDirectory
        switch FileSystem.kind(site + "/" + folder) {
        case nil: break
        case .directory?: walk(root: site, folder: folder, display: { $0 }, depth: 0, into: &sources, &diagnostics)
        case .symlink?:
            diagnostics.error(
                "\(folder) is a symbolic link; Preflight does not follow links", at: SourceLocation(path: folder),
                hint: "make evidence/ a real folder, or pass the other folder with `--evidence PATH`")
        default:
            diagnostics.error("\(folder) is not a folder", at: SourceLocation(path: folder), hint: "evidence/ holds `.jsonl` files")
        }
        for path in extra {
            let display = displayPath(path)
            let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
            switch FileSystem.kind(trimmed) {
            case .directory?:
                walk(root: trimmed, folder: nil, display: { display.hasSuffix("/") ? display + $0 : display + "/" + $0 }, depth: 0, into: &sources, &diagnostics)
            case .file?:
                let slash = trimmed.lastIndex(of: "/")
                let root = slash.map { $0 == trimmed.startIndex ? "/" : String(trimmed[..<$0]) } ?? "."
                let name = slash.map { String(trimmed[trimmed.index(after: $0)...]) } ?? trimmed
                sources.append(Source(root: root, relative: name, display: display))
            case .symlink?:
                diagnostics.error("\(path) is a symbolic link; Preflight does not follow links", at: SourceLocation(path: display))
            case nil:
                diagnostics.error(
                    "no evidence file or folder at \(path)", at: SourceLocation(path: display),
                    hint: "`--evidence` takes a `.jsonl` file or a folder of them")
            default:
                diagnostics.error("\(path) is not a file or folder", at: SourceLocation(path: display))
            }
        }
        return sources
    }

    /// A path typed on the command line, as diagnostics show it: never taken
    /// for a path inside the site (`DiagnosticFormatter` leaves `/…`, `./…`
    /// and `../…` as they are).
    public static func displayPath(_ path: String) -> String {
        path.hasPrefix("/") || path.hasPrefix("./") || path.hasPrefix("../") ? path : "./" + path
    }

    private static func walk(
        root: String, folder: String?, display: (String) -> String, depth: Int, into sources: inout [Source],
        _ diagnostics: inout DiagnosticList
    ) {
        let path = folder.map { root + "/" + $0 } ?? root
        let entries: [FileSystem.Entry]
        do {
            entries = try FileSystem.list(path).filter { !$0.name.hasPrefix(".") }
        } catch {
            diagnostics.error("cannot read folder: \(error.reason)", at: SourceLocation(path: display(folder ?? ".")))
            return
        }
        for entry in entries {
            let relative = folder.map { $0 + "/" + entry.name } ?? entry.name
            let at = SourceLocation(path: display(relative))
            switch entry.kind {
            case .file where entry.name.hasSuffix(".jsonl"):
                sources.append(Source(root: root, relative: relative, display: display(relative)))
            case .file where entry.name.lowercased().hasSuffix(".md"):
                continue
            case .directory where depth + 1 < maxDepth:
                walk(root: root, folder: relative, display: display, depth: depth + 1, into: &sources, &diagnostics)
            case .directory:
                diagnostics.error(
                    "folder \(at.path) is nested more than \(maxDepth) folders deep", at: at,
                    hint: "keep evidence files at most \(maxDepth) folders deep")
            case .symlink:
                diagnostics.error("\(at.path) is a symbolic link; Preflight does not follow links", at: at)
            default:
                let lower = entry.name.lowercased()
                let report = lower.hasSuffix(".xml") || lower.hasSuffix(".sarif") || lower.hasSuffix(".json")
                diagnostics.error(
                    "unexpected file \(at.path) among the evidence", at: at,
                    hint: report
                        ? "evidence files are JSON Lines (`.jsonl`); turn a JUnit or SARIF report into records with `preflight evidence import`"
                        : "evidence folders hold `.jsonl` files (and README.md)")
            }
        }
    }

    /// Reads every source into one collector.
    static func read(_ sources: [Source], buildDate: Day?, diagnostics: inout DiagnosticList) -> EvidenceCollector {
        var collector = EvidenceCollector(buildDate: buildDate)
        for source in sources {
            read(source, into: &collector, diagnostics: &diagnostics)
            if collector.isFull { break }
        }
        return collector
    }

    /// Reads one file a line at a time into `collector`.
    static func read(_ source: Source, into collector: inout EvidenceCollector, diagnostics: inout DiagnosticList) {
        let file: FileSystem.InputFile
        do {
            file = try FileSystem.open(source.relative, in: source.root)
        } catch {
            diagnostics.error("cannot read file: \(error.reason)", at: SourceLocation(path: source.display))
            return
        }
        var future: (first: Int, count: Int)?
        do {
            try forEachLine(file) { line, number in
                let at = SourceLocation(path: source.display, line: number)
                guard let line else {
                    diagnostics.error(
                        "evidence line is longer than \(maxLineBytes >> 10) KiB", at: at,
                        hint: "one record per line; keep `note` short")
                    return true
                }
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return true }
                guard String(validating: line, as: UTF8.self) != nil else {
                    diagnostics.error("evidence line is not UTF-8", at: at, hint: "save the file as UTF-8")
                    return true
                }
                guard let record = EvidenceRecord.parse(line: line, at: at, diagnostics: &diagnostics) else { return true }
                if !collector.add(record, diagnostics: &diagnostics) {
                    future = (future?.first ?? number, (future?.count ?? 0) + 1)
                }
                if collector.isFull {
                    diagnostics.error(
                        "more than \(EvidenceCollector.maxRecords) evidence records to keep; the rest is not read", at: at,
                        hint: "only the newest record of a day counts: move old records out of evidence/")
                    return false
                }
                return true
            }
        } catch {
            diagnostics.error("cannot read file: \(error.reason)", at: SourceLocation(path: source.display))
        }
        if let future, let buildDate = collector.buildDate {
            diagnostics.warning(
                future.count == 1
                    ? "evidence record dated after the build date \(buildDate) is not counted"
                    : "\(future.count) evidence records dated after the build date \(buildDate) are not counted (the first here)",
                at: SourceLocation(path: source.display, line: future.first),
                hint: "check the clock or the year of `at`; building `--as-of` an earlier day leaves later records out")
        }
    }

    /// Calls `body` with each line (without its line break, a `\r` before
    /// it, or a byte order mark) and its number; nil for a line longer than
    /// `maxLineBytes`. `body` returns false to stop.
    static func forEachLine(
        _ file: FileSystem.InputFile, _ body: (ArraySlice<UInt8>?, Int) -> Bool
    ) throws(FileSystem.Failure) {
        var pending: [UInt8] = []
        var tooLong = false
        var number = 1
        var offset = 0
        func emit(_ line: ArraySlice<UInt8>) -> Bool {
            defer { number += 1 }
            if tooLong { return body(nil, number) }
            var line = line
            if number == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
            if line.last == 0x0D { line = line.dropLast() }
            return body(line, number)
        }
        while true {
            let chunk = try file.read(at: offset, count: chunkBytes)
            if chunk.isEmpty { break }
            offset += chunk.count
            var start = chunk.startIndex
            while let newline = chunk[start...].firstIndex(of: 0x0A) {
                let piece = chunk[start..<newline]
                let keepGoing: Bool
                if pending.isEmpty {
                    tooLong = tooLong || piece.count > maxLineBytes
                    keepGoing = emit(piece)
                } else {
                    if !tooLong { pending.append(contentsOf: piece) }
                    tooLong = tooLong || pending.count > maxLineBytes
                    keepGoing = emit(pending[...])
                    pending.removeAll(keepingCapacity: true)
                }
                tooLong = false
                if !keepGoing { return }
                start = newline + 1
            }
            if !tooLong {
                pending.append(contentsOf: chunk[start...])
                if pending.count > maxLineBytes {
                    tooLong = true
                    pending.removeAll()
                }
            }
            if chunk.count < chunkBytes { break }
        }
        if !pending.isEmpty || tooLong { _ = emit(pending[...]) }
    }
}
