#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The persisted build cache (`build --cache DIR`, docs/format.md "Build
/// cache"): per review file, its digest and the review parsed from it; per
/// page, the digest of the inputs it was rendered from and its bytes; and
/// what every input and output file looked like after the last build.
///
/// Files in the folder: `lock` (held with `flock` for the whole build: a
/// second build at once builds without the cache), `index` (one record,
/// replaced by rename, its payload digested: a torn, truncated or foreign
/// index is ignored) and `blob-N` (bytes appended and never overwritten:
/// review bodies and pages, each with its digest in the index). A build
/// killed at any instant leaves the old index, whose bytes in the blob are
/// intact; what it appended past them is cut off by the next build.
final class BuildCache: DerivedTexts, @unchecked Sendable {
    /// Bytes kept in the blob: where, how many, their digest.
    struct Ref: Equatable {
        var offset: Int
        var count: Int
        var digest: Digest
    }

    struct ReviewRecord {
        var fileDigest: Digest
        var contextDigest: Digest
        var checklist: String
        var checklistDigest: Digest
        /// The digest of the parsed review without its body: everything a
        /// page that lists across services can read of it (`SiteKeys`).
        var facts: Digest
        /// The body's HTML, in the blob; nil when it is short and kept in `record`.
        var body: Ref?
        /// The parsed review, its diagnostics and a short body, in the blob
        /// (an index holds no more than digests and places per review, so
        /// that 100,000 reviews cost the index a few megabytes).
        var record: Ref
    }

    struct PageRecord {
        var key: Digest
        var ref: Ref
    }

    /// An output file as the last build left it, to tell that nothing touched it since:
    /// as for inputs, the change time too, which a write or a `chmod` moves and
    /// no writer can set back.
    struct OutputRecord: Equatable {
        var path: String
        var size: Int
        var modified: Int
        var changed: Int
        var inode: UInt64

        init(path: String, size: Int, modified: Int, changed: Int, inode: UInt64) {
            self.path = path
            self.size = size
            self.modified = modified
            self.changed = changed
            self.inode = inode
        }

        /// Whether this (a file just linked to) is the file `record` recorded:
        /// the link itself moved its change time, nothing else.
        func isLink(to record: OutputRecord) -> Bool {
            size == record.size && modified == record.modified && inode == record.inode
        }

        /// The file `path` of the folder `folder` as it is now; nil when it is not a regular file.
        init?(path: String, in folder: String) {
            self.init(path: path, file: folder + "/" + path)
        }

        /// The file at `file`, recorded as `path`.
        init?(path: String, file: String) {
            var info = stat()
            guard lstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
            self.init(
                path: path, size: Int(info.st_size),
                modified: info.modifiedNanoseconds, changed: info.changedNanoseconds, inode: info.fileIdentity)
        }

