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
}
