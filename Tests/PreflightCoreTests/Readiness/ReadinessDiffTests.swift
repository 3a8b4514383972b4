import Foundation
import Testing
@testable import PreflightCore

/// `preflight diff`'s rules: two small sites compared as of one day.
@Suite struct ReadinessDiffTests {
    static let day = Day("2026-03-01")!

    /// A base site: `alpha` at Bronze (sec-deps open), `beta` at Silver, `gamma` unreviewed.
    static let base: [String: String] = [
        "preflight.yml": "stale_after_days: 100\n",
        "content/checklists/basic.md": basicChecklist,
        "content/services/alpha/index.md": "---\nname: Alpha\n---\n",
        "content/services/alpha/reviews/r1.md": review(done: ["sec-secrets"]),
        "content/services/beta/index.md": "---\nname: Beta\n---\n",
        "content/services/beta/reviews/r1.md": review(done: ["sec-secrets", "sec-deps"]),
        "content/services/gamma/index.md": "---\nname: Gamma\n---\n",
    ]

    static func review(done: Set<String>, waived: Set<String> = [], date: String = "2026-02-01") -> String {
        let checks = [
            ("sec-secrets", "Secrets live in the secret store"), ("sec-deps", "Dependencies are scanned"),
            ("ops-alerts", "Alerts page the on-call"), ("ops-runbooks", "Runbooks exist"),
        ]
        let lines = checks.map { id, text in
            "- [\(done.contains(id) ? "x" : waived.contains(id) ? "~" : " ")] \(text)\(waived.contains(id) ? ": not here" : "") {#\(id)}"
        }
        return "---\ndate: \(date)\ndecision: approved\n---\n" + lines.joined(separator: "\n") + "\n"
    }

    func compare(_ base: [String: String], _ head: [String: String]) throws -> Site.Comparison {
        let old = try TempSite(base)
        let new = try TempSite(head)
        return Site.compare(base: old.root, head: BuildOptions(siteDirectory: new.root, buildDate: Self.day))
    }

    func change(_ slug: String, _ comparison: Site.Comparison) -> ReadinessDiff.ServiceChange? {
        comparison.diff.services.first { $0.slug == slug }
    }

    @Test func identicalSitesHaveNoChange() throws {
        let c = try compare(Self.base, Self.base)
        #expect(c.diff.services.isEmpty)
        #expect(c.diff.checklists.isEmpty)
        #expect(c.diff.unchanged == 3)
        #expect(c.baseErrors.isEmpty && c.headErrors.isEmpty)
    }

    @Test func tickingABoxImproves() throws {
        var head = Self.base
        head["content/services/alpha/reviews/r1.md"] = Self.review(done: ["sec-secrets", "sec-deps"])
        let c = try compare(Self.base, head)
        let alpha = try #require(change("alpha", c))
        #expect(alpha.kind == .improved)
        #expect(alpha.newlyDone == ["sec-deps"])
        #expect(alpha.newlyOpen.isEmpty)
        #expect(alpha.before?.level == "Bronze" && alpha.after?.level == "Silver")
        #expect(alpha.before?.score == 20 && alpha.after?.score == 60)
        #expect(alpha.regressions.isEmpty)
        #expect(c.diff.unchanged == 2)
        #expect(c.diff.regressions(in: Set(ReadinessDiff.Condition.allCases)).isEmpty)
    }

    @Test func uncheckingARequiredBoxRegressesInEveryWay() throws {
        var head = Self.base
        head["content/services/beta/reviews/r1.md"] = Self.review(done: ["sec-deps"])
        let c = try compare(Self.base, head)
        let beta = try #require(change("beta", c))
        #expect(beta.kind == .regression)
        #expect(beta.regressions == [.levelDrop, .scoreDrop, .statusDrop])
        #expect(beta.newlyOpen == ["sec-secrets"])
        #expect(beta.before?.status == .ready && beta.after?.status == .notReady)
        #expect(beta.after?.reason == "required check sec-secrets is open")
        #expect(c.diff.regressions(in: [.scoreDrop]).map(\.slug) == ["beta"])
        #expect(c.diff.regressions(in: [.stale, .belowTarget]).isEmpty)
    }

