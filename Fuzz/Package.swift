// swift-tools-version:6.1
// libFuzzer targets for Preflight's parsers. Built and run by `make fuzz` with
// -sanitize=fuzzer,address; not part of the main package, whose normal build
// has no fuzzer runtime to provide `main`.
import PackageDescription

let package = Package(
    name: "PreflightFuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(name: "FuzzFrontMatter", dependencies: [.product(name: "PreflightCore", package: "main")]),
        .executableTarget(name: "FuzzAttributes", dependencies: [.product(name: "PreflightCore", package: "main")]),
        .executableTarget(name: "FuzzChecks", dependencies: [.product(name: "PreflightCore", package: "main")]),
    ]
)
