import PreflightCore

/// Any text as the end of a heading or task item: the trailing `{…}` attribute parser.
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let (rest, attributes) = Attributes.split(text)
    if let attributes {
        // The block is removed whole, and what is left is a prefix of the input.
        precondition(!rest.contains(attributes.raw) || text.hasPrefix(rest))
        precondition(text.hasPrefix(rest))
    }
    return 0
}
