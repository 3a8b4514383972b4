import Foundation
import Testing
@testable import PreflightCore

@Suite struct ActionItemTidyTests {
    /// The rules as first written with Foundation: the one-pass `tidy` must
    /// give the same text.
    static func reference(_ text: String) -> String {
        var s = text.replacingOccurrences(of: "( )", with: "").replacingOccurrences(of: "()", with: "")
        while s.contains("  ") { s = s.replacingOccurrences(of: "  ", with: " ") }
        for mark in [",", ".", ";", ":", ")", "!", "?"] { s = s.replacingOccurrences(of: " " + mark, with: mark) }
        return s
    }

    @Test func examples() {
        #expect(Review.ActionItem.tidy("Fix the alerts ( ) , then  ship .") == "Fix the alerts, then ship.")
        #expect(Review.ActionItem.tidy("(()) and ( ( ) )") == "() and ()")
        #expect(Review.ActionItem.tidy("   ") == " ")
    }

    /// Every kind of text but one: a zero-width joiner, which Unicode's
    /// grapheme rules (so Swift's Characters, and `tidy`) join to the
    /// character before it and Foundation's search does not. No real
    /// action item has a joiner right after a bracket or a space.
    @Test func matchesTheFoundationRules() {
        let pieces = ["(", ")", " ", "  ", ",", ".", ";", ":", "!", "?", "a", "é", "e\u{301}", "\u{301}", "\u{FE0F}", "🏽", "\u{0308}",
            "\r\n", "\n", "—", "👍🏽", "\t", "( )", "()"]
        var random = SeededRandom(seed: 0x71D7)
        for _ in 0..<4_000 {
            var text = ""
            for _ in 0..<random.below(10) { text += pieces[random.below(pieces.count)] }
            #expect(Review.ActionItem.tidy(text) == Self.reference(text), "\(text.debugDescription)")
        }
    }
}