    @Test func waivingAndUnwaivingAreListed() throws {
        var head = Self.base
        head["content/services/alpha/reviews/r1.md"] = Self.review(done: ["sec-secrets"], waived: ["sec-deps"])
        let c = try compare(Self.base, head)
        let alpha = try #require(change("alpha", c))
        #expect(alpha.newlyWaived == ["sec-deps"])
        #expect(alpha.kind == .improved)
        let back = try compare(head, Self.base)
        #expect(try #require(change("alpha", back)).newlyOpen == ["sec-deps"])
    }

    @Test func aRequiredCheckAddedToTheChecklistMovesEveryReviewedService() throws {
        var head = Self.base
        head["content/checklists/basic.md"] = basicChecklist + "\n- [ ] Backups are restored monthly {#ops-backup required level=Bronze}\n"
        let c = try compare(Self.base, head)
        #expect(c.diff.services.map(\.slug) == ["alpha", "beta"])
        #expect(change("beta", c)?.regressions == [.levelDrop, .scoreDrop, .statusDrop])
        #expect(change("beta", c)?.newlyOpen == ["ops-backup"])
        #expect(change("alpha", c)?.regressions == [.levelDrop, .scoreDrop, .statusDrop])
        let edit = try #require(c.diff.checklists.first)
        #expect(c.diff.checklists.count == 1)
        #expect(edit.kind == .added && edit.subject == "ops-backup" && edit.after == "required, Bronze")
        #expect(edit.servicesMoved == 2)
    }

