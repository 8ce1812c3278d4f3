import CairnCore
import Dispatch

/// Hands batches of file paths from a walking thread to the thread that consumes them, in order, and
/// then the walk's outcome.
final class FileBatchChannel: @unchecked Sendable {
    private let lock = Mutex()
    private let ready = DispatchSemaphore(value: 0)
    private var batches: [[String]] = []
    private var next = 0
    private var outcome: Result<TreeListing, CairnError>?

    /// Queues a batch (from the walking thread).
    func send(_ batch: [String]) {
        lock.withLock { batches.append(batch) }
        ready.signal()
    }

    /// Ends the stream with the walk's outcome (from the walking thread).
    func finish(_ result: Result<TreeListing, CairnError>) {
        lock.withLock { outcome = result }
        ready.signal()
    }

    /// The next batch, waiting for it; nil once the walk has finished and every batch was taken.
    func receive() -> [String]? {
        ready.wait()
        return lock.withLock { () -> [String]? in
            guard next < batches.count else { return nil }
            defer {
                batches[next] = []
                next += 1
            }
            return batches[next]
        }
    }

    /// The walk's outcome, once ``receive()`` has returned nil.
    func result() throws(CairnError) -> TreeListing {
        let outcome = lock.withLock { self.outcome }
        switch outcome {
        case .success(let listing)?: return listing
        case .failure(let error)?: throw error
        case nil: return TreeListing()
        }
    }
}
