import Dispatch
import Glibc
import Synchronization

/// Makes a file that is still being written durable as it grows, on another thread: each
/// ``request()`` (made by the writer every few MiB) asks for an `fdatasync` of what is written so far,
/// and requests made while one runs are served by the next. The writer's final `fsync` then has only
/// the last stretch to wait for.
///
/// Why not `sync_file_range`: on the virtual disks Cairn was measured on, starting write-back early
/// saved nothing, since the final `fsync`'s cost is the device's flush of everything not yet flushed
/// (about 1 ms a MiB); `fdatasync` calls made while the file grows flush it piece by piece, in parallel
/// with the writing. (Hashing on that thread too, reading the file back, was measured slower: on two
/// cores the copy back costs more than it frees.) docs/BENCHMARKS.md, the artifact upload.
///
/// The file descriptor must stay open until ``wait()`` returns.
final class RollingSync: Sendable {
    private struct State {
        var running = false
        var requested = false
        /// The errno of the first failed `fdatasync`.
        var failure: Int32?
    }

    private let descriptor: Int32
    private let state = Mutex(State())
    private let idle = DispatchGroup()

    init(_ descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Asks for what is written so far to be synced, without waiting.
    func request() {
        let start = state.withLock { state -> Bool in
            if state.running {
                state.requested = true
                return false
            }
            state.running = true
            return true
        }
        guard start else { return }
        idle.enter()
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            while true {
                let failed = fdatasync(descriptor) != 0 ? errno : nil
                let again = state.withLock { state -> Bool in
                    if let failed, state.failure == nil { state.failure = failed }
                    if state.requested && state.failure == nil {
                        state.requested = false
                        return true
                    }
                    state.running = false
                    return false
                }
                if !again { break }
            }
            idle.leave()
        }
    }

    /// The errno of a failed sync so far, or nil (a full disk is found here before the upload ends).
    var failure: Int32? { state.withLock { $0.failure } }

    /// Waits until no sync runs; the errno of the first that failed, or nil.
    func wait() -> Int32? {
        idle.wait()
        return failure
    }
}
