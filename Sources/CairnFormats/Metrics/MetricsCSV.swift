import CairnCore

/// The metrics CSV codec: Cairn's long form (one row per point), and the wide form other tools write
/// (one row per step, one column per metric), told apart by the header.
///
/// **Long form** (what Cairn writes, `metrics/<split>/metrics.csv`): UTF-8, `\n` line ends, the header
///
///     time,step,epoch,key,value
///
/// then one row per point, e.g. `1763869211.482,1200,3,val/loss,0.2314`:
/// - `time`: seconds since the Unix epoch, shortest round-trip decimal; empty when unknown.
/// - `step`: a decimal integer (int64).
/// - `epoch`: a decimal integer, or empty.
/// - `key`: the metric's name, quoted per RFC 4180 (`"a,b"`, `"say ""hi"""`) when it holds a comma, a
///   quote, a line feed or a carriage return, or is empty.
/// - `value`: shortest round-trip decimal (`0.1`, `1e-05`, `3.0`), or `nan`, `inf`, `-inf`.
///
/// New keys never rewrite the header: a point is a row. The file is append-only; a last line without
/// its `\n` is torn (a writer died mid-line): readers ignore it, and the next writer truncates it away
/// (``Decoded/validBytes``) before appending.
///
/// **Wide form** (read only, e.g. the pretrain-finetune experiments' `step,epoch,loss,lr,grad_norm`): any other header with a
/// `step` (or `global_step`) column; optional `epoch` and `time`/`wall_time`/`timestamp` columns; every
/// other column is a metric, and an empty cell means the metric was not logged at that step.
public enum MetricsCSV {
    /// The long-form header line, without its line feed.
    public static let header = "time,step,epoch,key,value"

    /// Which form a file had.
    public enum Form: Sendable, Equatable {
        /// Cairn's `time,step,epoch,key,value`.
        case long
        /// A wide table; the metric columns in order.
        case wide(metrics: [String])
    }

    /// What ``decode(_:path:)`` read.
    public struct Decoded: Sendable, Equatable {
        /// The points, in file order (wide rows: in column order within a row).
        public var points: [MetricPoint]
        /// The bytes up to the end of the last complete line (header included): where an appender
        /// truncates the file before writing.
        public var validBytes: Int
        /// True when bytes after the last complete line were ignored (a torn last line).
        public var tornTail: Bool
        /// The form the header announced (``Form/long`` for an empty file).
        public var form: Form
        /// The number of complete lines read, the header's included: where the line numbers of rows
        /// appended later continue (``decodeAppendedRows(_:linesBefore:path:)``).
        public var lines: Int
    }

    // MARK: Writing

    /// The header line with its line feed, for a new file.
    public static func encodeHeader() -> [UInt8] { Array((header + "\n").utf8) }

    /// A whole file: the header, then one row per point.
    public static func encode(_ points: some Sequence<MetricPoint>) -> [UInt8] {
        var out = encodeHeader()
        appendRows(points, to: &out)
        return out
    }

    /// The rows of `points` (no header), for appending to an existing file.
    public static func encodeRows(_ points: some Sequence<MetricPoint>) -> [UInt8] {
        var out: [UInt8] = []
        appendRows(points, to: &out)
        return out
    }

    /// Appends one row per point to `out`.
    public static func appendRows(_ points: some Sequence<MetricPoint>, to out: inout [UInt8]) {
        out.reserveCapacity(out.count + points.underestimatedCount * 48)
        let done: Void? = points.withContiguousStorageIfAvailable { buffer in
            for point in buffer { appendRow(point, to: &out) }
        }
        if done == nil {
            for point in points { appendRow(point, to: &out) }
        }
    }

    /// Appends one row to `out`.
    public static func appendRow(_ point: MetricPoint, to out: inout [UInt8]) {
        if let time = point.time { DecimalText.append(time, to: &out) }
        out.append(44)
        DecimalText.append(point.step, to: &out)
        out.append(44)
        if let epoch = point.epoch { DecimalText.append(Int64(epoch), to: &out) }
        out.append(44)
        appendField(point.key, to: &out)
        out.append(44)
        DecimalText.append(point.value, to: &out)
        out.append(10)
    }

