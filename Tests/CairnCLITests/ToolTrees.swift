import CairnTestSupport
import Foundation
import Testing

/// Trees written by the real tools (Tests/ToolTrees/make_trees.py: MLflow, Hydra, TensorBoard, Sacred),
/// with what each tool itself reports of them (`reference.json`), and the start of the Python scripts
/// that compare Cairn's answers with the tools'.
enum ToolTrees {
    /// Writes the trees of `tools` (`hydra`, `sacred`, …) under `folder`, which must not exist yet.
    static func make(_ folder: String, only tools: String) throws {
        let script = PackagePaths.root.path + "/Tests/ToolTrees/make_trees.py"
        let python = TestPython.executable
        let made = try TestProcess.run(python, (python == "/usr/bin/env" ? ["python3"] : []) + [script, folder, "--only", tools])
        try #require(made.status == 0, "make_trees.py: \(made.stderr)")
    }

    /// The first lines of a comparison script run as `SCRIPT CAIRN OUT`: `reference` (the tool's part of
    /// OUT/reference.json), `tree` (OUT/TOOL) and `run(*args)`, cairn's stdout on that tree (a failure
    /// ends the script with cairn's error).
    static func prelude(tool: String) -> String {
        """
        import csv, datetime, io, json, os, subprocess, sys
        cairn, out = sys.argv[1], sys.argv[2]
        reference = json.load(open(os.path.join(out, "reference.json")))["\(tool)"]
        tree = os.path.join(out, "\(tool)")
        def run(*args):
            done = subprocess.run([cairn, *args, "--store", tree], capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(f"cairn {' '.join(args)}: {done.stderr}")
            return done.stdout

        """
    }

    /// What the CLI reports of every listed run of the store at `tree`, by run id: its record, params
    /// and tags (`run show --json`, without its folder and layout, which a migration changes) and its
    /// metrics (`metric show --csv`).
    static func values(_ tree: String) throws -> [String: String] {
        let listed = try CLI.run(["run", "ls", "--json", "--store", tree])
        try #require(listed.status == 0, "\(listed.stderr)")
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        var out: [String: String] = [:]
        for id in runs.compactMap({ $0["id"] as? String }) {
            let shown = try CLI.run(["run", "show", id, "--json", "--store", tree])
            var record = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any], "\(shown.stderr)")
            record["folder"] = nil
            record["layout"] = nil
            let metrics = try CLI.run(["metric", "show", id, "--csv", "--store", tree])
            out[id] = String(decoding: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self) + "\n" + metrics.stdout
        }
        return out
    }

    /// Migrates the adopted tree of `tool` (its layout) to Cairn's own layout and back, checking that the
    /// first keeps every byte (the same contents, moved) and every value (``values(_:)``, and whatever
    /// `whileMigrated` checks), and that the second puts every file back where the tool wrote it.
    /// - Parameters:
    ///   - tree: the adopted tree.
    /// - Parameter moves: whether Cairn's layout names the run folders otherwise than the tool does (Sacred's
    ///   `runs/ID/` are already Cairn's `EXPERIMENT/RUN_ID/`).
    ///   - store: the store's root, when not the tree's (an MLflow file store's is the folder holding it).
    static func migrateToCairnAndBack(_ tree: String, store: String? = nil, tool: String, moves: Bool = true,
                                      whileMigrated: () throws -> Void = {}) throws {
        let store = store ?? tree
        let before = try AdoptFixture.digests(URL(fileURLWithPath: tree))
        let values = try Self.values(store)
        #expect(values.count > 1)
        let there = try CLI.run(["migrate", "--to", "cairn", "--store", store])
        try #require(there.status == 0, "\(there.stderr)")
        let settings = try String(contentsOfFile: store + "/cairn.yaml", encoding: .utf8)
        #expect(settings.contains("layout: cairn+\(tool)"), "\(settings)")
        let moved = try AdoptFixture.digests(URL(fileURLWithPath: tree))
        #expect(moved.values.sorted() == before.values.sorted(), "every byte is kept")
        #expect((moved != before) == moves, "the runs moved into Cairn's folders")
        #expect(try Self.values(store) == values, "every value is kept")
        try whileMigrated()
        let back = try CLI.run(["migrate", "--to", tool, "--store", store])
        try #require(back.status == 0, "\(back.stderr)")
        #expect(try AdoptFixture.digests(URL(fileURLWithPath: tree)) == before, "every file is back where \(tool) wrote it")
        #expect(try Self.values(store) == values)
    }
}
