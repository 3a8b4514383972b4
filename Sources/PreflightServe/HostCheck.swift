/// Which `Host` values the preview answers: IP addresses (a rebinding attack
/// needs a name it controls), `localhost` and its subdomains, the name it was
/// told to listen on, and names allowed with `--allowed-host`. The same rule
/// as Vite's `server.allowedHosts`.
struct HostCheck: Sendable {
    let names: Set<String>

    init(bound: String, allowed: [String]) {
        names = Set(([bound] + allowed).map { $0.lowercased() })
    }

    func allows(_ hostHeader: String) -> Bool {
        let host = Self.name(hostHeader.lowercased())
        if host.isEmpty { return false }
        if host == "localhost" || host.hasSuffix(".localhost") || names.contains(host) { return true }
        return Self.isIPv4(host) || host.hasPrefix("[")
    }

    /// The host without its port; an IPv6 literal keeps its brackets.
    static func name(_ host: String) -> String {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") { return String(host[...close]) }
        guard let colon = host.lastIndex(of: ":") else { return host }
        return String(host[..<colon])
    }

    static func isIPv4(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber)
                && Int(part).map { $0 <= 255 } == true
        }
    }
}