    /// Appends a text field, quoted when RFC 4180 requires it (or when empty, so it is not read as missing).
    static func appendField(_ text: String, to out: inout [UInt8]) {
        var copy = text
        copy.withUTF8 { utf8 in
            let needsQuotes = utf8.isEmpty || utf8.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }
            if !needsQuotes {
                out.append(contentsOf: utf8)
                return
            }
            out.append(34)
            for b in utf8 {
                if b == 34 { out.append(34) }
                out.append(b)
            }
            out.append(34)
        }
    }

    // MARK: Reading

    /// Reads a metrics CSV in either form (chosen by the header).
    /// - Parameters:
    ///   - bytes: the file's content.
    ///   - path: the file's path, for error messages.
    /// - Returns: the points, the valid length, whether a torn last line was ignored, and the form.
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/unsupportedFormat`` when the header is neither
    ///   form, or ``CairnError/Kind/corrupt`` naming `path:line` for a complete line that does not parse.
    public static func decode(_ bytes: [UInt8], path: String) throws(CairnError) -> Decoded {
        let result: Result<Decoded, CairnError> = bytes.withUnsafeBytes { buffer in
            do throws(CairnError) { return .success(try decode(buffer: buffer, path: path)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    static func decode(buffer: UnsafeRawBufferPointer, path: String) throws(CairnError) -> Decoded {
        // A UTF-8 byte-order mark (written by some spreadsheet tools) is skipped.
        let skip = buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0
        let body = UnsafeRawBufferPointer(rebasing: buffer[skip...])
        var scanner = CSVScanner(body)
        guard scanner.nextRecord() else {
            // Empty, or a header still being written.
            return Decoded(points: [], validBytes: 0, tornTail: !body.isEmpty, form: .long, lines: 0)
        }
        let columns = scanner.fields.map { scanner.text($0) }
        if columns == ["time", "step", "epoch", "key", "value"] {
            return try decodeLong(&scanner, skip: skip, path: path)
        }
        return try decodeWide(&scanner, columns: columns, skip: skip, path: path)
    }

    /// Reads the long-form rows appended to a file after a part already read: `bytes` start just after
    /// the last complete line of that part (``Decoded/validBytes``), which held the header and
    /// `linesBefore` lines (``Decoded/lines``). The rows are checked as ``decode(_:path:)`` checks them,
    /// and a torn last line is ignored the same way.
    /// - Returns: the appended points; ``Decoded/validBytes`` counts from the start of `bytes`, and
    ///   ``Decoded/lines`` includes `linesBefore`.
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/corrupt`` naming `path:line` for a complete line that does not parse.
    public static func decodeAppendedRows(_ bytes: [UInt8], linesBefore: Int, path: String) throws(CairnError) -> Decoded {
        let result: Result<Decoded, CairnError> = bytes.withUnsafeBytes { buffer in
            var scanner = CSVScanner(buffer, line: linesBefore + 1)
            do throws(CairnError) { return .success(try decodeLong(&scanner, skip: 0, path: path)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    static func decodeLong(_ scanner: inout CSVScanner, skip: Int, path: String) throws(CairnError) -> Decoded {
        var points: [MetricPoint] = []
        points.reserveCapacity(scanner.buffer.count / 40)
        var recentKeys: [(bytes: [UInt8], key: String)] = []  // the last distinct unquoted keys, newest first
        while true {
            let line = scanner.line
            guard scanner.nextRecord() else { break }
            let f = scanner.fields
            if f.count == 1, scanner.isBlank(f[0]), !f[0].quoted { continue }  // blank line
            guard f.count == 5, !scanner.malformed else {
                throw corrupt(path, line, "expected 5 fields (time,step,epoch,key,value), found \(f.count)")
            }
            var time: Double?
            if !scanner.isBlank(f[0]) {
                guard let t = DecimalText.parseDouble(scanner.bytes(f[0])) else { throw corrupt(path, line, "bad time") }
                time = t
            }
            guard let step = DecimalText.parseInt(scanner.bytes(f[1])) else { throw corrupt(path, line, "bad step") }
            var epoch: Int?
            if !scanner.isBlank(f[2]) {
                guard let e = DecimalText.parseInt(scanner.bytes(f[2])) else { throw corrupt(path, line, "bad epoch") }
                epoch = Int(e)
            }
            let key: String
            if f[3].quoted {
                key = scanner.text(f[3])
            } else {
                let keyBytes = scanner.bytes(f[3])
                if let hit = recentKeys.firstIndex(where: { $0.bytes.count == keyBytes.count && $0.bytes.elementsEqual(keyBytes) }) {
                    key = recentKeys[hit].key
                } else {
                    key = String(decoding: keyBytes, as: UTF8.self)
                    if recentKeys.count == 8 { recentKeys.removeLast() }
                    recentKeys.insert((Array(keyBytes), key), at: 0)
                }
            }
            var value = Double.nan  // an empty value (pandas writes NaN so) reads as NaN
            if !scanner.isBlank(f[4]) {
                guard let v = DecimalText.parseDouble(scanner.bytes(f[4])) else { throw corrupt(path, line, "bad value") }
                value = v
            }
            points.append(MetricPoint(key: key, value: value, step: step, epoch: epoch, time: time))
        }
        return Decoded(points: points, validBytes: skip + scanner.position, tornTail: !scanner.isAtEnd, form: .long, lines: scanner.line - 1)
    }

    static func corrupt(_ path: String, _ line: Int, _ what: String) -> CairnError {
        CairnError(.corrupt, "\(path):\(line): \(what)",
                   hint: "fix or remove the line; only a torn last line (without its line feed) is skipped")
    }
}
