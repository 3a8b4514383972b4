/// Finds YAML aliases (`*name`) in front matter before Yams sees it.
///
/// Front matter never needs aliases, and they are a denial-of-service risk:
/// an alias bomb used as a mapping key makes Yams hash an exponentially large
/// key (a few lines of YAML hung the build). So aliases are refused with a
/// located error. The scan knows enough YAML to skip quoted strings, comments
/// and block scalars (`|`, `>`), where `*` is text.
enum YAMLAliases {
    /// 1-based line and column of the first alias, or nil.
    static func first(in yaml: String) -> (line: Int, column: Int)? {
        guard yaml.utf8.contains(UInt8(ascii: "*")) else { return nil }
        var quote: UInt8?  // ' or " while inside a quoted scalar (which may span lines)
        var blockIndent: Int?  // indentation of the line that opened a block scalar
        for (index, line) in SourceFile.lines(Substring(yaml)).enumerated() {
            let bytes = Array(line.utf8)
            let indent = bytes.prefix { $0 == UInt8(ascii: " ") }.count
            if let open = blockIndent {
                if indent >= bytes.count || indent > open { continue }  // blank or block content
                blockIndent = nil
            }
            var previous: UInt8 = UInt8(ascii: " ")
            var i = 0
            while i < bytes.count {
                let c = bytes[i]
                if let q = quote {
                    if c == q {
                        if q == UInt8(ascii: "'") && i + 1 < bytes.count && bytes[i + 1] == q {
                            i += 1  // '' is an escaped quote
                        } else {
                            quote = nil
                        }
                    } else if q == UInt8(ascii: "\"") && c == UInt8(ascii: "\\") {
                        i += 1
                    }
                } else if isTokenStart(previous) {
                    switch c {
                    case UInt8(ascii: "#"): i = bytes.count; continue
                    case UInt8(ascii: "'"), UInt8(ascii: "\""): quote = c
                    case UInt8(ascii: "*"): return (index + 1, i + 1)
                    case UInt8(ascii: "|"), UInt8(ascii: ">"):
                        if isBlockIndicator(bytes[(i + 1)...]) {
                            blockIndent = indent
                            i = bytes.count
                            continue
                        }
                    default: break
                    }
                }
                previous = c
                i += 1
            }
        }
        return nil
    }

    private static func isTokenStart(_ previous: UInt8) -> Bool {
        previous == UInt8(ascii: " ") || previous == UInt8(ascii: "\t") || previous == UInt8(ascii: "[")
            || previous == UInt8(ascii: "{") || previous == UInt8(ascii: ",")
    }

    /// After `|` or `>`: optional indentation/chomping indicators, then end of line or a comment.
    private static func isBlockIndicator(_ rest: ArraySlice<UInt8>) -> Bool {
        var rest = rest
        while let c = rest.first, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || (c >= 48 && c <= 57) {
            rest = rest.dropFirst()
        }
        while let c = rest.first, c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") { rest = rest.dropFirst() }
        return rest.isEmpty || rest.first == UInt8(ascii: "#")
    }
}
