import Foundation
import Testing
import CairnTestSupport

/// Cairn's own JSON API (`/api/cairn/v1/…`) of `cairn serve`: the store, layouts, experiments, a run
/// listing with a filter and columns, a run's details, checkpoints, metric summaries, a metric series
/// downsampled with its spikes kept, the log read from an offset, and errors in one shape.
@Suite(.serialized) struct CLIServeCairnAPITests {
    static let client = #"""
        import json, sys, urllib.request, urllib.error, urllib.parse
        url, run = sys.argv[1], sys.argv[2]
        def get(path):
            try:
                with urllib.request.urlopen(url + "/api/cairn/v1/" + path) as response:
                    return response.status, json.loads(response.read())
            except urllib.error.HTTPError as error:
                return error.code, json.loads(error.read())
        out = {}
        out["store"] = get("store")[1]["layout"]
        out["layouts"] = "cairn" in [l["name"] for l in get("layouts")[1]]
        out["experiments"] = [e["name"] for e in get("experiments")[1]]
        status, runs = get("runs?" + urllib.parse.urlencode([("filter", "metrics.loss < 0.5"), ("columns", "metrics.loss"), ("experiment", "api/*")]))
        out["runs"] = [[r["id"] == run, r["columns"]["metrics.loss"]] for r in runs]
        out["details"] = get("runs/" + run)[1]["params"]["lr"]["text"]
        checkpoints = get("runs/" + run + "/checkpoints")[1]
        out["checkpoints"] = len(checkpoints)
        out["best"] = get("runs/" + run + "/checkpoints/best")[1]["epoch"]
        out["metrics"] = sorted(m["key"] for m in get("runs/" + run + "/metrics")[1])
        series = get("runs/" + run + "/series?key=loss&points=10")[1]
        out["series"] = [series["count"], len(series["buckets"]), max(b["max"] for b in series["buckets"])]
        page = get("runs/" + run + "/log?offset=0")[1]
        out["log"] = [[line["stream"], line["text"]] for line in page["lines"]]
        out["log_next"] = get("runs/%s/log?offset=%d" % (run, page["next"]))[1]["lines"]
        out["unknown"] = get("runs/20200101-000000-000-zzzz")
        out["bad_filter"] = get("runs?filter=" + urllib.parse.quote("metrics.loss <<< 1"))[0]
        out["bad_points"] = get("runs/" + run + "/series?key=loss&points=0")[0]
        print(json.dumps(out))
        """#

    @Test(arguments: ServeBackend.all) func answersWhatMLflowHasNoWordsFor(backend: ServeBackend) throws {
        let store = try CLITestStore()
        let made = try store.cairn(["exec", "-e", "api/demo", "--no-git", "--set", "lr=0.1", "--", "/bin/sh", "-c", "echo hello; echo oops >&2"])
        try #require(made.status == 0, "\(made.stderr)")
        let runs = try #require(try store.json("run", "ls", "-e", "api/demo", "--json") as? [[String: Any]])
        let run = try #require(runs.first?["id"] as? String)
        for step in 0..<100 {
            let value = step == 37 ? "9.5" : String(1.0 / Double(step + 1))
            let logged = try store.cairn(["metric", "log", run, "loss=\(value)", "--step", String(step)])
            try #require(logged.status == 0, "\(logged.stderr)")
        }
        let folder = try TemporaryDirectory("cairn-api-ckpt")
        for epoch in 1...2 {
            let file = folder.path + "/e\(epoch).pt"
            try Data("weights \(epoch)".utf8).write(to: URL(fileURLWithPath: file))
            let saved = try store.cairn(["ckpt", "save", run, file, "--epoch", String(epoch), "--metric", "val_loss=\(epoch == 1 ? 0.2 : 0.4)",
                                         "--monitor", "val_loss", "--mode", "min"])
            try #require(saved.status == 0, "\(saved.stderr)")
        }
        let server = try ServeProcess(["--store", store.path] + backend.arguments(), in: store.path)
        defer { _ = server.stop() }
        let result = try TestPython.run(Self.client, [server.url, run])
        try #require(result.status == 0, "\(result.stderr)")
        let out = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(out["store"] as? String == "cairn" && out["layouts"] as? Bool == true)
        #expect(out["experiments"] as? [String] == ["api/demo"])
        #expect((out["runs"] as? [[Any]])?.first?.first as? Bool == true && ((out["runs"] as? [[Any]])?.first?.last as? Double) == 0.01)
        #expect(out["details"] as? String == "0.1")
        #expect(out["checkpoints"] as? Int == 2 && out["best"] as? Int == 1)
        #expect(out["metrics"] as? [String] == ["loss"])
        // 100 points in 10 buckets; the spike at step 37 survives as its bucket's max.
        #expect(out["series"] as? [Double] == [100, 10, 9.5])
        // stdout and stderr come through two pipes, so their relative order is not defined.
        #expect((out["log"] as? [[String]])?.sorted { $0.joined() < $1.joined() } == [["err", "oops"], ["out", "hello"]])
        #expect((out["log_next"] as? [Any])?.isEmpty == true)
        let unknown = try #require(out["unknown"] as? [Any])
        #expect(unknown.first as? Int == 404 && ((unknown.last as? [String: Any])?["error"] as? [String: Any])?["kind"] as? String == "not-found")
        #expect(out["bad_filter"] as? Int == 400 && out["bad_points"] as? Int == 400)
    }
}
