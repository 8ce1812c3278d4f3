import CairnCore
import CairnFormats
import Glibc
import Synchronization

/// The metric summaries of the long-form metrics files this process indexed, with how far each file
/// was read, so that indexing a run that logged more reads only the rows appended since: a server
/// whose runs are logging re-indexes each of them on every search, and reading their whole files again
/// made a search under write load cost seconds.
///
/// A file is read from where it was left only while it is the same file grown (same inode, at least as
/// long) and the bytes just before that point are still the ones read there; anything else (a
/// rewrite, a truncation, an edit in place) is read whole. Wide tables are always read whole. The
/// least recently used files are dropped beyond ``capacity``.
final class MetricSummaryCache: Sendable {
    /// The process's cache.
    static let shared = MetricSummaryCache(capacity: 20_000)

    /// The most files kept.
    let capacity: Int
    private let state = Mutex(State())

    /// How many bytes before the point a file was read to are kept to check that it was only appended to.
    static let checkLength = 64

    struct Entry: Sendable {
        var inode: UInt64
        /// The end of the last complete line read.
        var offset: Int
        /// The complete lines read, header included.
        var lines: Int
        /// The last ``checkLength`` bytes (or fewer) before ``offset``.
        var check: [UInt8]
        var summaries: [String: MetricSummary]
        var used: UInt64
    }

    private struct State: Sendable {
        var entries: [String: Entry] = [:]
        var clock: UInt64 = 0
        var wholeReads = 0
        var notedAppends = 0
    }

    /// How many times a file was read from its start (tests: an append must not cause one).
    var wholeReads: Int { state.withLock { $0.wholeReads } }

    /// How many appends this process made were taken in without reading them back (tests).
    var notedAppends: Int { state.withLock { $0.notedAppends } }

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The summary of every metric in the metrics CSV at `path` (none when there is no file), and the
    /// file's stamp when it was opened: the bytes summarized are exactly the ones the stamp counts.
    /// - Throws: `CairnError` when the file cannot be read or a complete line does not parse.
    func summaries(at path: String) throws(CairnError) -> (summaries: [String: MetricSummary], stamp: FileStamp?) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { return ([:], nil) }
            throw SystemError.make("read", path: path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SystemError.make("read", path: path) }
        let stamp = FileStamp(inode: UInt64(info.st_ino), size: Int64(info.st_size),
                              modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
        let size = Int(info.st_size)
        if let entry = lookUp(path), entry.inode == stamp.inode, entry.offset <= size,
           try FileSystem.readRange(fd, from: Int64(entry.offset - entry.check.count), count: entry.check.count, path: path) == entry.check {
            let tail = try FileSystem.readRange(fd, from: Int64(entry.offset), count: size - entry.offset, path: path)
            let decoded = try MetricsCSV.decodeAppendedRows(tail, linesBefore: entry.lines, path: path)
            var summaries = entry.summaries
            for point in decoded.points {
                if summaries[point.key] != nil {
                    summaries[point.key]!.add(point)
                } else {
                    summaries[point.key] = MetricSummary(point)
                }
            }
            let offset = entry.offset + decoded.validBytes
            keep(path, Entry(inode: stamp.inode, offset: offset, lines: decoded.lines,
                             check: Self.check(before: offset, entry: entry, tail: tail), summaries: summaries, used: 0))
            return (summaries, stamp)
        }
        state.withLock { $0.wholeReads += 1 }
        let bytes = try FileSystem.readRange(fd, from: 0, count: size, path: path)
        let decoded = try MetricsCSV.decode(bytes, path: path)
        let summaries = MetricSummary.summaries(of: decoded.points)
        if decoded.form == .long, decoded.validBytes > 0 {
            let check = Array(bytes[max(0, decoded.validBytes - Self.checkLength)..<decoded.validBytes])
            keep(path, Entry(inode: stamp.inode, offset: decoded.validBytes, lines: decoded.lines, check: check,
                             summaries: summaries, used: 0))
        } else {
            forget(path)
        }
        return (summaries, stamp)
    }

    /// True when this process read the file at `path` and keeps where it left it: only then is an
    /// append worth summarizing for ``noteAppend(at:inode:offset:rows:lines:summaries:)`` (a training
    /// process that never searches skips that work).
    func isTracking(_ path: String) -> Bool {
        state.withLock { $0.entries[path] != nil }
    }

    /// Takes in rows this process just appended to the file at `path` (inode `inode`) at `offset`,
    /// whose points `summaries` summarizes, without reading them back: when the file was read to exactly
    /// that offset, its entry moves past them, as a read of the tail would. Otherwise nothing changes,
    /// and the next read reads the tail. The caller appended under the file's append lock, so the rows
    /// are the file's bytes from `offset`.
    func noteAppend(at path: String, inode: UInt64, offset: Int, rows: UnsafeRawBufferPointer, lines: Int,
                    summaries: [String: MetricSummary]) {
        state.withLock { state in
            guard var entry = state.entries[path], entry.inode == inode, entry.offset == offset else { return }
            for (key, summary) in summaries {
                if entry.summaries[key] != nil {
                    entry.summaries[key]!.merge(summary)
                } else {
                    entry.summaries[key] = summary
                }
            }
            if rows.count >= Self.checkLength {
                entry.check = Array(rows[(rows.count - Self.checkLength)...])
            } else {
                entry.check = Array((entry.check + rows).suffix(Self.checkLength))
            }
            entry.offset += rows.count
            entry.lines += lines
            state.clock += 1
            entry.used = state.clock
            state.entries[path] = entry
            state.notedAppends += 1
        }
    }

    /// The bytes before `offset` to check next time, from the old check and the tail read after it.
    private static func check(before offset: Int, entry: Entry, tail: [UInt8]) -> [UInt8] {
        let known = entry.check + tail[0..<(offset - entry.offset)]
        return Array(known.suffix(checkLength))
    }

    private func lookUp(_ path: String) -> Entry? {
        state.withLock { $0.entries[path] }
    }

    private func keep(_ path: String, _ entry: Entry) {
        state.withLock { state in
            state.clock += 1
            var entry = entry
            entry.used = state.clock
            state.entries[path] = entry
            if state.entries.count > capacity {
                // Drop the least recently used tenth at once, so that a full cache does not scan on every file.
                let dropped = state.entries.sorted { $0.value.used < $1.value.used }.prefix(max(1, capacity / 10))
                for (key, _) in dropped { state.entries[key] = nil }
            }
        }
    }

    private func forget(_ path: String) {
        state.withLock { _ = $0.entries.removeValue(forKey: path) }
    }

    /// Forgets every file (tests).
    func removeAll() {
        state.withLock { $0.entries = [:] }
    }
}
