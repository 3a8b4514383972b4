import Testing
@testable import PreflightCore

// The v2 readiness rules of FORMAT.md, each at its boundaries: expiring
// answers (`every=`), upcoming checks (`from=`), expiring waivers (`until=`),
// sign-offs per level, category levels, next level and targets.

/// A three-level checklist with sign-offs, an `every=` check and a `from=` check.
private let v2Checklist = """
    ---
    title: V2
    levels: [Bronze, Silver, Gold]
    signoffs:
      - {role: SRE, level: Silver}
      - {role: Security, level: Gold}
    ---

    ## Safety {#safety}

    - [ ] Secrets are in the vault {#secrets required level=Bronze}
    - [ ] Backups are restored {#restore required level=Silver every=10}

      Restore into scratch and link the write-up.

    - [ ] Threat model {#threat level=Gold}

    ## Recovery {#recovery}

    - [ ] DR drill {#drill level=Gold}
    - [ ] Burn-rate alerts {#burn required level=Silver from=2026-02-01}
    - [ ] Notes {#notes}
    """

private func checklist(_ text: String = v2Checklist) throws -> Checklist {
    var d = DiagnosticList()
    let file = try SourceFile.split(path: "c.md", text: text).get()
    let list = try #require(Checklist.parse(id: "v2", file: file, unsafeHTML: false, diagnostics: &d))
    #expect(!d.hasErrors, "\(d.lines)")
    return list
}

private func review(
    _ body: String, date: String = "2026-01-10", signoffs: String = "", checklist list: Checklist
) throws -> Review {
    var d = DiagnosticList()
    let front = "date: \(date)\ndecision: approved" + (signoffs.isEmpty ? "" : "\nsignoffs:\n\(signoffs)")
    let file = try SourceFile.split(path: "r.md", text: "---\n\(front)\n---\n\(body)").get()
    let context = Review.Context(
        serviceName: "Svc", serviceChecklist: nil, defaultChecklist: list.id, checklists: [list.id: list],
        unsafeHTML: false)
    let r = try #require(Review.parse(service: "svc", name: "r", file: file, context: context, diagnostics: &d))
    #expect(!d.hasErrors, "\(d.lines)")
    return r
}

private let everythingDone = """
    - [x] x {#secrets}
    - [x] x {#restore}
    - [x] x {#threat}
    - [x] x {#drill}
    - [x] x {#burn}
    - [x] x {#notes}
    """

private let bothSignoffs = "  - {role: SRE, status: approved}\n  - {role: Security, status: approved}"

private func day(_ s: String) -> Day { Day(s)! }

@Suite struct QuotedAttributeTests {
    @Test func quotedValuesKeepTheirSpaces() {
        let (text, a) = Attributes.split("Check it {#c level=\"Should have\" by='Priya  Raman' weight=2}")
        #expect(text == "Check it")
        #expect(a?.id == "c")
        #expect(a?.values.map(\.key) == ["level", "by", "weight"])
        #expect(a?.values.map(\.value) == ["Should have", "Priya Raman", "2"])
    }

    @Test func anUnclosedQuoteIsText() {
        #expect(Attributes.split("Use {level=\"Should have}").attributes == nil)
        #expect(Attributes.split("Use {a=\"x\"y}").attributes == nil)
    }

    @Test func aQuotedLevelIsACheckLevel() throws {
        let list = try checklist("""
            ---
            title: Q
            levels: [Should have, Must have]
            ---
            ## A {#a}
            - [ ] x {#x required level="Must have"}
            """)
        #expect(list.checks[0].level == "Must have" && list.checks[0].required)
    }
}

@Suite struct ChecklistV2Tests {
    @Test func attributesAndGuidance() throws {
        let list = try checklist()
        let restore = try #require(list.check(id: "restore"))
        #expect(restore.every == 10)
        #expect(restore.guidanceHTML == "<p>Restore into scratch and link the write-up.</p>\n")
        #expect(restore.guidanceMarkdown == "Restore into scratch and link the write-up.")
        #expect(list.check(id: "burn")?.from == day("2026-02-01"))
        #expect(list.check(id: "secrets")?.guidanceHTML == "")
        #expect(list.signoffs.map(\.role) == ["SRE", "Security"])
        #expect(list.signoffs.map(\.levelRank) == [1, 2])
    }