        /// The digest of the folders of an output holding `paths` (the output
        /// itself included): each one's times and inode, which move when an
        /// entry is added to it, removed or renamed. Equal digests mean no
        /// file came into the output, Preflight's or another's.
        static func folders(of paths: some Sequence<String>, in folder: String) -> Digest {
            var names: Set<Substring> = [""]
            for path in paths {
                var parent = Substring(path)
                while let slash = parent.lastIndex(of: "/") {
                    parent = parent[..<slash]
                    if !names.insert(parent).inserted { break }
                }
            }
            var d = FastDigest()
            for name in names.sorted() {
                var info = stat()
                let file = name.isEmpty ? folder : folder + "/" + name
                d.add(String(name))
                if lstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                    d.add("\(info.modifiedNanoseconds) \(info.changedNanoseconds) \(info.fileIdentity)")
                } else {
                    d.add("not a folder")
                }
            }
            return d.value
        }
    }

    /// How much this build took from the cache and how much it made.
    struct Tally: Sendable {
        var reviewsReused = 0
        /// Of those reused, the ones whose files were not read (`trust(_:)`).
        var reviewsUnread = 0
        var reviewsParsed = 0
        var pagesReused = 0
        var pagesRendered = 0
    }

    private var counts = Tally()
    /// Paths (relative to the site folder) of the files `trust(_:)` found untouched.
    private var untouched: Set<String> = []
    /// Output records of the files an update in place left as they were.
    private var kept: [String: OutputRecord] = [:]
    var tally: Tally { lock.withLock { counts } }

    func reused(_ record: PageRecord, at path: String) {
        lock.withLock {
            next.pages[path] = record
            counts.pagesReused += 1
        }
    }

    /// Keeps a page or export made now for the next build.
    func rendered(_ file: OutputFile, key: Digest, at path: String) {
        let ref: Ref?
        switch file.contents {
        case .bytes(let bytes): ref = append(bytes)
        case .text(var text): ref = text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
        case .staticFile, .unchanged: ref = nil
        }
        lock.withLock {
            if let ref { next.pages[path] = PageRecord(key: key, ref: ref) }
            counts.pagesRendered += 1
        }
    }

    /// What the last build with this cache saw and made.
    struct Index {
        var key = ""
        var blob = ""
        var blobLength = 0
        var inputs = InputScan(entries: [])
        var output = ""
        /// By path: one structure, looked up while the pages are written.
        var outputs: [String: OutputRecord] = [:]
        /// The output's folders as it left them (`OutputRecord.folders`).
        var folders = Digest(high: 0, low: 0)
        var diagnostics: [Diagnostic] = []
        var notes: [String] = []
        var serviceCount = 0
        var reviewCount = 0
        var fileCount = 0
        var reviews: [String: ReviewRecord] = [:]
        var pages: [String: PageRecord] = [:]
        /// The contents' digest of every input file but the reviews, by the
        /// path the scan gave it (`siteKeys(scan:siteDirectory:)`).
        var contents: [String: Digest] = [:]
    }

    static let magic = Array("preflight build cache\n".utf8)
    static let formatVersion = 5
    static let indexName = "index"
    static let lockName = "lock"

    let directory: String
    /// The last build's index, when it was read, whole and made for this key;
    /// dropped when this build's is saved.
    private(set) var previous: Index?
    /// What this build records, filled as it goes.
    private let lock = Lock()
    private var next: Index
    private let lockFD: Int32
    private let blobFD: Int32
    /// The blob as a spill file, for review bodies parsed in this build.
    let spill: TextSpill
    /// The blob of an index made for another key, removed once this build's
    /// index has replaced that one.
    private let replacedBlob: String?

    private init(directory: String, previous: Index?, next: Index, lockFD: Int32, blobFD: Int32, blobEnd: Int, replacedBlob: String?) {
        self.directory = directory
        self.replacedBlob = replacedBlob
        self.previous = previous
        self.next = next
        self.lockFD = lockFD
        self.blobFD = blobFD
        self.spill = TextSpill(descriptor: blobFD, end: blobEnd)
    }

    deinit {
        close(blobFD)
        close(lockFD)
    }

    /// Opens (or makes) the cache in `directory` for a build whose settings
    /// digest to `key`; nil when it cannot be used at all, with the reason
    /// in `notes`. An index that is unreadable, corrupt or made for another
    /// key is set aside with a note, and the build starts the cache afresh.
    static func open(_ directory: String, key: String, notes: inout [String]) -> BuildCache? {
        if let kind = FileSystem.kind(directory), kind != .directory {
            notes.append("\(directory) is not a folder; building without a cache")
            return nil
        }
        guard FileSystem.kind(directory) == .directory || mkdir(directory, 0o755) == 0 else {
            notes.append("cannot make the build cache folder \(directory) (\(FileSystem.errorText())); building without it")
            return nil
        }
        let lockFD = Glibc.open(directory + "/" + lockName, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard lockFD >= 0 else {
            notes.append("cannot open \(directory)/\(lockName) (\(FileSystem.errorText())); building without the cache")
            return nil
        }
        guard flock(lockFD, LOCK_EX | LOCK_NB) == 0 else {
            close(lockFD)
            notes.append("another build is using the cache in \(directory); building without it")
            return nil
        }
        var previous: Index?
        // A sound index made for another key is left as it is, and its blob
        // with it, until this build's index replaces it: a build that fails
        // (a configuration being edited, say) leaves the cache the last
        // good build made, not an index whose blob this build emptied.
        var kept: String?
        switch readIndex(directory) {
        case .none: break
        case .unusable(let why):
            notes.append("the build cache in \(directory) \(why); it was ignored and is made again")
            unlink(directory + "/" + indexName)
        case .found(let index) where index.key != key:
            notes.append(
                "the build cache in \(directory) was made with other settings (the Preflight binary, theme, configuration, "
                    + "build date, --evidence, --base-url or --drafts); it is made again")
            kept = index.blob
        case .found(let index): previous = index
        }
        // A blob no index names is left from a build that was killed; the
        // one the index names may have bytes past its end from such a build.
        var generation = 0
        if let n = Int((previous?.blob ?? kept ?? "").dropFirst("blob-".count)) { generation = previous == nil ? n + 1 : n }
        if kept == "blob-\(generation)" { kept = nil }
        for entry in (try? FileSystem.list(directory)) ?? []
        where (entry.name.hasPrefix("blob-") && entry.name != previous?.blob && entry.name != kept) || entry.name.hasPrefix(indexName + ".new-") {
            unlink(directory + "/" + entry.name)
        }
        let blobName = previous?.blob ?? "blob-\(generation)"
        let blobFD = Glibc.open(directory + "/" + blobName, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard blobFD >= 0 else {
            close(lockFD)
            notes.append("cannot open \(directory)/\(blobName) (\(FileSystem.errorText())); building without the cache")
            return nil
        }
        var end = previous?.blobLength ?? 0
        var info = stat()
        if fstat(blobFD, &info) == 0, Int(info.st_size) < end {
            notes.append("the build cache in \(directory) is truncated (its blob is shorter than its index says); it was ignored and is made again")
            previous = nil
            end = 0
            unlink(directory + "/" + indexName)
        }
        guard ftruncate(blobFD, off_t(end)) == 0 else {
            close(blobFD)
            close(lockFD)
            notes.append("cannot prepare the build cache in \(directory) (\(FileSystem.errorText())); building without it")
            return nil
        }
        var next = Index()
        next.key = key
        next.blob = blobName
        // Made at their final size: grown by doubling, the tables of a
        // 100,000-review site briefly took twice their room at the build's peak.
        next.reviews.reserveCapacity(previous?.reviews.count ?? 0)
        next.pages.reserveCapacity(previous?.pages.count ?? 0)
        return BuildCache(
            directory: directory, previous: previous, next: next, lockFD: lockFD, blobFD: blobFD, blobEnd: end, replacedBlob: kept)
    }

    enum ReadResult {
        case none
        case unusable(String)
        case found(Index)
    }

    static func readIndex(_ directory: String) -> ReadResult {
        let path = directory + "/" + indexName
        guard FileSystem.kind(path) != nil else { return .none }
        guard let bytes = readFile(path) else { return .unusable("cannot be read") }
        guard bytes.starts(with: magic) else { return .unusable("is not a Preflight build cache") }
        var r = CacheReader(bytes, from: magic.count)
        do throws(CacheReader.Malformed) {
            guard try r.int() == formatVersion else { return .unusable("has another format version") }
            let digest = try r.string()
            let length = try r.count()
            let start = bytes.count - length
            let actual = bytes.withUnsafeBytes { FastDigest.of(UnsafeRawBufferPointer(rebasing: $0[start...])).hex }
            guard actual == digest else { return .unusable("is corrupt (its digest does not match)") }
            var p = CacheReader(bytes, from: start)
            return .found(try decodeIndex(&p))
        } catch {
            return .unusable("is truncated or corrupt")
        }
    }

    private static func readFile(_ path: String) -> [UInt8]? {
        let fd = Glibc.open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        let done = bytes.withUnsafeMutableBytes { FileSystem.read(fd, into: $0, at: 0) }
        return done == bytes.count ? bytes : nil
    }

    // MARK: Reading what the last build kept

    /// The digest of what a review's parse reads besides its own file.
    static func contextDigest(_ context: Review.Context, service: String, checklistIDs: [String], unsafe: Bool) -> Digest {
        var d = FastDigest()
        d.add(service)
        d.add(context.serviceName)
        d.add(context.serviceChecklist ?? "\u{0}")
        d.add(context.defaultChecklist ?? "\u{0}")
        d.add(unsafe ? "unsafe" : "safe")
        d.add(context.assets.sorted().joined(separator: "\u{0}"))
        d.add(context.unreadableChecklists.sorted().joined(separator: "\u{0}"))
        d.add(checklistIDs.joined(separator: "\u{0}"))
        return d.value
    }

    /// The review in `file`: the one the last build parsed when the file,
    /// its surroundings and its checklist are as they were (its diagnostics
    /// told again), else parsed now and recorded for the next build.
    func review(
        service: String, name: String, file: SourceFile, context: Review.Context, diagnostics: inout DiagnosticList
    ) -> Review? {
        let digest = file.digest
        if let review = reused(at: file.path, fileDigest: digest, context: context, diagnostics: &diagnostics) {
            return review
        }
        lock.withLock { counts.reviewsParsed += 1 }
        var own = DiagnosticList()
        guard var review = Review.parse(service: service, name: name, file: file, context: context, diagnostics: &own) else {
            diagnostics.append(contentsOf: own.items)
            return nil
        }
        review.sourceDigest = digest
        diagnostics.append(contentsOf: own.items)
        // A review with errors is not kept: the build stops, and the next one reads it again.
        guard !own.hasErrors, let checklist = context.checklists[review.checklist] else { return review }
        var w = CacheWriter()
        review.encode(to: &w)
        let facts = FastDigest.of(w.bytes)
        w.array(own.items) { $1.encode(to: &$0) }
        var body: Ref?
        if let (offset, count) = review.body.location(in: spill) {
            let bytes = Array(review.html.utf8)
            guard bytes.count == count else { return review }
            body = Ref(offset: offset, count: count, digest: FastDigest.of(bytes))
            review.htmlDigest = body?.digest
            w.optional(nil as String?) { $0.string($1) }
        } else {
            review.htmlDigest = FastDigest.of(text: review.html)
            w.optional(review.html) { $0.string($1) }
        }
        guard let stored = append(w.bytes) else { return review }
        let record = ReviewRecord(
            fileDigest: digest, contextDigest: context.cacheDigest ?? Digest(high: 0, low: 0), checklist: checklist.id,
            checklistDigest: checklist.sourceDigest ?? Digest(high: 0, low: 0), facts: facts, body: body, record: stored)
        lock.withLock { next.reviews[file.path] = record }
        return review
    }

    /// The review the last build parsed from the file at `path` (relative
    /// to the site folder), without reading the file: only when this
    /// build's scan saw it exactly as the last build's did (`trust(_:)`).
    func untouchedReview(at path: String, context: Review.Context, diagnostics: inout DiagnosticList) -> Review? {
        guard untouched.contains(path), let record = previous?.reviews[path],
            let review = reused(at: path, fileDigest: record.fileDigest, context: context, diagnostics: &diagnostics)
        else { return nil }
        lock.withLock { counts.reviewsUnread += 1 }
        return review
    }

    private func reused(
        at path: String, fileDigest: Digest, context: Review.Context, diagnostics: inout DiagnosticList
    ) -> Review? {
        guard let (cachedReview, told) = cached(at: path, fileDigest: fileDigest, context: context) else { return nil }
        var review = cachedReview
        review.sourceDigest = fileDigest
        diagnostics.append(contentsOf: told)
        lock.withLock { counts.reviewsReused += 1 }
        return review
    }

    /// Notes which files under the site folder this build's scan `now` saw
    /// exactly as the last build's scan did: same size, modification and
    /// change times (to the nanosecond) and inode, and changed long enough
    /// before both scans that neither had to digest them. Their contents
    /// are the ones the last build read, so a review among them is taken
    /// from the cache without reading it again. The change time cannot be
    /// set back by a writer, so an edit that keeps the size and restores
    /// the modification time still shows.
    func trust(_ now: InputScan, siteDirectory: String) {
        guard let before = previous?.inputs.entries, !before.isEmpty else { return }
        var seen: [String: InputScan.Entry] = [:]
        seen.reserveCapacity(before.count)
        for entry in before where entry.digest == nil && entry.size >= 0 { seen[entry.path] = entry }
        let prefix = siteDirectory + "/"
        var paths: Set<String> = []
        for entry in now.entries where entry.digest == nil && entry.path.hasPrefix(prefix) && seen[entry.path] == entry {
            paths.insert(String(entry.path.dropFirst(prefix.count)))
        }
        lock.withLock { untouched = paths }
    }

    private func cached(at path: String, fileDigest: Digest, context: Review.Context) -> (Review, [Diagnostic])? {
        guard let record = previous?.reviews[path], record.fileDigest == fileDigest,
            record.contextDigest == context.cacheDigest, let checklist = context.checklists[record.checklist],
            checklist.sourceDigest == record.checklistDigest
        else { return nil }
        guard let stored = read(record.record) else { return nil }
        var r = CacheReader(stored)
        let decoded: (Review, [Diagnostic])? = {
            do throws(CacheReader.Malformed) {
                // The body is set below, once the record says where it is.
                var review = try Review(from: &r, checklist: checklist, body: SpilledText(""))
                let told = try r.array { (r: inout CacheReader) throws(CacheReader.Malformed) in try Diagnostic(from: &r) }
                let inline = try r.optional { (r: inout CacheReader) throws(CacheReader.Malformed) in try r.string() }
                guard r.isAtEnd, review.path == path, (inline == nil) == (record.body != nil) else { return nil }
                if let ref = record.body {
                    guard holds(ref) else { return nil }
                    review.body = spill.text(at: ref.offset, count: ref.count)
                    review.htmlDigest = ref.digest
                } else {
                    review.body = SpilledText(inline ?? "")
                    review.htmlDigest = FastDigest.of(text: inline ?? "")
                }
                return (review, told)
            } catch {
                return nil
            }
        }()
        guard let (review, told) = decoded else { return nil }
        lock.withLock { next.reviews[path] = record }
        return (review, told)
    }

    /// The bytes at `ref`, when they are all there and their digest matches.
    func read(_ ref: Ref) -> [UInt8]? {
        verified(ref) { Array($0) }
    }

    /// Whether the bytes at `ref` are all there and match their digest,
    /// without keeping them: checking every body of a large site this way
    /// leaves no garbage behind (at 100,000 reviews, half a gigabyte
    /// allocated and freed in 5 KB pieces kept the heap from shrinking).
    func holds(_ ref: Ref) -> Bool {
        verified(ref) { _ in true } ?? false
    }

    /// `body` over the bytes at `ref`, read into a temporary buffer (on the
    /// stack where they fit), when they are all there and match their digest.
    private func verified<T>(_ ref: Ref, _ body: (UnsafeRawBufferPointer) -> T) -> T? {
        guard ref.offset >= 0, ref.count >= 0, ref.offset + ref.count <= (previous?.blobLength ?? 0) else { return nil }
        return withUnsafeTemporaryAllocation(byteCount: max(ref.count, 1), alignment: 8) { buffer in
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<ref.count])
            guard FileSystem.read(blobFD, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<ref.count]), at: ref.offset) == ref.count,
                FastDigest.of(bytes) == ref.digest
            else { return nil }
            return body(bytes)
        }
    }

    /// The text the last build derived from an input of digest `key` under
    /// `name`, else `make()` now, kept for the next build. Kept in the table
    /// of pages, under a name no output path can have (it starts with a
    /// control character), and only for this build's names.
    func text(_ name: String, key: Digest, make: () -> String) -> String {
        let name = "\u{1}" + name
        if let record = lock.withLock({ previous?.pages[name] }), record.key == key,
            let text = verified(record.ref, { String(decoding: $0, as: UTF8.self) })
        {
            lock.withLock { next.pages[name] = record }
            return text
        }
        let text = make()
        if let ref = append(Array(text.utf8)) { lock.withLock { next.pages[name] = PageRecord(key: key, ref: ref) } }
        return text
    }

    /// The page at `path` as the last build made it from inputs of digest `key`.
    func page(at path: String, key: Digest) -> PageRecord? {
        guard let record = previous?.pages[path], record.key == key else { return nil }
        return record
    }

    /// The last build's record of the output file at `path`, when it wrote to `output`.
    func outputRecord(at path: String, output: String) -> OutputRecord? {
        guard let previous, previous.output == output else { return nil }
        return previous.outputs[path]
    }

    /// Notes that the last output's file at `path`, found as the cache
    /// recorded it (`outputRecord(at:output:)`), was left where it is by an
    /// update in place: its record is kept without another look at it.
    func leftInPlace(at path: String) {
        lock.withLock {
            if let record = previous?.outputs[path] { kept[path] = record }
        }
    }

    /// Whether the folders of the last output, at `outputPath`, are as the
    /// last build recorded them (`OutputRecord.folders`): no entry was added
    /// to or removed from any of them since.
    func outputFoldersAsRecorded(in outputPath: String) -> Bool {
        guard let previous else { return false }
        return OutputRecord.folders(of: previous.outputs.keys, in: outputPath) == previous.folders
    }

    /// The record of a file `leftInPlace(at:)`; nil for any other.
    func keptOutputRecord(at path: String) -> OutputRecord? {
        lock.withLock { kept[path] }
    }

    /// The keys of what a build makes from across the site (docs/format.md,
    /// "Build cache"), once its reviews are loaded: `facts` digests every
    /// input file, each review by its parsed facts (the review without its
    /// body) and any other file by its contents; `bodies` digests every
    /// review file's contents. A file the scan found untouched keeps the
    /// contents' digest the last build recorded; any other is read now. A
    /// file written to since the scan may have been loaded as it was before
    /// or after: it gets a digest no build will give again, so nothing made
    /// now is reused for it later.
    func siteKeys(scan: InputScan, siteDirectory: String) -> (facts: Digest, bodies: Digest) {
        let prefix = siteDirectory + "/"
        let (reviews, known, trusted) = lock.withLock { (next.reviews, previous?.contents ?? [:], untouched) }
        var facts = FastDigest()
        var bodies = FastDigest()
        var contents: [String: Digest] = [:]
        contents.reserveCapacity(scan.entries.count - reviews.count)
        for entry in scan.entries {
            facts.add(entry.path)
            if entry.path.hasSuffix("/") || entry.size < 0 {
                facts.add(entry.size < 0 ? "missing" : entry.digest ?? "")
                continue
            }
            let relative = entry.path.hasPrefix(prefix) ? String(entry.path.dropFirst(prefix.count)) : nil
            if let relative, let review = reviews[relative] {
                facts.add("review")
                facts.add(review.facts)
                bodies.add(relative)
                bodies.add(review.fileDigest)
                continue
            }
            var digest: Digest
            if let relative, trusted.contains(relative), let before = known[entry.path] {
                digest = before
            } else {
                digest = InputScan.contentsDigest(ofFile: entry.path) ?? FastDigest.of(text: "unreadable")
            }
            if !InputScan.isUnchanged(entry) {
                digest = Digest(high: UInt64.random(in: .min ... .max), low: UInt64.random(in: .min ... .max))
            }
            contents[entry.path] = digest
            facts.add("file")
            facts.add(digest)
        }
        lock.withLock { next.contents = contents }
        return (facts.value, bodies.value)
    }

    /// Lets go of what only the start of a build needs, before its pages
    /// are made: the last build's reviews (read by the loader) and inputs
    /// (compared with this build's). At 100,000 reviews they are tens of
    /// megabytes, and the build's peak comes while it writes.
    func dropWhatLoadingNeeded() {
        lock.withLock {
            previous?.reviews = [:]
            previous?.inputs = InputScan(entries: [])
            previous?.contents = [:]
            untouched = []
        }
    }

    // MARK: Recording this build

    /// Appends `bytes` to the blob; nil when the disk refused them.
    func append(_ bytes: [UInt8]) -> Ref? {
        bytes.withUnsafeBytes { append($0) }
    }

    func append(_ buffer: UnsafeRawBufferPointer) -> Ref? {
        spill.append(buffer).map { Ref(offset: $0, count: buffer.count, digest: FastDigest.of(buffer)) }
    }

    func record(page path: String, _ record: PageRecord) {
        lock.withLock { next.pages[path] = record }
    }

    /// The blob's length once every append has reserved its room.
    var blobLength: Int { spill.length }

    /// Writes the index of this build: its inputs, the output it wrote and
    /// what it kept. Pages and reviews not recorded by this build are not
    /// kept. Compacts the blob when most of it is no longer referenced.
    /// Returns a note when the index could not be written.
    func save(
        inputs: InputScan, output: String, outputs: [String: OutputRecord], folders: Digest, diagnostics: [Diagnostic],
        notes: [String],
        counts: (services: Int, reviews: Int, files: Int)
    ) -> String? {
        var index = lock.withLock {
            previous = nil
            return next
        }
        index.inputs = inputs
        index.output = output
        index.outputs = outputs
        index.folders = folders
        index.diagnostics = diagnostics
        index.notes = notes
        (index.serviceCount, index.reviewCount, index.fileCount) = counts
        index.blobLength = blobLength
        let live = index.reviews.values.reduce(0) { $0 + ($1.body?.count ?? 0) + $1.record.count }
            + index.pages.values.reduce(0) { $0 + $1.ref.count }
        var oldBlob: String?
        if index.blobLength > 2 * live + (32 << 20) {
            guard let compacted = compact(&index) else { return "the build cache could not be compacted; it was left as it was" }
            oldBlob = compacted
        }
        var payload = CacheWriter()
        Self.encode(index, to: &payload)
        index = Index()
        var header = CacheWriter()
        header.bytesAppend(Self.magic)
        header.int(Self.formatVersion)
        header.string(FastDigest.of(payload.bytes).hex)
        header.int(payload.bytes.count)
        let temporary = "\(directory)/\(Self.indexName).new-\(getpid())"
        do throws(FileSystem.Failure) {
            let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
            guard fd >= 0 else { throw FileSystem.Failure(path: temporary, reason: FileSystem.errorText()) }
            defer { close(fd) }
            try FileSystem.write(header.bytes, to: fd)
            try FileSystem.write(payload.bytes, to: fd)
        } catch {
            unlink(temporary)
            return "the build cache index could not be written (\(error.reason)); the next build parses everything again"
        }
        guard rename(temporary, "\(directory)/\(Self.indexName)") == 0 else {
            unlink(temporary)
            return "the build cache index could not be replaced (\(FileSystem.errorText()))"
        }
        for blob in [oldBlob, replacedBlob].compactMap({ $0 }) { unlink("\(directory)/\(blob)") }
        return nil
    }

    /// Copies the referenced bytes into the next blob generation; the old blob's name.
    private func compact(_ index: inout Index) -> String? {
        let generation = (Int(index.blob.dropFirst("blob-".count)) ?? 0) + 1
        let name = "blob-\(generation)"
        let fd = Glibc.open("\(directory)/\(name)", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var end = 0
        func move(_ ref: Ref) -> Ref? {
            var bytes = [UInt8](repeating: 0, count: ref.count)
            let n = bytes.withUnsafeMutableBytes { FileSystem.read(blobFD, into: $0, at: ref.offset) }
            guard n == ref.count, bytes.withUnsafeBytes({ FileSystem.write($0, to: fd, at: end) }) else { return nil }
            defer { end += ref.count }
            return Ref(offset: end, count: ref.count, digest: ref.digest)
        }
        for (path, record) in index.reviews {
            guard let stored = move(record.record) else { return nil }
            index.reviews[path]!.record = stored
            guard let ref = record.body else { continue }
            guard let moved = move(ref) else { return nil }
            index.reviews[path]!.body = moved
        }
        for (path, record) in index.pages {
            guard let moved = move(record.ref) else { return nil }
            index.pages[path]!.ref = moved
        }

        let old = index.blob
        index.blob = name
        index.blobLength = end
        return old
    }

    // MARK: The index as bytes

    private static func encode(_ ref: Ref, to w: inout CacheWriter) {
        w.int(ref.offset)
        w.int(ref.count)
        w.digest(ref.digest)
    }

    private static func decodeRef(_ r: inout CacheReader) throws(CacheReader.Malformed) -> Ref {
        Ref(offset: try r.int(), count: try r.int(), digest: try r.digest())
    }

    static func encode(_ index: Index, to w: inout CacheWriter) {
        w.string(index.key)
        w.string(index.blob)
        w.int(index.blobLength)
        index.inputs.encode(to: &w)
        w.string(index.output)
        w.digest(index.folders)
        w.array(index.outputs.sorted { $0.key < $1.key }) { w, entry in
            let o = entry.value
            w.string(o.path)
            w.int(o.size)
            w.int(o.modified)
            w.int(o.changed)
            w.int(Int(bitPattern: UInt(o.inode)))
        }
        w.array(index.diagnostics) { $1.encode(to: &$0) }
        w.array(index.notes) { $0.string($1) }
        w.int(index.serviceCount)
        w.int(index.reviewCount)
        w.int(index.fileCount)
        w.array(index.reviews.sorted { $0.key < $1.key }) { w, entry in
            let r = entry.value
            w.string(entry.key)
            w.digest(r.fileDigest)
            w.digest(r.contextDigest)
            w.string(r.checklist)
            w.digest(r.checklistDigest)
            w.digest(r.facts)
            w.optional(r.body) { encode($1, to: &$0) }
            encode(r.record, to: &w)
        }
        w.array(index.pages.sorted { $0.key < $1.key }) { w, entry in
            w.string(entry.key)
            w.digest(entry.value.key)
            encode(entry.value.ref, to: &w)
        }
        w.array(index.contents.sorted { $0.key < $1.key }) { w, entry in
            w.string(entry.key)
            w.digest(entry.value)
        }
    }

    static func decodeIndex(_ r: inout CacheReader) throws(CacheReader.Malformed) -> Index {
        typealias Malformed = CacheReader.Malformed
        var index = Index()
        // A site has a few checklists and 100,000 reviews naming them: one string per checklist.
        var checklists: Set<String> = []
        func interned(_ id: String) -> String {
            if let i = checklists.firstIndex(of: id) { return checklists[i] }
            checklists.insert(id)
            return id
        }
        index.key = try r.string()
        index.blob = try r.string()
        guard index.blob.hasPrefix("blob-"), Int(index.blob.dropFirst(5)) != nil else { throw Malformed() }
        index.blobLength = try r.int()
        index.inputs = try InputScan(from: &r)
        index.output = try r.string()
        index.folders = try r.digest()
        for _ in 0..<(try r.count()) {
            let o = OutputRecord(
                path: try r.string(), size: try r.int(), modified: try r.int(), changed: try r.int(),
                inode: UInt64(UInt(bitPattern: try r.int())))
            index.outputs[o.path] = o
        }
        index.diagnostics = try r.array { (r: inout CacheReader) throws(Malformed) in try Diagnostic(from: &r) }
        index.notes = try r.array { (r: inout CacheReader) throws(Malformed) in try r.string() }
        index.serviceCount = try r.int()
        index.reviewCount = try r.int()
        index.fileCount = try r.int()
        for _ in 0..<(try r.count()) {
            let path = try r.string()
            let record = ReviewRecord(
                fileDigest: try r.digest(), contextDigest: try r.digest(), checklist: interned(try r.string()),
                checklistDigest: try r.digest(), facts: try r.digest(), body: try r.optional(decodeRef), record: try decodeRef(&r))
            index.reviews[path] = record
        }
        for _ in 0..<(try r.count()) {
            var path = try r.string()
            // The output table's copy of the same path: one string for both tables.
            if let i = index.outputs.index(forKey: path) { path = index.outputs[i].key }
            index.pages[path] = PageRecord(key: try r.digest(), ref: try decodeRef(&r))
        }
        for _ in 0..<(try r.count()) {
            let path = try r.string()
            index.contents[path] = try r.digest()
        }
        guard r.isAtEnd else { throw Malformed() }
        return index
    }
}
