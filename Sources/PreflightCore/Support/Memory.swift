#if canImport(Glibc)
    import Glibc
#endif

enum Memory {
    /// Hands memory freed by a phase back to the system (glibc keeps freed
    /// blocks in its arenas, where they count as resident). Loading and the
    /// readiness history make many short-lived values; without this, their
    /// garbage stays in the build's peak memory. A no-op where the C library
    /// has no `malloc_trim`.
    static func releaseFreed() {
        _ = trim?(0)
    }

    private typealias MallocTrim = @convention(c) (Int) -> Int32

    /// glibc's `malloc_trim`, looked up at run time (it is not in the Glibc module).
    private static let trim: MallocTrim? = {
        #if os(Linux)
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
            return unsafeBitCast(symbol, to: MallocTrim.self)
        #else
            return nil
        #endif
    }()
}
