/// A Markdown source file split into its YAML front matter and its body.
///
/// Line numbers of both parts are kept relative to the whole file, so every
/// diagnostic points at the line a writer sees in their editor.
public struct SourceFile: Sendable {
    /// Path relative to the site folder, with `/` separators.
    public let path: String
    /// The YAML between the `---` lines, or nil when the file has no front matter.
    public let frontMatter: String?
    /// File line of the first front matter line (the one after the opening `---`).
    public let frontMatterFirstLine: Int
    /// Everything after the front matter.
    public let body: String
    /// File line of the body's first line.
    public let bodyFirstLine: Int

    /// What the file says, as a digest: the build cache's name for its contents.
    var digest: Digest {
        var d = FastDigest()
        d.add(path)
        d.add(frontMatter.map { "+" + $0 } ?? "-")
        d.add("\(frontMatterFirstLine) \(bodyFirstLine)")
        d.add(body)
        return d.value
    }

    /// Decodes and splits a file. Invalid UTF-8 and an unclosed front matter are errors.
    public static func parse(path: String, bytes: [UInt8]) -> Result<SourceFile, Diagnostic> {
        decode(path: path, bytes: bytes).flatMap { split(path: path, text: $0) }
    }

    /// UTF-8 text of a file; invalid bytes are an error located at their line and column.
    static func decode(path: String, bytes: [UInt8]) -> Result<String, Diagnostic> {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let (line, column) = firstInvalidUTF8(bytes)
            return .failure(
                Diagnostic(
                    path: path, line: line, column: column,
                    message: "file is not valid UTF-8",
                    hint: "save the file as UTF-8 in your editor"))
        }
        return .success(text)
    }

    static func split(path: String, text: String) -> Result<SourceFile, Diagnostic> {
        var text = Substring(text)
        if text.unicodeScalars.first == "\u{FEFF}" { text = text.dropFirst() }
        // Walk line by line only as far as the closing delimiter: bodies can be long.
        var lineStart = text.utf8.startIndex
        var lineNumber = 0
        var yamlStart: String.Index?
        while lineStart != text.utf8.endIndex || lineNumber == 0 {
            let lineEnd = text.utf8[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? text.utf8.endIndex
            let line = trimCR(text[lineStart..<lineEnd])
            let next = lineEnd == text.utf8.endIndex ? lineEnd : text.utf8.index(after: lineEnd)
            lineNumber += 1
            if lineNumber == 1 {
                guard isDelimiter(line, "---") else {
                    return .success(
                        SourceFile(
                            path: path, frontMatter: nil, frontMatterFirstLine: 1, body: String(text), bodyFirstLine: 1))
                }
                yamlStart = next
            } else if isDelimiter(line, "---") || isDelimiter(line, "...") {
                let yaml = lines(text[yamlStart!..<lineStart]).map { $0 + "\n" }.joined()
                return .success(
                    SourceFile(
                        path: path, frontMatter: yaml, frontMatterFirstLine: 2,
                        body: String(text[next...]), bodyFirstLine: lineNumber + 1))
            }
            if lineEnd == text.utf8.endIndex { break }
            lineStart = next
        }
        return .failure(
            Diagnostic(
                path: path, line: 1, column: 1,
                message: "front matter is not closed",
                hint: "add a line with just `---` after the last front matter line"))
    }

    /// The lines of `text`, split at `\n` bytes (so `\r\n` counts as one break),
    /// with any trailing `\r` removed.
    static func lines(_ text: Substring) -> [Substring] {
        var result: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            if utf8[index] == UInt8(ascii: "\n") {
                result.append(trimCR(text[start..<index]))
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if start != utf8.endIndex { result.append(trimCR(text[start...])) }
        return result
    }

    private static func trimCR(_ line: Substring) -> Substring {
        line.utf8.last == UInt8(ascii: "\r") ? Substring(line.utf8.dropLast()) : line
    }

    private static func isDelimiter(_ line: Substring, _ marker: String) -> Bool {
        var l = line
        while let last = l.last, last == " " || last == "\t" { l.removeLast() }
        return l == marker
    }

    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput, .error:
                return (line, column)
            }
        }
    }
}