    @Test func checklistEditsCountOnlyTheServicesEachMoves() throws {
        var head = Self.base
        // Runbooks becomes Bronze: alpha and beta have it open, so both drop a level.
        // Alerts is re-weighted: it is open in both, so both scores move.
        // The sign-off only gates Gold, which nobody reaches: it moves none.
        head["content/checklists/basic.md"] = basicChecklist
            .replacingOccurrences(of: "{#ops-runbooks}", with: "{#ops-runbooks level=Bronze}")
            .replacingOccurrences(of: "{#ops-alerts level=Gold}", with: "{#ops-alerts level=Gold weight=5}")
            .replacingOccurrences(of: "levels: [Bronze, Silver, Gold]", with: "levels: [Bronze, Silver, Gold]\nsignoffs:\n  - {role: SRE, level: Gold}")
        let c = try compare(Self.base, head)
        let edits = c.diff.checklists.map { "\($0.kind.rawValue) \($0.subject ?? "") \($0.before ?? "-") \($0.after ?? "-") \($0.servicesMoved ?? -1)" }
        #expect(edits == [
            "weight ops-alerts weight 1 weight 5 2",
            "level ops-runbooks - Bronze 2",
            "signoff-added SRE - Gold 0",
        ])
    }

    @Test func removedChecksAndLaddersAreEdits() throws {
        var head = Self.base
        head["content/checklists/basic.md"] = basicChecklist
            .replacingOccurrences(of: "- [ ] Runbooks exist {#ops-runbooks}\n", with: "")
            .replacingOccurrences(of: "- [ ] Runbooks exist {#ops-runbooks}", with: "")
            .replacingOccurrences(of: "levels: [Bronze, Silver, Gold]", with: "levels: [Bronze, Silver, Gold, Platinum]")
        let c = try compare(Self.base, head)
        let kinds = c.diff.checklists.map(\.kind)
        #expect(kinds == [.levels, .removed])
        #expect(c.diff.checklists[0].before == "Bronze < Silver < Gold")
        // Runbooks was open in both reviews: removing it raises both scores.
        #expect(c.diff.checklists[1].servicesMoved == 2)
        #expect(c.diff.checklists[0].servicesMoved == 0)
    }

    @Test func servicesAddedAndRemoved() throws {
        var head = Self.base
        head["content/services/gamma/index.md"] = nil
        head["content/services/delta/index.md"] = "---\nname: Delta\n---\n"
        let c = try compare(Self.base, head)
        #expect(c.diff.services.map { "\($0.slug) \($0.kind.rawValue)" } == ["delta added", "gamma removed"])
        #expect(change("delta", c)?.after?.status == .unreviewed)
        #expect(change("gamma", c)?.before?.status == .unreviewed)
        // Added and removed services never count as regressions.
        #expect(c.diff.regressions(in: Set(ReadinessDiff.Condition.allCases)).isEmpty)
    }

    @Test func aNewUnmetTargetAndStalenessAreRegressions() throws {
        var head = Self.base
        head["content/services/alpha/index.md"] = "---\nname: Alpha\ntarget: Gold\n---\n"
        head["preflight.yml"] = "stale_after_days: 10\n"
        let c = try compare(Self.base, head)
        let alpha = try #require(change("alpha", c))
        #expect(alpha.regressions == [.statusDrop, .belowTarget, .stale])
        #expect(alpha.after?.targetMet == false)
        #expect(change("beta", c)?.regressions == [.stale])
        // A target that is met is a change, not a regression.
        var met = Self.base
        met["content/services/beta/index.md"] = "---\nname: Beta\ntarget: Bronze\n---\n"
        let d = try compare(Self.base, met)
        #expect(change("beta", d)?.kind == .changed)
        #expect(change("beta", d)?.after?.targetMet == true)
    }

    @Test func statusOrderIsReadyConditionalInReviewNotReadyUnreviewed() throws {
        var head = Self.base
        head["content/services/beta/reviews/r1.md"] = Self.review(done: ["sec-secrets", "sec-deps"])
            .replacingOccurrences(of: "decision: approved", with: "decision: in-progress")
        let c = try compare(Self.base, head)
        #expect(change("beta", c)?.regressions == [.statusDrop])
        let back = try compare(head, Self.base)
        #expect(change("beta", back)?.kind == .improved)
    }

    @Test func aBaseWithErrorsIsComparedAsFarAsItCanBeRead() throws {
        var broken = Self.base
        broken["content/services/alpha/reviews/r1.md"] = "---\ndate: 2026-02-01\ndecision: aproved\n---\n"
        let c = try compare(broken, Self.base)
        #expect(!c.baseErrors.isEmpty)
        #expect(c.headErrors.isEmpty)
        #expect(c.baseErrors.allSatisfy { $0.severity == .error })
        // beta and gamma compare as usual.
        #expect(change("beta", c) == nil)
        let d = try compare(Self.base, broken)
        #expect(!d.headErrors.isEmpty && d.baseErrors.isEmpty)
    }

    @Test func noBaseMeansEveryServiceIsNew() throws {
        let head = try TempSite(Self.base)
        let c = Site.compare(base: nil, head: BuildOptions(siteDirectory: head.root, buildDate: Self.day))
        #expect(c.diff.services.map(\.kind) == [.added, .added, .added])
    }

    @Test func removingEveryReviewDropsTheScore() throws {
        var head = Self.base
        head["content/services/beta/reviews/r1.md"] = nil
        let c = try compare(Self.base, head)
        #expect(change("beta", c)?.regressions == [.levelDrop, .scoreDrop, .statusDrop])
    }

    /// Unreviewed is worse than stale: a first review, however old, is no regression.
    @Test func aFirstOldReviewIsNotBecomingStale() throws {
        var head = Self.base
        head["content/services/gamma/reviews/r1.md"] = Self.review(done: ["sec-secrets"], date: "2025-01-01")
        let c = try compare(Self.base, head)
        let gamma = try #require(change("gamma", c))
        #expect(gamma.after?.stale == true)
        #expect(gamma.kind == .improved)
        #expect(gamma.regressions.isEmpty)
    }
}

