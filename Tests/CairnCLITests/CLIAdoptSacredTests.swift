import CairnTestSupport
import Foundation
import Testing

/// Sacred's FileStorageObserver runs written by the real Sacred (Tests/ToolTrees/make_trees.py: two
/// completed runs, one failed) adopted in place: what Cairn reports of each run equals what Sacred
/// recorded (run.json's status, times, host, command and experiment; config.json as params;
/// metrics.json's series, value for value), and damaged files give what can be read with a warning.
@Suite struct CLIAdoptSacredTests {
    static let compare = ToolTrees.prelude(tool: "sacred") + #"""
        reference = reference["runs"]
        def seconds(text):
            return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.timezone.utc).timestamp()
        def millis(text):
            return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        adopted = {} if os.path.exists(os.path.join(tree, "cairn.yaml")) else json.loads(run("adopt", tree, "--json"))
        problems = []
        statuses = {"COMPLETED": "FINISHED", "FAILED": "FAILED"}
        for sacred_id, want in reference.items():
            got = json.loads(run("run", "show", sacred_id, "--json"))
            def check(what, a, b):
                if a != b: problems.append(f"run {sacred_id}: {what}: cairn {a!r}, sacred {b!r}")
            check("status", got["status"], statuses[want["status"]])
            check("start", got["start_time"], millis(want["start_time"]))
            check("end", got["end_time"], millis(want["stop_time"]))
            check("host", got["host"], want["host"])
            check("command", want["command"] in got["command"], True)
            check("experiment", got["tags"].get("sacred.experiment"), want["experiment"])
            if want["fail_trace_last"]:
                check("error", got["tags"].get("sacred.error"), want["fail_trace_last"].strip())
            def flat(prefix, value):
                if isinstance(value, dict):
                    for k, v in value.items(): yield from flat(prefix + k + ".", v)
                else:
                    yield prefix[:-1], value
            for key, value in flat("", want["config"]):
                text = json.dumps(value) if isinstance(value, bool) else str(value)
                check("param " + key, (got["params"].get(key) or {}).get("text"), text)
            points = {}
            for row in csv.DictReader(io.StringIO(run("metric", "show", sacred_id, "--csv"))):
                points.setdefault(row["key"], []).append((int(row["step"]), float(row["value"]), float(row["time"])))
            for name, series in want["metrics"].items():
                have = points.get(name, [])
                check("metric " + name + " steps and values", [(s, v) for s, v, _ in have], list(zip(series["steps"], series["values"])))
                for (_, _, t), ts in zip(have, series["timestamps"]):
                    if abs(t - seconds(ts)) > 1e-6: problems.append(f"run {sacred_id}: metric {name}: time {t} against {ts}")
        print(json.dumps({"layout": adopted.get("layout"), "runs": len(reference), "problems": problems}))
        """#

    @Test func whatCairnReportsIsWhatSacredRecorded() throws {
        let out = try TemporaryDirectory("cairn-sacred")
        try ToolTrees.make(out.path + "/trees", only: "sacred")
        let before = try AdoptFixture.digests(out.url.appendingPathComponent("trees/sacred/runs"))
        let result = try TestPython.run(Self.compare, [PackagePaths.cairnBinary, out.path + "/trees"])
        try #require(result.status == 0, "\(result.stderr)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(answer["layout"] as? String == "sacred", "auto chose \(answer["layout"] ?? "nothing")")
        #expect(answer["runs"] as? Int == 3)
        #expect((answer["problems"] as? [String]) == [], "\(answer["problems"] ?? "")")
        // Adopting writes nothing into the tree.
        #expect(try AdoptFixture.digests(out.url.appendingPathComponent("trees/sacred/runs")) == before)
    }

    @Test func damagedFilesGiveWhatCanBeReadWithAWarning() throws {
        let out = try TemporaryDirectory("cairn-sacred-damaged")
        try ToolTrees.make(out.path + "/trees", only: "sacred")
        let tree = out.path + "/trees/sacred"
        // A run.json cut short (a kill mid-write), and a metrics.json with a value that is not a number.
        let record = tree + "/runs/2/run.json"
        let cut = try #require(FileManager.default.contents(atPath: record)).prefix(200)
        try cut.write(to: URL(fileURLWithPath: record))
        let metrics = tree + "/runs/1/metrics.json"
        try Data(#"{"train.loss": {"steps": [0, 1, 2], "values": [1.0, "x", 0.5], "timestamps": []}}"#.utf8).write(to: URL(fileURLWithPath: metrics))
        let before = try AdoptFixture.digests(URL(fileURLWithPath: tree + "/runs"))
        let adopted = try CLI.run(["adopt", tree])
        #expect(adopted.status == 0, "\(adopted.stderr)")
        #expect(adopted.stdout.contains("\(record):") && adopted.stdout.contains("the run keeps what its folder says"), "\(adopted.stdout)")
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(try CLI.run(["run", "show", "2", "--json", "--store", tree]).stdout.utf8)) as? [String: Any])
        let lr = (shown["params"] as? [String: Any])?["lr"] as? [String: Any]
        #expect(shown["status"] as? String == "FINISHED" && lr?["text"] as? String == "0.01", "\(shown)")
        let history = try CLI.run(["metric", "show", "1", "--key", "train.loss", "--json", "--store", tree])
        #expect(history.status == 0)
        #expect(history.stderr.contains(metrics) && history.stderr.contains("not a number at position 1"), "\(history.stderr)")
        let points = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(points.map { $0["step"] as? Int } == [0, 2])
        #expect(try AdoptFixture.digests(URL(fileURLWithPath: tree + "/runs")) == before)
        // Migrating to a layout that reads another tool's files is refused: it would lose what Sacred's say.
        let migrate = try CLI.run(["migrate", "--to", "hydra", "--store", tree])
        #expect(migrate.status != 0 && migrate.stderr.split(separator: "\n").count == 1 && migrate.stderr.contains("would lose them"), "\(migrate.stderr)")
        #expect(try AdoptFixture.digests(URL(fileURLWithPath: tree + "/runs")) == before)
    }

    @Test func migratingToCairnsLayoutKeepsEveryByteAndValue() throws {
        let out = try TemporaryDirectory("cairn-sacred-migrate")
        try ToolTrees.make(out.path + "/trees", only: "sacred")
        let tree = out.path + "/trees/sacred"
        #expect(try CLI.run(["adopt", tree]).status == 0)
        try ToolTrees.migrateToCairnAndBack(tree, tool: "sacred", moves: false) {
            // Still what Sacred recorded, value for value.
            let result = try TestPython.run(Self.compare, [PackagePaths.cairnBinary, out.path + "/trees"])
            try #require(result.status == 0, "\(result.stderr)")
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect((answer["problems"] as? [String]) == [], "\(answer["problems"] ?? "")")
        }
    }
}
