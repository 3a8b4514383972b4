import CGumbo

#if canImport(Glibc)
    import Glibc
#endif

/// One gumbo parse, its memory tracked by Preflight: every block gumbo
/// allocates is linked into a list and the whole list is freed at the end,
/// instead of `gumbo_destroy_output`, which frees the tree recursively and
/// so can overflow a thread's stack on a deep (hostile) tree.
enum GumboDocument {
    /// Parses `html` (as the inside of a `<div>` when `fragmentOfDiv`, else
    /// as a document) and hands the root to `body`; false when gumbo gave
    /// no tree. The tree lives only during `body`.
    static func parse(
        _ html: String, fragmentOfDiv: Bool, _ body: (UnsafeMutablePointer<GumboNode>) -> Void
    ) -> Bool {
        let memory = TrackedMemory()
        defer { memory.freeAll() }
        var options = kGumboDefaultOptions
        if fragmentOfDiv {
            options.fragment_context = GUMBO_TAG_DIV
            options.fragment_namespace = GUMBO_NAMESPACE_HTML
        }
        options.max_errors = 0
        options.userdata = Unmanaged.passUnretained(memory).toOpaque()
        options.allocator = { userdata, size in
            Unmanaged<TrackedMemory>.fromOpaque(userdata!).takeUnretainedValue().allocate(size)
        }
        options.deallocator = { userdata, pointer in
            Unmanaged<TrackedMemory>.fromOpaque(userdata!).takeUnretainedValue().deallocate(pointer)
        }
        var utf8 = Array(html.utf8)
        utf8.append(0)
        return utf8.withUnsafeBufferPointer { buffer -> Bool in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            guard let output = gumbo_parse_with_options(&options, base, buffer.count - 1) else { return false }
            body(output.pointee.root)
            return true
        }
    }
}

/// Blocks with a two-pointer header (previous, next) in a doubly linked
/// list: allocating and freeing one is O(1), freeing all is one loop.
private final class TrackedMemory {
    private static let header = 16
    private var head: UnsafeMutableRawPointer?

    func allocate(_ size: Int) -> UnsafeMutableRawPointer? {
        guard let raw = malloc(size + Self.header) else { return nil }
        raw.storeBytes(of: nil, toByteOffset: 0, as: UnsafeMutableRawPointer?.self)
        raw.storeBytes(of: head, toByteOffset: 8, as: UnsafeMutableRawPointer?.self)
        head?.storeBytes(of: raw, toByteOffset: 0, as: UnsafeMutableRawPointer?.self)
        head = raw
        return raw + Self.header
    }

    func deallocate(_ pointer: UnsafeMutableRawPointer?) {
        guard let pointer else { return }
        let raw = pointer - Self.header
        let previous = raw.load(fromByteOffset: 0, as: UnsafeMutableRawPointer?.self)
        let next = raw.load(fromByteOffset: 8, as: UnsafeMutableRawPointer?.self)
        if let previous {
            previous.storeBytes(of: next, toByteOffset: 8, as: UnsafeMutableRawPointer?.self)
        } else {
            head = next
        }
        next?.storeBytes(of: previous, toByteOffset: 0, as: UnsafeMutableRawPointer?.self)
        free(raw)
    }

    func freeAll() {
        while let raw = head {
            head = raw.load(fromByteOffset: 8, as: UnsafeMutableRawPointer?.self)
            free(raw)
        }
    }
}
