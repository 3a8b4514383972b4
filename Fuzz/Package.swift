// swift-tools-version:6.1
// libFuzzer targets for Preflight's parsers. Built and run by `make fuzz` with
// -sanitize=fuzzer,address; not part of the main package, whose normal build
// has no fuzzer runtime to provide `main`.
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its folder, lower-cased: the root
// package is "preflight" in a clone called preflight, "main" in one called
// main. Read the name from where this manifest is, so that any checkout works.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rootPackage = root.lastPathComponent.lowercased()
let core = Target.Dependency.product(name: "PreflightCore", package: rootPackage)
let driver = Target.Dependency.target(name: "FuzzDriver")

let package = Package(
    name: "PreflightFuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(name: "FuzzFrontMatter", dependencies: [core, driver]),
        .executableTarget(name: "FuzzAttributes", dependencies: [core, driver]),
        .executableTarget(name: "FuzzChecks", dependencies: [core, driver]),
        .executableTarget(name: "FuzzSanitizer", dependencies: [core, driver]),
        .executableTarget(name: "FuzzCampaign", dependencies: [core, driver]),
        .executableTarget(name: "FuzzDiff", dependencies: [core, driver]),
        .executableTarget(name: "FuzzEvidence", dependencies: [core, driver]),
        // libFuzzer's entry glue, shared by every target above.
        .target(name: "FuzzDriver"),
    ]
)
