import CairnCore
import CairnFormats

/// Sacred's `metrics.json`: `{NAME: {"steps": [...], "values": [...], "timestamps": [...]}}`, one
/// series per metric as `_run.log_scalar` wrote it (rewritten whole by the observer at each heartbeat).
enum SacredMetricsFile {
    /// The points of every series, by name in the file's order, each series in step order as logged.
    /// - Returns: the points, and a problem per series that could not be read whole (a value that is
    ///   not a number, lists of different lengths): its readable points are kept.
    /// - Throws: `CairnError` (`invalid-config` naming `file:line:column`) for a file that is not JSON.
    static func read(_ path: String) throws(CairnError) -> (points: [MetricPoint], problems: [String]) {
        let value = try ConfigJSON.parse(try FileSystem.readText(path), fileName: path, allowingNonFinite: true)
        guard let series = value.mappingValue else { return ([], ["\(path): not a mapping of metric names to series"]) }
        var points: [MetricPoint] = []
        var problems: [String] = []
        for (name, entry) in series.entries {
            guard case .list(let steps)? = entry.value(at: ["steps"]), case .list(let values)? = entry.value(at: ["values"]) else {
                problems.append("\(path): the metric '\(name)' has no steps and values")
                continue
            }
            var times: [ConfigValue] = []
            if case .list(let listed)? = entry.value(at: ["timestamps"]) { times = listed }
            if steps.count != values.count { problems.append("\(path): the metric '\(name)' has \(steps.count) steps and \(values.count) values") }
            for index in 0..<min(steps.count, values.count) {
                guard case .int(let step) = steps[index], let value = number(values[index]) else {
                    problems.append("\(path): the metric '\(name)' has a step or value that is not a number at position \(index)")
                    continue
                }
                var time: Double?
                if index < times.count, case .string(let text) = times[index] { time = SacredTime.seconds(text) }
                points.append(MetricPoint(key: name, value: value, step: step, time: time))
            }
        }
        return (points, problems)
    }

    private static func number(_ value: ConfigValue) -> Double? {
        switch value {
        case .int(let n): Double(n)
        case .float(let x): x
        default: nil
        }
    }
}
