import CairnCore
import Dispatch
import Synchronization

/// Hands batches of file paths from a walking thread to the thread that consumes them, in order, and
/// then the walk's outcome.
final class FileBatchChannel: Sendable {
    private struct State {
        var batches: [[String]] = []
        var next = 0
        var outcome: Result<TreeListing, CairnError>?
    }

    private let state = Mutex(State())
    private let ready = DispatchSemaphore(value: 0)

    /// Queues a batch (from the walking thread).
    func send(_ batch: [String]) {
        state.withLock { $0.batches.append(batch) }
        ready.signal()
    }

    /// Ends the stream with the walk's outcome (from the walking thread).
    func finish(_ result: Result<TreeListing, CairnError>) {
        state.withLock { $0.outcome = result }
        ready.signal()
    }

    /// The next batch, waiting for it; nil once the walk has finished and every batch was taken.
    func receive() -> [String]? {
        ready.wait()
        return state.withLock { state -> [String]? in
            guard state.next < state.batches.count else { return nil }
            defer {
                state.batches[state.next] = []
                state.next += 1
            }
            return state.batches[state.next]
        }
    }

    /// The walk's outcome, once ``receive()`` has returned nil.
    func result() throws(CairnError) -> TreeListing {
        switch state.withLock({ $0.outcome }) {
        case .success(let listing)?: return listing
        case .failure(let error)?: throw error
        case nil: return TreeListing()
        }
    }
}
