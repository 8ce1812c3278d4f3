import CairnCore

extension MetricsCSV {
    /// The column names a wide CSV may use for the step, epoch and time.
    static let stepColumns: Set<String> = ["step", "global_step"]
    static let epochColumns: Set<String> = ["epoch"]
    static let timeColumns: Set<String> = ["time", "wall_time", "timestamp"]

    /// Reads a wide CSV (`step,epoch,<metric>…`): one point per non-empty metric cell.
    static func decodeWide(_ scanner: inout CSVScanner, columns: [String], skip: Int, path: String) throws(CairnError) -> Decoded {
        let trimmed = columns.map { String($0.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed()) }
        guard let stepColumn = trimmed.firstIndex(where: { stepColumns.contains($0) }) else {
            throw CairnError(.unsupportedFormat,
                             "\(path): not a metrics CSV: the header '\(columns.joined(separator: ","))' is neither '\(header)' nor a wide table with a 'step' column")
        }
        let epochColumn = trimmed.firstIndex { epochColumns.contains($0) }
        let timeColumn = trimmed.firstIndex { timeColumns.contains($0) }
        let metricColumns = trimmed.indices.filter { $0 != stepColumn && $0 != epochColumn && $0 != timeColumn }
        var points: [MetricPoint] = []
        while true {
            let line = scanner.line
            guard scanner.nextRecord() else { break }
            let f = scanner.fields
            if f.count == 1, scanner.isBlank(f[0]), !f[0].quoted { continue }
            guard f.count == columns.count, !scanner.malformed else {
                throw corrupt(path, line, "expected \(columns.count) fields, found \(f.count)")
            }
            guard let step = DecimalText.parseInt(scanner.bytes(f[stepColumn])) else { throw corrupt(path, line, "bad step") }
            var epoch: Int?
            if let epochColumn, !scanner.isBlank(f[epochColumn]) {
                guard let e = DecimalText.parseInt(scanner.bytes(f[epochColumn])) else { throw corrupt(path, line, "bad epoch") }
                epoch = Int(e)
            }
            var time: Double?
            if let timeColumn, !scanner.isBlank(f[timeColumn]) {
                guard let t = DecimalText.parseDouble(scanner.bytes(f[timeColumn])) else { throw corrupt(path, line, "bad time") }
                time = t
            }
            for column in metricColumns where !scanner.isBlank(f[column]) {
                guard let v = DecimalText.parseDouble(scanner.bytes(f[column])) else {
                    throw corrupt(path, line, "bad value in column '\(trimmed[column])'")
                }
                points.append(MetricPoint(key: trimmed[column], value: v, step: step, epoch: epoch, time: time))
            }
        }
        return Decoded(points: points, validBytes: skip + scanner.position, tornTail: !scanner.isAtEnd,
                       form: .wide(metrics: metricColumns.map { trimmed[$0] }), lines: scanner.line - 1)
    }
}
