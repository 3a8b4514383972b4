import Foundation
import Testing

private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// `make fuzz` must work in a checkout of any name: SwiftPM names the root
/// package after its folder, and the fuzz package once named it "main".
/// The manifests are copied into a folder with another name and the fuzz
/// package's graph is loaded there (nothing is compiled).
@Suite struct FuzzPackageTests {
    @Test func theFuzzPackageLoadsInAFolderOfAnyName() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let checkout = scratch.appendingPathComponent("Some Checkout-2")
        for path in ["Package.swift", "Sources", "Fuzz/Package.swift", "Fuzz/Sources"] {
            let target = checkout.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: repository.appendingPathComponent(path), to: target)
        }
        let run = try run(
            "/usr/bin/env",
            ["swift", "package", "--package-path", checkout.appendingPathComponent("Fuzz").path,
             "--scratch-path", scratch.appendingPathComponent("build").path, "describe", "--type", "json"])
        #expect(run.status == 0, Comment(rawValue: run.stderr))
        let description = try #require(
            try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let dependencies = description["dependencies"] as? [[String: Any]] ?? []
        #expect(dependencies.compactMap { $0["identity"] as? String } == ["some checkout-2"])

        // Every target `make fuzz` runs is in the package, and every target of the package is run.
        let targets = Set((description["targets"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "executable" }
            .compactMap { $0["name"] as? String })
        #expect(targets.count >= 6)
        let makefile = try String(contentsOf: repository.appendingPathComponent("Makefile"), encoding: .utf8)
        let line = try #require(makefile.split(separator: "\n").first { $0.hasPrefix("FUZZ_TARGETS :=") })
        let run_ = Set(line.dropFirst("FUZZ_TARGETS :=".count).split(separator: " ").map { String($0.split(separator: ":")[0]) })
        #expect(run_ == targets)
        // And each has a seed corpus.
        for pair in line.dropFirst("FUZZ_TARGETS :=".count).split(separator: " ") {
            let corpus = repository.appendingPathComponent("Fuzz/corpus/" + String(pair.split(separator: ":")[1])).path
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []).count >= 2, Comment(rawValue: corpus))
        }
    }
}