    @Test func aCheckHoldingChecksHasNoGuidance() {
        let md = Markdown.render(
            "- [ ] a {#a}\n\n  About a.\n\n  - [ ] b {#b}\n\n    About *b*.\n", itemDetails: true)
        #expect(md.taskItems.map(\.detailHTML) == ["", "<p>About <em>b</em>.</p>\n"])
        #expect(md.taskItems.map(\.detailMarkdown) == ["", "About *b*."])
        // 3,000 nested checks: each would otherwise render the whole list below it.
        let deep = (0..<3_000).map { String(repeating: "  ", count: $0) + "- [ ] item \($0)\n" }.joined()
        #expect(Markdown.render(deep, itemDetails: true).taskItems.count == 3_000)
        #expect(Markdown.render("- [ ] a\n\n  more\n").taskItems[0].detailHTML == "")  // only when asked
    }

    @Test func badV2AttributesAreErrorsAtTheItem() throws {
        var d = DiagnosticList()
        let file = try SourceFile.split(path: "c.md", text: """
            ---
            title: Bad
            levels: [Bronze]
            signoffs:
              - {role: SRE, level: Platinum}
              - {role: QA, level: Bronze}
              - {role: qa , level: Bronze}
              - {role: Ops, levle: Bronze}
            ---
            ## A {#a}
            - [ ] a {#a1 every=0}
            - [ ] b {#b1 from=2026-13-01}
            - [ ] c {#c1 evry=3}
            - [ ] d {#d1 level=Bronze level=Bronze}
            """).get()
        _ = Checklist.parse(id: "bad", file: file, unsafeHTML: false, diagnostics: &d)
        let lines = d.lines
        #expect(lines.contains("c.md:5:17: error: sign-off level `Platinum` is not one of the checklist's levels"))
        #expect(lines.contains { $0.contains("sign-off role `qa` is listed twice") })
        #expect(lines.contains { $0.contains("unknown key `signoffs[4].levle`") })
        #expect(lines.contains { $0.hasPrefix("c.md:11:1: error: every must be a number of days") })
        #expect(lines.contains { $0.hasPrefix("c.md:12:1: error: from is `2026-13-01`, but there is no month 13") })
        #expect(lines.contains { $0.hasPrefix("c.md:13:1: error: unknown attribute `evry`") })
        #expect(lines.contains { $0.hasPrefix("c.md:14:1: error: attribute `level` is given twice") })
        #expect(d.sorted.first { $0.message.contains("evry") }?.hint == "did you mean `every`?")
    }
}

@Suite struct ExpiryTests {
    @Test func aDoneAnswerHoldsEveryDaysThenExpires() throws {
        let list = try checklist()
        let r = try review(everythingDone, signoffs: bothSignoffs, checklist: list)
        // Reviewed 2026-01-10 with every=10: still holds on 2026-01-20.
        let last = Readiness.evaluate(r, checklist: list, asOf: day("2026-01-20"))
        #expect(last.checks[1].state == .done)
        #expect(last.checks[1].holdsUntil == day("2026-01-20"))
        #expect(last.level == "Gold" && last.expired.isEmpty)
        let expired = Readiness.evaluate(r, checklist: list, asOf: day("2026-01-21"))
        #expect(expired.checks[1].state == .expired)
        #expect(expired.expired == ["restore"])
        #expect(expired.openRequired == ["restore"])
        #expect(expired.level == "Bronze")  // restore is Silver
        #expect(expired.categories[0].open == 1 && expired.categories[0].done == 2)
        #expect(expired.score == 80)  // 4 of 5: restore counts as open, burn (upcoming) not at all
        #expect(expired.toNextLevel == ["restore"])
    }

