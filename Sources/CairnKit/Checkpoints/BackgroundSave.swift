import Foundation
import CairnCore

/// At most one save in flight on a background thread; its error is kept until someone waits.
final class BackgroundSave: @unchecked Sendable {
    private let condition = NSCondition()
    private var running = false
    private var failure: CairnError?
    private var result: CheckpointSaveResult?

    /// Waits for the save in flight, if any; throws its error (once).
    func wait() throws(CairnError) {
        condition.lock()
        while running { condition.wait() }
        let error = failure
        failure = nil
        condition.unlock()
        if let error { throw error }
    }

    /// The result of the last background save that finished (nil if it failed or none ran).
    var lastResult: CheckpointSaveResult? {
        condition.lock()
        defer { condition.unlock() }
        return result
    }

    /// Starts `work` on a new thread. The caller has waited for the previous one.
    func start(_ work: @escaping @Sendable () throws(CairnError) -> CheckpointSaveResult) {
        condition.lock()
        running = true
        condition.unlock()
        let thread = Thread { [self] in
            var outcome: Result<CheckpointSaveResult, CairnError>
            do throws(CairnError) { outcome = .success(try work()) } catch { outcome = .failure(error) }
            condition.lock()
            switch outcome {
            case .success(let value): result = value
            case .failure(let error): failure = error; result = nil
            }
            running = false
            condition.broadcast()
            condition.unlock()
        }
        thread.start()
    }
}
