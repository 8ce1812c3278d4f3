import CairnCore

/// One metric of a run in MLflow's file store, `metrics/<key>`: a line per point in the order logged,
/// `timestamp value step` (milliseconds since the epoch; the value as Python writes a float, `nan` and
/// `inf` included; the step, which files written before MLflow 1.0 lack: step 0). A last line without
/// its newline is being written (MLflow appends a whole line at a time): it is left for the next read.
enum MLflowMetricFile {
    /// The points of the file, named `key`.
    /// - Returns: the points, and one problem per line that is not a point (`file:line`): the others are kept.
    static func points(of bytes: [UInt8], key: String, path: String) -> (points: [MetricPoint], problems: [String]) {
        var points: [MetricPoint] = []
        var problems: [String] = []
        var lineNumber = 0
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if bytes.last != UInt8(ascii: "\n") { lines.removeLast() }
        for line in lines {
            lineNumber += 1
            if line.isEmpty { continue }
            let parts = line.split(separator: UInt8(ascii: " "))
            guard parts.count == 2 || parts.count == 3,
                  let time = Int64(String(decoding: parts[0], as: UTF8.self)),
                  let value = Double(String(decoding: parts[1], as: UTF8.self)),
                  let step = parts.count == 3 ? Int64(String(decoding: parts[2], as: UTF8.self)) : 0 else {
                problems.append("\(path):\(lineNumber): not a point (timestamp value step)")
                continue
            }
            points.append(MetricPoint(key: key, value: value, step: step, time: Double(time) / 1000))
        }
        return (points, problems)
    }
}