    @Test func aWaiverHoldsUntilItsLastDay() throws {
        let list = try checklist()
        let body = everythingDone.replacing("- [x] x {#threat}", with: "- [~] x: no data {#threat until=2026-03-31 by=\"Priya Raman\"}")
        let r = try review(body, signoffs: bothSignoffs, checklist: list)
        let lastDay = Readiness.evaluate(r, checklist: list, asOf: day("2026-03-31"))
        let threat = try #require(lastDay.checks.first { $0.id == "threat" })
        #expect(threat.state == .waived && threat.holdsUntil == day("2026-03-31"))
        #expect(lastDay.waivers == [Waiver(check: "threat", until: day("2026-03-31"), by: "Priya Raman", expired: false)])
        #expect(lastDay.level == "Bronze")  // restore (every=10, Silver) expired long ago
        let after = Readiness.evaluate(r, checklist: list, asOf: day("2026-04-01"))
        #expect(after.checks.first { $0.id == "threat" }?.state == .expired)
        #expect(after.waivers.first?.expired == true)
        #expect(after.expired == ["restore", "threat"])
    }

    @Test func aWaiverWithoutUntilNeverExpires() throws {
        let list = try checklist()
        let r = try review("- [~] x: n/a {#threat}\n", checklist: list)
        let far = Readiness.evaluate(r, checklist: list, asOf: day("2099-01-01"))
        #expect(far.checks.first { $0.id == "threat" }?.state == .waived)
        #expect(far.waivers == [Waiver(check: "threat", until: nil, by: nil, expired: false)])
    }
}

@Suite struct UpcomingTests {
    @Test func anUpcomingCheckCountsNowhereUntilItsDay() throws {
        let list = try checklist()
        // burn (required, Silver, from 2026-02-01) is left open.
        let body = everythingDone.replacing("- [x] x {#burn}", with: "- [ ] x {#burn}")
        let r = try review(body, date: "2026-01-25", signoffs: bothSignoffs, checklist: list)
        let before = Readiness.evaluate(r, checklist: list, asOf: day("2026-01-31"))
        #expect(before.checks.first { $0.id == "burn" }?.state == .upcoming)
        #expect(before.score == 100 && before.level == "Gold")
        #expect(before.openRequired.isEmpty)
        #expect(before.categories[1].open == 0 && before.categories[1].done == 2)  // drill and notes
        #expect(before.categories[1].level == "Gold")  // burn's Silver is not a candidate
        let on = Readiness.evaluate(r, checklist: list, asOf: day("2026-02-01"))
        #expect(on.checks.first { $0.id == "burn" }?.state == .open)
        #expect(on.openRequired == ["burn"])
        #expect(on.level == "Bronze")
        #expect(on.toNextLevel == ["burn"])
        #expect(on.categories[1].level == nil)  // its lowest candidate, Silver, is not met
    }

    @Test func anUpcomingWaiverIsNotListed() throws {
        let list = try checklist()
        let r = try review("- [~] x: later {#burn}\n", checklist: list)
        #expect(Readiness.evaluate(r, checklist: list, asOf: day("2026-01-31")).waivers.isEmpty)
        #expect(Readiness.evaluate(r, checklist: list, asOf: day("2026-02-01")).waivers.count == 1)
    }
}

@Suite struct SignoffLevelTests {
    func level(_ signoffs: String) throws -> ReviewReadiness {
        let list = try checklist()
        let r = try review(everythingDone, signoffs: signoffs, checklist: list)
        return Readiness.evaluate(r, checklist: list, asOf: day("2026-01-10"))
    }

    @Test func eachLevelNeedsItsSignoffsApproved() throws {
        #expect(try level("").level == "Bronze")
        #expect(try level("").signoffsToNextLevel == ["SRE"])
        #expect(try level("  - {role: SRE, status: pending}").level == "Bronze")
        #expect(try level("  - {role: SRE, status: rejected}").level == "Bronze")
        let silver = try level("  - {role: sre , status: approved}")  // case and spaces ignored
        #expect(silver.level == "Silver")
        #expect(silver.nextLevel == "Gold" && silver.signoffsToNextLevel == ["Security"])
        #expect(silver.toNextLevel.isEmpty)
        #expect(try level("  - {role: Security, status: approved}").level == "Bronze")  // SRE gates Silver first
        #expect(try level(bothSignoffs).level == "Gold")
        let twice = try level("  - {role: SRE, status: pending}\n  - {role: SRE, status: approved}")
        #expect(twice.level == "Silver")
    }

