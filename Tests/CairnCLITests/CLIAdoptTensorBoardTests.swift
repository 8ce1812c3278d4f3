import CairnTestSupport
import Foundation
import Testing

/// TensorBoard logdirs written by the real writers (tensorboardX's `SummaryWriter` in its default
/// `runs/<Mon>DD_HH-MM-SS_<host>/`, with `add_scalars`' nested folders, and the `tensorboard` package's
/// own writer; Tests/ToolTrees/make_trees.py) adopted in place: every folder of event files is a run,
/// and its metrics are what TensorBoard's `EventAccumulator` reads from it, value for value, before and
/// after a migration to Cairn's layout and back, which keeps every byte.
@Suite struct CLIAdoptTensorBoardTests {
    static let compare = ToolTrees.prelude(tool: "tensorboard") + #"""
        def metrics():
            runs = json.loads(run("run", "ls", "--json"))
            found = {}
            for r in runs:
                folder = os.path.relpath(r["folder"], tree)
                points = {}
                for row in csv.DictReader(io.StringIO(run("metric", "show", r["id"], "--csv"))):
                    points.setdefault(row["key"], []).append([int(row["step"]), float(row["value"]), float(row["time"])])
                found[folder] = {"id": r["id"], "name": r["name"], "experiment": r["experiment"], "points": points}
            return found
        expected = {}
        for folder, seen in reference.items():
            scalars = dict(seen["scalars"])
            # The tensorboard package's own writer stores scalars as tensors of the scalars plugin.
            scalars.update({tag: t["points"] for tag, t in seen["tensors"].items() if t["plugin"] == "scalars"})
            expected[folder] = scalars
        adopted = json.loads(run("adopt", tree, "--json"))
        before = metrics()
        migrated = json.loads(run("migrate", "--to", "cairn", "--json"))
        after = metrics()
        back = json.loads(run("migrate", "--to", "tensorboard", "--json"))
        print(json.dumps({"layout": adopted.get("layout"), "expected": expected, "before": before,
                          "after": {v["id"]: v["points"] for v in after.values()},
                          "after_folders": sorted(after), "moved": len(migrated.get("moves", []))}))
        """#

    @Test func everyFolderOfEventFilesIsARunWithTheScalarsTensorBoardReads() throws {
        let out = try TemporaryDirectory("cairn-tensorboard")
        try ToolTrees.make(out.path + "/trees", only: "tensorboard")
        let trees = out.url.appendingPathComponent("trees")
        let before = try AdoptFixture.digests(trees.appendingPathComponent("tensorboard/runs"))
        let result = try TestPython.run(Self.compare, [PackagePaths.cairnBinary, trees.path])
        try #require(result.status == 0, "\(result.stderr)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(answer["layout"] as? String == "tensorboard", "auto chose \(answer["layout"] ?? "nothing")")
        let expected = try #require(answer["expected"] as? [String: [String: [[Double]]]])
        let found = try #require(answer["before"] as? [String: [String: Any]])
        // tensorboardX's run, its add_scalars folder, and the tensorboard writer's run: one run each.
        #expect(Set(found.keys) == Set(expected.keys), "\(found.keys.sorted()) against \(expected.keys.sorted())")
        #expect(expected.keys.contains { $0.hasSuffix("/eval/acc") } && expected.keys.contains("runs/tb-writer"))
        for (folder, scalars) in expected {
            let run = try #require(found[folder], "no run for \(folder)")
            #expect(run["experiment"] as? String == "runs")
            let components = folder.split(separator: "/").dropFirst()
            #expect(run["id"] as? String == components.joined(separator: "-") && run["name"] as? String == run["id"] as? String)
            let points = run["points"] as? [String: [[Double]]]
            #expect(points == scalars, "\(folder): \(points ?? [:]) against \(scalars)")
        }
        // Cairn's own layout gives each run a folder of its own (the nested one too), with the same values.
        let after = try #require(answer["after"] as? [String: [String: [[Double]]]])
        for run in found.values {
            let id = try #require(run["id"] as? String)
            #expect(after[id] == run["points"] as? [String: [[Double]]], "\(id) after the migration")
        }
        #expect((answer["after_folders"] as? [String])?.allSatisfy { $0.hasPrefix("runs/") && $0.split(separator: "/").count == 2 } == true)
        // And back: every file where it was, byte for byte.
        #expect(try AdoptFixture.digests(trees.appendingPathComponent("tensorboard/runs")) == before)
    }

    /// The TensorBoard layout explains any folder of event files, so it ties with a convention that
    /// keeps its event files in folders of its own (Lightning's `version_N/`): the convention wins.
    /// Where only it explains the files, it is the tree's layout.
    @Test func aConventionWinsATieWithTheGenericLayout() throws {
        let lightning = try TemporaryDirectory("cairn-tensorboard-tie")
        let run = lightning.url.appendingPathComponent("lightning_logs/version_0")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: run.appendingPathComponent("events.out.tfevents.1700000000.host.42.0"))
        let chosen = try CLI.run(["adopt", lightning.path, "--json"])
        try #require(chosen.status == 0, "\(chosen.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(chosen.stdout.utf8)) as? [String: Any])
        #expect(report["layout"] as? String == "lightning")

        let logdir = try TemporaryDirectory("cairn-tensorboard-only")
        let nested = logdir.url.appendingPathComponent("runs/Dec05_12-47-38_vm/eval/acc")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: nested.appendingPathComponent("events.out.tfevents.1700000000.vm"))
        let only = try CLI.run(["adopt", logdir.path, "--json"])
        try #require(only.status == 0, "\(only.stderr)")
        let onlyReport = try #require(try JSONSerialization.jsonObject(with: Data(only.stdout.utf8)) as? [String: Any])
        #expect(onlyReport["layout"] as? String == "tensorboard")
        // Its start is the time the event file's name records.
        let shown = try CLI.run(["run", "show", "Dec05_12-47-38_vm-eval-acc", "--json", "--store", logdir.path])
        let record = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any], "\(shown.stderr)")
        #expect(record["start_time"] as? String == "2023-11-14T22:13:20.000Z", "\(record)")
    }

    /// A truncated event file (a writer killed mid-record): its run is adopted with the scalars before
    /// the damage and one warning naming the file and byte; the file is never changed.
    @Test func aTruncatedEventFileGivesWhatCanBeReadAndAWarning() throws {
        let out = try TemporaryDirectory("cairn-tensorboard-truncated")
        try ToolTrees.make(out.path + "/trees", only: "tensorboard")
        let tree = out.path + "/trees/tensorboard"
        let runs = try FileManager.default.contentsOfDirectory(atPath: tree + "/runs")
        let folder = try #require(runs.first { $0 != "tb-writer" })
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: tree + "/runs/" + folder).first { $0.hasPrefix("events.out.tfevents.") })
        let file = tree + "/runs/\(folder)/\(name)"
        let handle = try #require(FileHandle(forWritingAtPath: file))
        try handle.truncate(atOffset: try handle.seekToEnd() - 7)
        try handle.close()
        let before = try AdoptFixture.digests(URL(fileURLWithPath: tree + "/runs"))
        #expect(try CLI.run(["adopt", tree]).status == 0)
        let shown = try CLI.run(["metric", "show", folder, "--key", "train/loss", "--json", "--store", tree])
        #expect(shown.status == 0, "\(shown.stderr)")
        let warnings = shown.stderr.split(separator: "\n")
        #expect(warnings.count == 1 && warnings[0].contains(file) && warnings[0].contains("damaged at byte"), "\(shown.stderr)")
        let points = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [[String: Any]])
        #expect(points.map { $0["step"] as? Int } == [0, 1, 2, 3])
        #expect(try AdoptFixture.digests(URL(fileURLWithPath: tree + "/runs")) == before)
    }
}
