import Glibc
import CairnCore
import CairnFormats

/// Appends framed scalar events to a run's live TensorBoard event file
/// (``Store/liveEventFilePath(of:n:)``), from any number of threads and processes.
///
/// Appends take an exclusive `flock` on the file. A new (or empty) file gets the `brain.Event:2`
/// record first, in the same write as the first events. Before appending to a file this writer did
/// not leave as it is, its records are checked (framing and both CRCs) from the last point known good:
/// a torn last record (a crash mid-append) is cut away; any other damage leaves the file untouched
/// and the append goes to the next file of the series (`n + 1`). An append that fails midway is cut
/// back to the old size.
final class LiveEventFile {
    let store: Store
    let run: Run
    /// The series number in use, once found.
    private var n: Int?
    /// The file and size this writer last left (records up to there are known good).
    private var verified: (path: String, size: off_t)?

    init(store: Store, run: Run) {
        self.store = store
        self.run = run
    }

    /// Appends framed records (no file-version record: it is added to new files).
    func append(_ records: [UInt8]) throws(CairnError) {
        guard !records.isEmpty else { return }
        var n = self.n ?? -1
        if n < 0 { n = try currentNumber() }
        while true {
            let path = try store.liveEventFilePath(of: run, n: n)
            if try append(records, to: path) {
                self.n = n
                return
            }
            n += 1
        }
    }

    /// The greatest `n` whose file exists (0 if none).
    private func currentNumber() throws(CairnError) -> Int {
        var n = 0
        while FileSystem.exists(try store.liveEventFilePath(of: run, n: n + 1)) { n += 1 }
        return n
    }

    /// Appends to one file; false (nothing written) when the file is damaged beyond a torn tail.
    private func append(_ records: [UInt8], to path: String) throws(CairnError) -> Bool {
        try FileLock.withAppendLock(path) { fd throws(CairnError) -> Bool in try append(records, to: path, fd: fd) }
    }

    private func append(_ records: [UInt8], to path: String, fd: Int32) throws(CairnError) -> Bool {
        var info = stat()
        fstat(fd, &info)
        var size = info.st_size
        if size > 0, verified?.path != path || verified?.size != size {
            let from = verified.map { $0.path == path && $0.size < size ? $0.size : 0 } ?? 0
            guard let good = try Self.goodEnd(fd, from: from, to: size, path: path) else { return false }
            if good < size {
                if ftruncate(fd, good) != 0 { throw SystemError.make("repair", path: path) }
                size = good
            }
        }
        var bytes = records
        if size == 0 {
            let now = store.clock.now().secondsSinceEpoch
            bytes = EventFileWriter(wallTime: now, capacity: records.count + 64).bytes + records
        }
        if let code = FileSystem.writeAll(fd, bytes) {
            _ = ftruncate(fd, size)
            throw SystemError.make("append to", path: path, errno: code)
        }
        verified = (path, size + off_t(bytes.count))
        return true
    }

    /// Checks the records between `from` (a record boundary) and `to`: the end of the last good
    /// record when the rest is a torn record, `to` when all are good, nil when a record is damaged.
    private static func goodEnd(_ fd: Int32, from: off_t, to: off_t, path: String) throws(CairnError) -> off_t? {
        let count = Int(to - from)
        var failed = false
        let walk = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let n = pread(fd, buffer.baseAddress! + done, count - done, from + off_t(done))
                if n < 0, errno == EINTR { continue }
                if n <= 0 { failed = true; break }
                done += n
            }
            initialized = done
        }.withUnsafeBytes { TFRecordReader.forEachRecord(in: $0) { _, _, _ in true } }
        if failed { throw SystemError.make("read", path: path) }
        guard let damage = walk.damage else { return to }
        return damage.isTruncation ? from + off_t(damage.offset) : nil
    }
}
