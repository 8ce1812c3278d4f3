import Dispatch
import Glibc
import CCairnNative

/// Writes a file's dirty pages back to disk and fsyncs it on another thread, so that the caller can
/// hash the file meanwhile: write-back is started over the whole file at once (`sync_file_range`), then
/// `fsync` waits for it and for the file's metadata.
final class WriteBack: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// The errno of a failed fsync, or nil; written by the helper thread before it signals `done`.
    private var failure: Int32?

    private init() {}

    /// Starts writing back `fd` (which must stay open until ``wait()`` returns).
    static func start(_ fd: Int32) -> WriteBack {
        let writeBack = WriteBack()
        DispatchQueue.global(qos: .userInitiated).async {
            _ = cairn_start_writeback(fd, 0, 0)
            if fsync(fd) != 0 { writeBack.failure = errno }
            writeBack.done.signal()
        }
        return writeBack
    }

    /// Waits until the file is durable; the errno of a failed fsync, or nil.
    func wait() -> Int32? {
        done.wait()
        return failure
    }
}