    @Test func signoffsNeverGateCategoryLevels() throws {
        let r = try level("")
        #expect(r.categories.map(\.level) == ["Gold", "Gold"])
    }
}

@Suite struct NextLevelAndTargetTests {
    let list: Checklist
    init() throws { list = try checklist() }

    func evaluate(_ body: String, target: String?, signoffs: String = bothSignoffs) throws -> (ReviewReadiness, Review) {
        let r = try review(body, signoffs: signoffs, checklist: list)
        return (Readiness.evaluate(r, checklist: list, asOf: day("2026-01-10"), target: target), r)
    }

    @Test func noLevelMeansTheLowestIsNext() throws {
        let (r, _) = try evaluate("- [x] x {#restore}\n", target: nil)
        #expect(r.level == nil && r.nextLevel == "Bronze")
        #expect(r.toNextLevel == ["secrets"])
        #expect(r.signoffsToNextLevel.isEmpty)  // no sign-off gates Bronze
    }

    @Test func atTheTopThereIsNoNextLevel() throws {
        let (r, _) = try evaluate(everythingDone, target: "Gold")
        #expect(r.level == "Gold" && r.nextLevel == nil && r.toNextLevel.isEmpty && !r.belowTarget)
    }

    @Test func toNextLevelIsInChecklistOrderAndLeavesOutUnlevelledChecks() throws {
        let (r, _) = try evaluate("- [x] x {#secrets}\n", target: nil)
        #expect(r.level == "Bronze" && r.nextLevel == "Silver")
        #expect(r.toNextLevel == ["restore"])  // burn is upcoming on 2026-01-10; notes has no level
    }

    @Test func belowTargetIsNotReady() throws {
        let (r, review) = try evaluate("- [x] x {#secrets}\n", target: "Silver")
        #expect(r.belowTarget)
        let (status, reason) = Readiness.status(of: review, r)
        #expect(status == .notReady)
        #expect(reason == "required check restore is open")  // named first
        let (bronze, bronzeReview) = try evaluate("- [x] x {#secrets}\n- [x] x {#restore}\n", target: "Gold")
        #expect(Readiness.status(of: bronzeReview, bronze) == (.notReady, "below its target Gold (at Silver)"))
        let (none, noneReview) = try evaluate("", target: "Bronze")
        #expect(none.belowTarget)
        #expect(Readiness.status(of: noneReview, none).0 == .notReady)
        let (met, _) = try evaluate("- [x] x {#secrets}\n- [x] x {#restore}\n", target: "Silver")
        #expect(!met.belowTarget)
        let (unknown, _) = try evaluate(everythingDone, target: "Platinum")
        #expect(unknown.belowTarget)  // a target the checklist lacks can never be met
    }

    @Test func anUnreviewedServiceWithATarget() {
        var service = Service(slug: "svc")
        service.checklist = "v2"
        let r = Readiness.service(
            service, reviews: [], checklists: ["v2": list], defaultChecklist: nil, staleAfterDays: 180,
            buildDate: day("2026-03-01"), target: "Silver")
        #expect(r.status == .unreviewed)
        #expect(r.level == nil && r.nextLevel == "Bronze")
        #expect(r.belowTarget && r.target == "Silver")
        #expect(r.toNextLevel.isEmpty && r.signoffsToNextLevel.isEmpty && r.waivers.isEmpty && r.expired.isEmpty)
        #expect(!r.stale)
        let without = Readiness.service(
            service, reviews: [], checklists: ["v2": list], defaultChecklist: nil, staleAfterDays: 180,
            buildDate: day("2026-03-01"))
        #expect(!without.belowTarget)
    }

