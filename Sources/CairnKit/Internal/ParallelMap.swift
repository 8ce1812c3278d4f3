import Dispatch

/// Maps `0..<count` on the machine's cores (two here), in contiguous halves, keeping the order: for
/// per-run work of an adoption (records, their JSON) that is independent from run to run.
enum ParallelMap {
    /// `transform(i)` for each i, in order. `transform` must be safe to call from two threads at once.
    static func map<T>(_ count: Int, minimumForThreads: Int = 64, _ transform: (Int) -> T) -> [T] {
        guard count >= minimumForThreads else { return (0..<count).map(transform) }
        let workers = 2
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            nonisolated(unsafe) let base = buffer.baseAddress!
            withoutActuallyEscaping(transform) { transform in
                nonisolated(unsafe) let transform = transform
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    let start = count * worker / workers, end = count * (worker + 1) / workers
                    for index in start..<end { (base + index).initialize(to: transform(index)) }
                }
            }
            initialized = count
        }
    }
}
