/// "1 service", "3 services": a count with its noun, for pages and messages.
func plural(_ n: Int, _ word: String) -> String {
    "\(n) \(word)\(n == 1 ? "" : "s")"
}