    @Test func earlierReviewsAreJudgedOnTheirOwnDate() throws {
        let first = try review(everythingDone, date: "2026-01-10", signoffs: bothSignoffs, checklist: list)
        var second = try review(everythingDone, date: "2026-03-01", signoffs: bothSignoffs, checklist: list)
        second.name = "r2"
        let r = Readiness.service(
            Service(slug: "svc"), reviews: [first, second], checklists: ["v2": list], defaultChecklist: nil,
            staleAfterDays: 180, buildDate: day("2026-03-20"))
        // The first review's restore answer is fresh on its own day; the
        // latest's restore (every=10) has expired by the build date.
        #expect(r.trend == [100, 83])  // 5 of 6 by 2026-03-20: burn counts from 2026-02-01
        #expect(r.expired == ["restore"])
    }
}

@Suite struct TargetConfigTests {
    @Test func targetsByTierWithAFallback() {
        var d = DiagnosticList()
        let config = SiteConfig.parse("targets:\n  1: Gold\n  \"2\": Silver\n  \"*\": Bronze\nwaiver_warning_days: 14\n", diagnostics: &d)
        #expect(!d.hasErrors, "\(d.lines)")
        #expect(config.target(forTier: "1")?.level == "Gold")
        #expect(config.target(forTier: "2")?.level == "Silver")
        #expect(config.target(forTier: "3")?.level == "Bronze")
        #expect(config.target(forTier: nil)?.key == "*")
        #expect(config.waiverWarningDays == 14)
        var service = Service(slug: "s")
        service.tier = "1"
        #expect(Readiness.target(of: service, config: config) == "Gold")
        service.target = "Bronze"
        #expect(Readiness.target(of: service, config: config) == "Bronze")
    }

    @Test func badValuesAreErrors() {
        var d = DiagnosticList()
        _ = SiteConfig.parse("targets: [Gold]\nwaiver_warning_days: -1\n", diagnostics: &d)
        #expect(d.lines.contains { $0.contains("`targets` must be a mapping") })
        #expect(d.lines.contains { $0.contains("`waiver_warning_days` must be zero or more") })
    }

    @Test func aTargetTheChecklistLacksIsAnErrorAtItsKey() throws {
        let (content, d, _) = try loadSite([
            "preflight.yml": "targets:\n  \"1\": Platinum\n  \"2\": Gold\n",
            "content/checklists/v2.md": v2Checklist,
            "content/checklists/small.md": "---\ntitle: Small\nlevels: [Bronze, Silver]\n---\n## A {#a}\n- [ ] x {#x level=Bronze}\n",
            "content/services/a/index.md": "---\ntier: 2\nchecklist: small\n---\n",
            "content/services/b/index.md": "---\ntier: 2\nchecklist: small\n---\n",
            "content/services/c/index.md": "---\nchecklist: v2\ntarget: Diamond\n---\n",
            "content/services/d/index.md": "---\ntier: 2\nchecklist: v2\n---\n",
        ])
        #expect(content == nil)
        #expect(d.lines.contains("preflight.yml:2:3: error: target `Platinum` for tier `1` is not a level of any checklist"))
        // Reported once for tier 2 and checklist `small`, though two services use it.
        #expect(d.lines.filter { $0.contains("target `Gold` for tier `2`") } == [
            "preflight.yml:3:3: error: target `Gold` for tier `2` is not a level of checklist `small`, which service `a` uses",
        ])
        #expect(d.lines.contains("content/services/c/index.md:3:1: error: target `Diamond` is not a level of checklist `v2`"))
        #expect(d.items.filter { $0.severity == .error }.count == 3)
    }
}

@Suite struct WaiverAttributeTests {
    func parse(_ body: String) throws -> (Review?, DiagnosticList) {
        let list = try checklist()
        var d = DiagnosticList()
        let file = try SourceFile.split(path: "r.md", text: "---\ndate: 2026-01-10\n---\n\(body)").get()
        let context = Review.Context(
            serviceName: "Svc", serviceChecklist: nil, defaultChecklist: "v2", checklists: ["v2": list],
            unsafeHTML: false)
        return (Review.parse(service: "svc", name: "r", file: file, context: context, diagnostics: &d), d)
    }

