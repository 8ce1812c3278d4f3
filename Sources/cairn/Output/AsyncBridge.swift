import Dispatch

/// Runs async work from the CLI's synchronous main thread: the work runs on a task while the main
/// thread (never a thread of the concurrency pool, so nothing can starve) waits for it.
enum AsyncBridge {
    static func wait<Failure: Error>(_ body: @escaping @Sendable () async throws(Failure) -> Void) throws(Failure) {
        let outcome = UncheckedBox<Result<Void, Failure>>(.success(()))
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do throws(Failure) {
                try await body()
            } catch {
                outcome.value = .failure(error)
            }
            done.signal()
        }
        done.wait()
        try outcome.value.get()
    }
}

/// A value handed between the main thread and a task that never use it at the same time (the
/// semaphore of ``AsyncBridge`` orders them).
final class UncheckedBox<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
