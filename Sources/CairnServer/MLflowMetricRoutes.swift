import CairnCore
import CairnKit
import Hummingbird

/// `metrics/get-history` (paged, 25,000 points a page by default, as the client asks) and
/// `metrics/get-history-bulk-interval` (several runs, a step range, sampled to `max_results`).
struct MLflowMetricRoutes: Sendable {
    let store: Store
    let writers: RunWriters

    func add(to group: RouterGroup<BasicRequestContext>) {
        group.get("metrics/get-history") { request, _ in try self.history(request) }
        group.get("metrics/get-history-bulk-interval") { request, _ in try self.bulkInterval(request) }
    }

    /// A run's points of one MLflow key, in the order logged.
    private func points(of run: Run, _ mlflowKey: String) throws(MLflowError) -> [CairnAPI.MetricPoint] {
        let mapped = MLflowMetricKey(mlflowKey)
        guard try library({ () throws(CairnError) in try store.metricSplits(of: run) }).contains(mapped.split) else { return [] }
        return try library { () throws(CairnError) in try store.metricHistory(of: run, key: mapped.key, split: mapped.split) }
    }

    private func history(_ request: Request) throws(MLflowError) -> Response {
        let query = QueryParameters(request.uri.query)
        let run = try writers.run(query["run_id"] ?? query["run_uuid"])
        let key = try MLflowExperimentRoutes.required(query["metric_key"], "metric_key")
        let limit = try Self.limit(query["max_results"], default: 25_000, maximum: 25_000_000)
        let offset = try MLflowPageToken.offset(query["page_token"])
        let all = try points(of: run, key)
        let start = min(offset, all.count), end = min(all.count, start + limit)
        var json = JSONWriter(capacity: 64 * (end - start) + 64)
        json.raw("{\"metrics\":[")
        for index in start..<end {
            json.comma(index == start)
            write(all[index], key: key, runID: nil, to: &json)
        }
        json.raw("]")
        if end < all.count {
            json.key("next_page_token")
            json.string(MLflowPageToken.token(end))
        }
        json.raw("}")
        return json.response()
    }

    private func bulkInterval(_ request: Request) throws(MLflowError) -> Response {
        let query = QueryParameters(request.uri.query)
        let ids = query.all("run_ids")
        guard !ids.isEmpty else { throw MLflowError(.invalidParameterValue, "Missing value for required parameter 'run_ids'.") }
        guard ids.count <= 100 else { throw MLflowError(.invalidParameterValue, "GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received \(ids.count) run_ids.") }
        let key = try MLflowExperimentRoutes.required(query["metric_key"], "metric_key")
        let limit = try Self.limit(query["max_results"], default: 320, maximum: 1000)
        let startStep = try query["start_step"].map { (text) throws(MLflowError) in try Self.integer(text, "start_step") }
        let endStep = try query["end_step"].map { (text) throws(MLflowError) in try Self.integer(text, "end_step") }
        if (startStep == nil) != (endStep == nil) {
            throw MLflowError(.invalidParameterValue, "If either start step or end step are specified, both must be specified.")
        }
        var json = JSONWriter()
        json.raw("{\"metrics\":[")
        var first = true
        for id in ids {
            let run = try writers.run(id)
            let inRange = try points(of: run, key).filter { point in
                startStep.map { point.step >= $0 } ?? true && endStep.map { point.step <= $0 } ?? true
            }
            for point in Self.sampled(inRange, limit) {
                json.comma(first)
                first = false
                write(point, key: key, runID: run.id.value, to: &json)
            }
        }
        json.raw("]}")
        return json.response()
    }

    /// At most `limit` points spread evenly over the steps, the first and last step always kept (as
    /// MLflow samples), in step order.
    static func sampled(_ points: [CairnAPI.MetricPoint], _ limit: Int) -> [CairnAPI.MetricPoint] {
        let sorted = points.sorted { ($0.step, $0.time?.millisecondsSinceEpoch ?? 0) < ($1.step, $1.time?.millisecondsSinceEpoch ?? 0) }
        let steps = Array(Set(sorted.map(\.step))).sorted()
        guard steps.count > limit, limit >= 2 else { return steps.count > limit ? Array(sorted.prefix(limit)) : sorted }
        var kept = Set<Int64>()
        for index in 0..<limit { kept.insert(steps[index * (steps.count - 1) / (limit - 1)]) }
        return sorted.filter { kept.contains($0.step) }
    }

    private func write(_ point: CairnAPI.MetricPoint, key: String, runID: String?, to json: inout JSONWriter) {
        json.raw("{\"key\":")
        json.string(key)
        json.raw(",\"value\":")
        json.number(point.value)
        json.raw(",\"timestamp\":")
        json.integer(point.time?.millisecondsSinceEpoch ?? 0)
        json.raw(",\"step\":")
        json.integer(point.step)
        if let runID {
            json.raw(",\"run_id\":")
            json.string(runID)
        }
        json.raw("}")
    }

    static func limit(_ text: String?, default value: Int, maximum: Int) throws(MLflowError) -> Int {
        guard let text, !text.isEmpty else { return value }
        guard let number = Int(text), number >= 1, number <= maximum else {
            throw MLflowError(.invalidParameterValue, "Invalid value '\(text)' for parameter 'max_results': it must be between 1 and \(maximum)")
        }
        return number
    }

    static func integer(_ text: String, _ name: String) throws(MLflowError) -> Int64 {
        guard let number = Int64(text) else { throw MLflowError(.invalidParameterValue, "Invalid value '\(text)' for parameter '\(name)': expected an integer") }
        return number
    }
}