    @Test func untilAndByOnAWaiver() throws {
        let (r, d) = try parse("- [~] Threat model: n/a {#threat until=2026-05-01 by=\"Priya Raman\"}\n")
        #expect(d.items.isEmpty, "\(d.lines)")
        #expect(r?.answers["threat"]?.until == day("2026-05-01"))
        #expect(r?.answers["threat"]?.by == "Priya Raman")
        #expect(r?.answers["threat"]?.reason == "n/a")
    }

    @Test func aBadUntilIsAnError() throws {
        let (_, d) = try parse("- [~] x: n/a {#threat until=May}\n")
        #expect(d.lines == ["r.md:4:1: error: until must be a day written YYYY-MM-DD, not `May`"])
    }

    @Test func untilOnADoneAnswerIsIgnoredWithAWarning() throws {
        let (r, d) = try parse("- [x] x {#threat until=2026-05-01}\n")
        #expect(d.lines == ["r.md:4:1: warning: `until` only applies to a waived answer `[~]`; ignored here"])
        #expect(r?.answers["threat"]?.until == nil)
    }

    @Test func checkAttributesOnAReviewAreErrors() throws {
        let (_, d) = try parse("- [x] x {#threat every=3}\n- [x] x {#drill required}\n")
        #expect(d.lines == [
            "r.md:4:1: error: a review's task item takes no `every=`",
            "r.md:5:1: error: a review's task item takes no `required`",
        ])
    }
}

/// `check`'s expiry warnings and `--fail-on` conditions, at their boundaries.
@Suite struct ExpiryWarningTests {
    func check(_ body: String, asOf: String, failOn: Set<SiteChecks.Condition> = []) throws -> [String] {
        let site = try TempSite([
            "preflight.yml": "waiver_warning_days: 10\n",
            "content/checklists/v2.md": v2Checklist,
            "content/services/svc/index.md": "---\nname: Svc\ntarget: Silver\n---\n",
            "content/services/svc/reviews/r.md": "---\ndate: 2026-01-10\ndecision: approved\n---\n" + body,
        ])
        let result = Site.check(BuildOptions(siteDirectory: site.root, buildDate: day(asOf)), failOn: failOn)
        return result.diagnostics.lines.filter {
            $0.contains("waiver of") || $0.contains("answer to") || $0.contains("--fail-on")
        }
    }

    @Test func waiversWarnWithinTheWindowAndWhenExpired() throws {
        let waiver = "- [~] x: n/a {#threat until=2026-01-20}\n"
        // Holds until 2026-01-20, so it stops holding on 2026-01-21: 11 days after 2026-01-10.
        #expect(try check(waiver, asOf: "2026-01-10").isEmpty)
        #expect(try check(waiver, asOf: "2026-01-11") == [
            "r.md:5:1: warning: waiver of `threat` expires in 10 days (it holds until 2026-01-20)",
        ].map { "content/services/svc/reviews/" + $0 })
        #expect(try check(waiver, asOf: "2026-01-20").first?.contains("expires tomorrow") == true)
        #expect(try check(waiver, asOf: "2026-01-21").first?.contains("waiver of `threat` expired today") == true)
        #expect(try check("- [~] x: n/a {#threat}\n", asOf: "2026-01-10").first?.contains("has no end date") == true)
    }

    @Test func answersWarnWithinTheWindow() throws {
        // restore: every=10, done on 2026-01-10, holds until 2026-01-20.
        #expect(try check("- [x] x {#restore}\n", asOf: "2026-01-10").isEmpty)  // 11 days left: outside the window
        #expect(try check("- [x] x {#restore}\n", asOf: "2026-01-11").first?.contains("answer to `restore` expires in 10 days") == true)
        #expect(try check("- [x] x {#restore}\n", asOf: "2026-01-22").first?.contains("answer to `restore` expired 1 day ago") == true)
    }

    @Test func failOnBelowTargetAndExpiredWaiver() throws {
        let gates: Set<SiteChecks.Condition> = [.belowTarget, .expiredWaiver]
        let body = "- [x] x {#secrets}\n- [~] x: n/a {#restore until=2026-01-20}\n"
        let holding = try check(body, asOf: "2026-01-20", failOn: gates).filter { $0.contains("error") }
        // No approved SRE sign-off, so Silver (the target) is out of reach either way;
        // the waiver fails the gate only once it has expired.
        #expect(holding == [
            "content/services/svc/index.md:1:1: error: service `svc` is below its target Silver (at Bronze) (--fail-on)",
        ])
        let expired = try check(body, asOf: "2026-01-21", failOn: gates).filter { $0.contains("error") }
        #expect(expired == [
            "content/services/svc/index.md:1:1: error: service `svc` has expired waiver of restore (--fail-on)",
            "content/services/svc/index.md:1:1: error: service `svc` is below its target Silver (at Bronze) (--fail-on)",
        ])
    }
}

