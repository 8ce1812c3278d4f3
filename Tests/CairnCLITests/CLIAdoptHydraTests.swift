import CairnTestSupport
import Foundation
import Testing

/// Hydra's output folders written by the real Hydra (Tests/ToolTrees/make_trees.py: a tiny app run once
/// into `outputs/DATE/TIME/` and as a 2×2 `--multirun` sweep into `multirun/DATE/TIME/N/`) adopted in
/// place: every job is a run whose params are the config the job saw (interpolations resolved), whose
/// overrides are Hydra's, whose log is the job's `.log`; a sweep is one experiment.
@Suite struct CLIAdoptHydraTests {
    static let compare = ToolTrees.prelude(tool: "hydra") + #"""
        jobs = reference["jobs"]
        adopted = json.loads(run("adopt", tree, "--json"))
        runs = {os.path.relpath(r["folder"], tree): r for r in json.loads(run("run", "ls", "--json"))}
        problems = []
        def flat(prefix, value):
            if isinstance(value, dict):
                for k, v in value.items(): yield from flat(prefix + k + ".", v)
            else:
                yield prefix[:-1], value
        experiments = {}
        for job in jobs:
            folder = job["output_dir"]
            if folder not in runs:
                problems.append(f"no run for {folder}")
                continue
            shown = json.loads(run("run", "show", runs[folder]["id"], "--json"))
            experiments.setdefault(job["mode"], set()).add(shown["experiment"])
            params = {k: v["value"] for k, v in shown["params"].items()}
            want = dict(flat("", job["config"]))
            if params != want: problems.append(f"{folder}: params {params} against the config the job saw {want}")
            if shown["config_overrides"] != job["overrides"]:
                problems.append(f"{folder}: overrides {shown['config_overrides']} against {job['overrides']}")
            if shown["tags"].get("hydra.job") != job["job_name"]:
                problems.append(f"{folder}: job {shown['tags']}")
            log = run("logs", runs[folder]["id"])
            if "[INFO] - training" not in log: problems.append(f"{folder}: log {log!r}")
        print(json.dumps({"layout": adopted.get("layout"), "runs": len(runs), "problems": problems,
                          "experiments": {k: sorted(v) for k, v in experiments.items()},
                          "unexplained": adopted.get("unexplained", [])}))
        """#

    @Test func everyJobIsARunWithTheConfigItSawAndItsOverrides() throws {
        let out = try TemporaryDirectory("cairn-hydra")
        try ToolTrees.make(out.path + "/trees", only: "hydra")
        let tree = out.url.appendingPathComponent("trees/hydra")
        let before = try AdoptFixture.digests(tree)
        let result = try TestPython.run(Self.compare, [PackagePaths.cairnBinary, tree.deletingLastPathComponent().path])
        try #require(result.status == 0, "\(result.stderr)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(answer["layout"] as? String == "hydra", "auto chose \(answer["layout"] ?? "nothing")")
        #expect(answer["runs"] as? Int == 5)
        #expect((answer["problems"] as? [String]) == [], "\(answer["problems"] ?? "")")
        // The single run in the experiment `outputs`; the sweep's four jobs in one experiment of their own.
        let experiments = try #require(answer["experiments"] as? [String: [String]])
        #expect(experiments["run"] == ["outputs"])
        #expect(experiments["multirun"]?.count == 1 && experiments["multirun"]?.first?.hasPrefix("multirun/") == true, "\(experiments)")
        #expect(try AdoptFixture.digests(tree) == before)
        // A job killed before Hydra wrote its .hydra/ folder: a run with what can be read, its log.
        let killed = tree.appendingPathComponent("outputs/2030-01-01/00-00-00")
        try FileManager.default.createDirectory(at: killed, withIntermediateDirectories: true)
        try Data("started\n".utf8).write(to: killed.appendingPathComponent("app.log"))
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(try CLI.run(["run", "ls", "--json", "--store", tree.path]).stdout.utf8)) as? [[String: Any]])
        let run = try #require(listed.first { ($0["folder"] as? String)?.hasSuffix("outputs/2030-01-01/00-00-00") == true }, "\(listed)")
        #expect(run["start_time"] as? String == "2030-01-01T00:00:00.000Z")
        let log = try CLI.run(["logs", try #require(run["id"] as? String), "--store", tree.path])
        #expect(log.status == 0 && log.stdout == "started\n", "\(log.stdout)\(log.stderr)")
    }

    @Test func migratingToCairnsLayoutKeepsEveryByteAndValue() throws {
        let out = try TemporaryDirectory("cairn-hydra-migrate")
        try ToolTrees.make(out.path + "/trees", only: "hydra")
        let tree = out.path + "/trees/hydra"
        #expect(try CLI.run(["adopt", tree]).status == 0)
        try ToolTrees.migrateToCairnAndBack(tree, tool: "hydra") {
            // The jobs' logs are found where their template names them, inside their new folders.
            let listed = try CLI.run(["run", "ls", "--json", "--store", tree])
            let runs = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
            for id in runs.compactMap({ $0["id"] as? String }) {
                let log = try CLI.run(["logs", id, "--store", tree])
                #expect(log.status == 0 && log.stdout.contains("[INFO] - training"), "\(id): \(log.stdout) \(log.stderr)")
            }
        }
    }
}
