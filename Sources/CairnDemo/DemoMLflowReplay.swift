import CairnCore
import CairnKit
import CairnServer
import Foundation
import Logging

/// The demo's last step: the store served over MLflow's REST API (`cairn serve`, in-process on a free
/// port), and the best run's metrics replayed through it as an MLflow client logs them: experiment
/// looked up then created, `runs/create` with MLflow's tags, `log-batch` of 1,000 points a call, the
/// run ended, then found again through `runs/search`. The replayed run lands in the store like any other.
/// Then the web UI the same server shows at `/`: its page, the demo's runs as its runs table asks for
/// them, and the best run's loss as its chart asks for it (downsampled to a screen's width, spikes kept).
public enum DemoMLflowReplay {
    /// The experiment the replayed run goes to.
    public static let experimentName = "demo/mlflow-replay"
    /// The search the replay makes through `runs/search`.
    public static let searchFilter = "metrics.`eval/loss` < 10 and tags.source = 'demo'"

    /// What the replay did.
    public struct Outcome: Sendable {
        /// Where the server listened.
        public var url: String
        /// The run the client made.
        public var run: Run
        /// How many metric points it logged, and in how many requests in all.
        public var points: Int
        public var requests: Int
        /// Whether `runs/search` found the run, and `metrics/get-history` gave back every point of a key.
        public var foundBySearch: Bool
        public var historyMatches: Bool
        /// The web UI's page was served (with its Content-Security-Policy).
        public var webPage: Bool
        /// The runs of `demo/*` the UI's runs table lists, best first by eval loss.
        public var webRuns: Int
        /// The points of the best run's loss, and the buckets the UI's chart gets for them.
        public var webChartPoints: Int
        public var webChartBuckets: Int
    }

    /// Serves `store`, replays `source`'s metrics through the MLflow API, stops the server.
    /// - Throws: `CairnError` when the server cannot start or answers with an error.
    public static func replay(_ source: Run, in store: Store) async throws(CairnError) -> Outcome {
        var quiet = Logger(label: "cairn.demo.server")
        quiet.logLevel = .critical
        let server = CairnServer(store: store, host: "127.0.0.1", port: 0, logger: quiet)
        let (ports, portFound) = AsyncStream<Int>.makeStream()
        let task = Task { try await server.run { port in portFound.yield(port) } }
        defer { task.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            throw CairnError(.io, "the demo's MLflow server did not start", hint: "run 'cairn serve' to see why")
        }
        let outcome = try replay(source, in: store, port: port)
        task.cancel()
        _ = await task.result
        return outcome
    }

    private static func replay(_ source: Run, in store: Store, port: Int) throws(CairnError) -> Outcome {
        let client = try DemoHTTPClient(port: port)
        func call(_ method: String, _ path: String, _ body: Any? = nil) throws(CairnError) -> [String: Any] {
            let (status, answer, _) = try client.send(method, "/api/2.0/mlflow/" + path, json: body)
            let object = answer as? [String: Any] ?? [:]
            guard status == 200 else {
                throw CairnError(.io, "the demo's MLflow server answered \(status) to \(path): \(object["message"] ?? "")", hint: "report this as a bug")
            }
            return object
        }
        // set_experiment: looked up by name (404 the first time), else created.
        let found = try client.send("GET", "/api/2.0/mlflow/experiments/get-by-name?experiment_name=" + experimentName.replacingOccurrences(of: "/", with: "%2F"))
        let experimentID: String
        if found.status == 200, let experiment = (found.body as? [String: Any])?["experiment"] as? [String: Any], let id = experiment["experiment_id"] as? String {
            experimentID = id
        } else {
            experimentID = try call("POST", "experiments/create", ["name": experimentName])["experiment_id"] as? String ?? "0"
        }
        let tags: [[String: String]] = [["key": "mlflow.user", "value": source.record.user], ["key": "mlflow.source.name", "value": "cairn demo"],
                                        ["key": "mlflow.source.type", "value": "LOCAL"], ["key": "source", "value": "demo"],
                                        ["key": "replay_of", "value": source.id.value]]
        let created = try call("POST", "runs/create", ["experiment_id": experimentID, "run_name": "replay of \(source.record.name ?? source.id.value)",
                                                         "start_time": source.record.startTime.millisecondsSinceEpoch, "tags": tags])
        guard let runID = ((created["run"] as? [String: Any])?["info"] as? [String: Any])?["run_id"] as? String else {
            throw CairnError(.io, "the demo's MLflow server made no run", hint: "report this as a bug")
        }
        // The source's points under MLflow's keys (`eval/loss` for the eval split), 1,000 a call.
        var metrics: [[String: Any]] = []
        for point in try store.metricHistory(of: source) {
            let key = point.split == MetricName.defaultSplit ? point.key : point.split + "/" + point.key
            metrics.append(["key": key, "value": point.value.isFinite ? point.value : 0, "step": point.step,
                            "timestamp": point.time?.millisecondsSinceEpoch ?? source.record.startTime.millisecondsSinceEpoch])
        }
        var params: [[String: String]] = []
        for (key, value) in try store.params(of: source).sorted(by: { $0.key < $1.key }).prefix(100) { params.append(["key": key, "value": value]) }
        _ = try call("POST", "runs/log-batch", ["run_id": runID, "params": params])
        for start in stride(from: 0, to: metrics.count, by: 1000) {
            _ = try call("POST", "runs/log-batch", ["run_id": runID, "metrics": Array(metrics[start..<min(metrics.count, start + 1000)])])
        }
        _ = try call("POST", "runs/update", ["run_id": runID, "status": "FINISHED"])
        let search = try call("POST", "runs/search", ["experiment_ids": [experimentID], "filter": searchFilter, "max_results": 10])
        let ids = (search["runs"] as? [[String: Any]] ?? []).compactMap { ($0["info"] as? [String: Any])?["run_id"] as? String }
        let firstKey = metrics.first?["key"] as? String ?? "loss"
        let history = try call("GET", "metrics/get-history?run_id=\(runID)&metric_key=\(firstKey.replacingOccurrences(of: "/", with: "%2F"))&max_results=25000")
        let expected = metrics.filter { $0["key"] as? String == firstKey }.count
        let run = try store.run(id: try RunID(runID))
        let page = try client.send("GET", "/")
        let listed = try client.send("GET", "/api/cairn/v1/runs?experiment=demo%2F*&order_by=metrics.%60eval%2Floss%60%20ASC&limit=100")
        let chart = try client.send("GET", "/api/cairn/v1/runs/\(source.id.value)/series?split=train&key=loss&points=\(webChartWidth)")
        let series = chart.body as? [String: Any]
        return Outcome(url: "http://127.0.0.1:\(port)", run: run, points: metrics.count, requests: client.requests,
                       foundBySearch: ids.contains(runID), historyMatches: (history["metrics"] as? [Any])?.count == expected,
                       webPage: page.status == 200 && page.headers["content-security-policy"]?.contains("script-src 'self'") == true,
                       webRuns: (listed.body as? [Any])?.count ?? 0, webChartPoints: series?["count"] as? Int ?? 0,
                       webChartBuckets: (series?["buckets"] as? [Any])?.count ?? 0)
    }

    /// The buckets the demo asks the UI's series for (fewer than the loss has points, to show the reduction).
    static let webChartWidth = 10
}
