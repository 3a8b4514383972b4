import Glibc

// libFuzzer's driver, started from each target's own main: SwiftPM names an
// executable's entry point itself, so the runtime's `main` cannot be used
// directly. One copy for every target; each passes its `fuzzOne`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// The target's function, set once before the driver starts.
nonisolated(unsafe) private var target: ((UnsafePointer<UInt8>, Int) -> Int32)?

/// Runs libFuzzer on `fuzzOne` with the process's arguments, and exits with its status.
public func runFuzzer(_ fuzzOne: @escaping (UnsafePointer<UInt8>, Int) -> Int32) -> Never {
    target = fuzzOne
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in testOneInput(data, size) }
    exit(status)
}

/// The name libFuzzer's runtime refers to; the driver above is given the same function.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    target!(data ?? UnsafePointer(bitPattern: 1)!, size)
}
