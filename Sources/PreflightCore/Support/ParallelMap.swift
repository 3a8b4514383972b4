import Dispatch

extension Array where Element: Sendable {
    /// Maps on every core, keeping the order of `self`. Each element is handled
    /// inside one work item, so a cmark document never crosses threads.
    func parallelMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        if count < 2 { return map(transform) }
        let results = ResultSlots<T>(count: count)
        self.withUnsafeBufferPointer { input in
            let input = UnsafeSendableBuffer(buffer: input)
            DispatchQueue.concurrentPerform(iterations: count) { i in
                results.set(i, transform(input.buffer[i]))
            }
        }
        return results.values()
    }
}

/// One slot per index, each written by exactly one work item.
/// Raw storage, so concurrent writes to distinct slots need no exclusive access to an array.
private final class ResultSlots<T>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func set(_ index: Int, _ value: T) {
        slots[index] = value
    }

    func values() -> [T] {
        slots.map { $0! }
    }
}

private struct UnsafeSendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<T>
}