/// What a hostile or careless pass over the v2 syntax found.
@Suite struct V2HostileInputTests {
    func reviewDiagnostics(_ body: String) throws -> [String] {
        var d = DiagnosticList()
        let list = try checklist()
        let file = try SourceFile.split(path: "r.md", text: "---\ndate: 2026-01-10\n---\n\(body)").get()
        let context = Review.Context(
            serviceName: "Svc", serviceChecklist: nil, defaultChecklist: "v2", checklists: ["v2": list],
            unsafeHTML: false)
        _ = Review.parse(service: "svc", name: "r", file: file, context: context, diagnostics: &d)
        return d.lines
    }

    /// A block Preflight cannot read would silently turn a waiver into an open check.
    @Test(arguments: [
        "- [~] Threat model: n/a {#threat until=2026-02-01 by=\"<script>x</script>\"}",
        "- [~] Threat model: n/a {#threat by=*Bob*}",
        "- [~] Threat model: n/a {#threat by=\"Priya Raman}",
        "- [~] Threat model: n/a {#threat #drill}",
        "- [x] Threat model {#threat}{#threat}",
        "- [~] Threat model: n/a {#threat until=}",
    ])
    func unreadableBlocksAreErrors(item: String) throws {
        // (Raw HTML inside the block is also removed from the page, with a warning.)
        let lines = try reviewDiagnostics(item + "\n").filter { $0.contains(": error: ") }
        #expect(lines.count == 1 && lines[0].hasPrefix("r.md:4:1: error: cannot read the attribute block `{#"), "\(lines)")
    }

