import Dispatch

/// Maps `0..<count` on the machine's cores (two here), keeping the order: for per-run work (reading a
/// run's files for the index, an adoption's records and their JSON) that is independent from run to run.
enum ParallelMap {
    /// `transform(i)` for each i, in order. `transform` must be safe to call from two threads at once.
    /// Items are handed out in small chunks as threads come free (runs differ in size: fixed halves left
    /// one core idle while the other finished the bigger half).
    static func map<T>(_ count: Int, minimumForThreads: Int = 64, _ transform: (Int) -> T) -> [T] {
        guard count >= minimumForThreads else { return (0..<count).map(transform) }
        let chunk = 4
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            nonisolated(unsafe) let base = buffer.baseAddress!
            withoutActuallyEscaping(transform) { transform in
                nonisolated(unsafe) let transform = transform
                DispatchQueue.concurrentPerform(iterations: (count + chunk - 1) / chunk) { part in
                    for index in part * chunk..<min(count, (part + 1) * chunk) { (base + index).initialize(to: transform(index)) }
                }
            }
            initialized = count
        }
    }
}
