import Glibc
import CairnCore
import CairnFormats

/// One split's long-form metrics CSV (`metrics/<split>/metrics.csv`): appended, never rewritten.
/// A torn last line (a crash mid-append) is cut away before the next append; an append that fails
/// midway is cut back to the old size. Appends are serialized with `flock` on the file.
struct MetricsFile {
    let path: String

    /// Appends CSV rows (the header first, if the file is new or empty).
    func append(_ rows: [UInt8]) throws(CairnError) {
        let result: Result<Appended?, CairnError> = rows.withUnsafeBytes { bytes in
            do throws(CairnError) { return .success(try append(bytes)) } catch { return .failure(error) }
        }
        _ = try result.get()
    }

    /// Where an append put its rows: the file (by inode) and the offset of their first byte.
    struct Appended {
        let inode: UInt64
        let offset: Int
    }

    /// Appends CSV rows (the header first, if the file is new or empty).
    /// - Returns: where the rows went, when the file grew by exactly them (nil when another writer
    ///   that does not take the append lock wrote meanwhile, or there were no rows).
    /// - Throws: `CairnError` when the file cannot be written (it is cut back to its old size), or
    ///   when it is not a long-form metrics CSV (a wide table, another file): Cairn never appends rows
    ///   of another shape to it.
    @discardableResult
    func append(_ rows: UnsafeRawBufferPointer) throws(CairnError) -> Appended? {
        guard !rows.isEmpty else { return nil }
        // Appenders take turns, so the tail check below never sees another's write in progress.
        return try FileLock.withAppendLock(path) { fd throws(CairnError) in try append(rows, fd: fd) }
    }

    private func append(_ rows: UnsafeRawBufferPointer, fd: Int32) throws(CairnError) -> Appended? {
        var info = stat()
        fstat(fd, &info)
        var size = info.st_size
        if size > 0 {
            try checkHeader(fd, size: size)
            // Cut a torn last line back to the last newline.
            var last: UInt8 = 0
            if pread(fd, &last, 1, size - 1) == 1, last != 10 {
                size = Self.lastNewline(fd, before: size)
                if ftruncate(fd, size) != 0 { throw SystemError.make("repair", path: path) }
            }
        }
        if size == 0, let code = FileSystem.writeAll(fd, MetricsCSV.encodeHeader()) {
            _ = ftruncate(fd, 0)
            throw SystemError.make("append to", path: path, errno: code)
        }
        let offset = size == 0 ? off_t(MetricsCSV.encodeHeader().count) : size
        if let code = FileSystem.writeAll(fd, rows) {
            _ = ftruncate(fd, size)
            throw SystemError.make("append to", path: path, errno: code)
        }
        guard fstat(fd, &info) == 0, info.st_size == offset + off_t(rows.count) else { return nil }
        return Appended(inode: UInt64(info.st_ino), offset: Int(offset))
    }

    /// Refuses to append to a file whose first line is not the long-form header (a torn header,
    /// shorter than the header, is accepted and cut by the tail repair).
    private func checkHeader(_ fd: Int32, size: off_t) throws(CairnError) {
        let expected = MetricsCSV.encodeHeader()
        var head = [UInt8](repeating: 0, count: expected.count + 4)
        let n = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, 0) }
        guard n >= 0 else { throw SystemError.make("read", path: path) }
        var got = Array(head[0..<n])
        if got.starts(with: [0xEF, 0xBB, 0xBF]) { got.removeFirst(3) }  // a UTF-8 byte-order mark
        let long = Array(expected.dropLast())
        if got.starts(with: expected) || got.starts(with: long + [13, 10]) { return }
        if got.count < expected.count, !got.contains(10), expected.starts(with: got) { return }
        let firstLine = String(decoding: got.prefix { $0 != 10 && $0 != 13 }, as: UTF8.self)
        throw CairnError(.unsupportedFormat,
                         "\(path) is not a long-form metrics CSV (its header starts '\(firstLine)', not '\(MetricsCSV.header)'), so Cairn does not append to it",
                         hint: "log to another split, or move the file away; 'cairn metric show' still reads it")
    }

    /// The offset just after the last `\n` before `end` (0 if none).
    private static func lastNewline(_ fd: Int32, before end: off_t) -> off_t {
        var position = end
        var buffer = [UInt8](repeating: 0, count: 4096)
        while position > 0 {
            let start = max(0, position - off_t(buffer.count))
            let count = Int(position - start)
            let n = pread(fd, &buffer, count, start)
            guard n == count else { return 0 }
            if let index = buffer[0..<count].lastIndex(of: 10) { return start + off_t(index) + 1 }
            position = start
        }
        return 0
    }

    /// The points in the file (a torn last line is skipped), or none if there is no file.
    func read() throws(CairnError) -> [MetricPoint] {
        guard let bytes = try FileSystem.readIfPresent(path) else { return [] }
        return try MetricsCSV.decode(bytes, path: path).points
    }
}