    @Test func aDriftedAnswerGetsADidYouMean() throws {
        var d = DiagnosticList()
        let list = try checklist()
        let file = try SourceFile.split(path: "r.md", text: "---\ndate: 2026-01-10\n---\n- [x] Backups are restord\n- [x] Unrelated prose task\n").get()
        let context = Review.Context(
            serviceName: "Svc", serviceChecklist: nil, defaultChecklist: "v2", checklists: ["v2": list], unsafeHTML: false)
        _ = Review.parse(service: "svc", name: "r", file: file, context: context, diagnostics: &d)
        #expect(d.lines == [
            "r.md:4:1: warning: task item answers no check of checklist `v2`",
            "r.md:5:1: warning: task item answers no check of checklist `v2`",
        ])
        #expect(d.sorted.map(\.hint) == [
            "did you mean `restore` (“Backups are restored”)? Answer it with `{#restore}`",
            "answer a check with its `{#id}`, or put follow-ups under an `## Action items` heading",
        ])
    }

    @Test func repeatedAttributesAreErrors() throws {
        #expect(try reviewDiagnostics("- [~] Threat model: n/a {#threat until=2026-02-01 until=2026-03-01}\n")
            == ["r.md:4:1: error: attribute `until` is given twice"])
        var d = DiagnosticList()
        let file = try SourceFile.split(path: "c.md", text: "---\ntitle: T\n---\n## A {#a}\n- [ ] x {#x required required}\n").get()
        _ = Checklist.parse(id: "c", file: file, unsafeHTML: false, diagnostics: &d)
        #expect(d.lines == ["c.md:5:1: error: attribute `required` is given twice on check"])
    }

    @Test func theLastDayOfTheCalendarStillHolds() throws {
        let list = try checklist()
        let r = try review("- [~] x: n/a {#threat until=9999-12-31}\n", checklist: list)
        let e = Readiness.evaluate(r, checklist: list, asOf: day("9999-12-31"))
        #expect(e.checks.first { $0.id == "threat" }?.state == .waived)
    }

    @Test func emptyNamesAreErrors() throws {
        var d = DiagnosticList()
        let file = try SourceFile.split(path: "c.md", text: """
            ---
            title: T
            levels: [Bronze, "", " Padded "]
            signoffs:
              - {role: "", level: Bronze}
            ---
            ## A {#a}
            - [ ] x {#x}
            """).get()
        _ = Checklist.parse(id: "c", file: file, unsafeHTML: false, diagnostics: &d)
        #expect(d.lines.filter { $0.contains("must be a name without") }.count == 2)
        #expect(d.lines.contains { $0.contains("`signoffs[1].role` is empty") })
        var c = DiagnosticList()
        _ = SiteConfig.parse("targets:\n  ~: Gold\n  \"2\":\n", diagnostics: &c)
        #expect(c.lines == [
            "preflight.yml:2:3: error: `targets` needs a tier value before each `:`",
            "preflight.yml:3:3: error: `targets.2` must be a level name",
        ])
    }

    /// Thousands of sign-offs, levels or targets stay linear (each was a
    /// quadratic scan); no timing here, but a quadratic pass would not finish.
    @Test func manyEntriesStayLinear() throws {
        let n = 20_000
        let levels = (0..<n).map { "L\($0)" }
        let text = "---\ntitle: T\nlevels: [\(levels.joined(separator: ", "))]\nsignoffs:\n"
            + (0..<n).map { "  - {role: R\($0), level: L\($0)}\n" }.joined() + "---\n## A {#a}\n- [ ] x {#x level=L0}\n"
        var d = DiagnosticList()
        let file = try SourceFile.split(path: "c.md", text: text).get()
        let list = try #require(Checklist.parse(id: "c", file: file, unsafeHTML: false, diagnostics: &d))
        #expect(list.signoffs.count == n && !d.hasErrors)
        var c = DiagnosticList()
        let config = SiteConfig.parse("targets:\n" + (0..<n).map { "  \"\($0)\": L\($0)\n" }.joined(), diagnostics: &c)
        #expect(config.targets.count == n)
    }
}

/// An evaluation keeps what its states are made from; what it gives back is what
/// the rules give for each check, in checklist order, answers and all.
@Suite struct DerivedEvaluationTests {
    @Test func checksExpandToTheRulesStates() throws {
        let list = try checklist()
        let r = try review(
            """
            - [x] Secrets are in the vault {#secrets}
            - [x] x {#restore}
            - [~] Threat model: out of scope for a stateless service {#threat until=2026-01-20 by=ciso}
            - [ ] x {#drill}
            """, checklist: list)
        let asOf = Day("2026-03-01")!
        let evaluation = Readiness.evaluate(r, checklist: list, asOf: asOf)
        let expected = list.checks.map { CheckState($0, answer: r.answers[$0.id], reviewDate: r.date, on: asOf) }
        #expect(evaluation.checks == expected)
        // restore's done answer ran out on 2026-01-20 (every=10), as did the waiver.
        #expect(evaluation.checks.map(\.state) == [.done, .expired, .expired, .open, .unanswered, .unanswered])
        #expect(evaluation.checks.map(\.id) == list.checks.map(\.id))
        for i in expected.indices { #expect(evaluation.derived[i] == expected[i]) }
        let waived = try #require(evaluation.checks.first { $0.id == "threat" }?.answer)
        #expect(waived.until == Day("2026-01-20") && waived.by == "ciso" && waived.reason == "out of scope for a stateless service")
    }
}
