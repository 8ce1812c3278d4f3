import Foundation
import Testing
import CairnTestSupport

/// Bad input gets one clear error line, a non-zero exit, and leaves the store exactly as it was.
@Suite struct CLIErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        /// The arguments (without --store), given the store path and an existing run id.
        let arguments: @Sendable (_ store: String, _ runID: String) -> [String]
        /// Text the error line must contain.
        let expected: String
        /// Run before the store is snapshotted; returns the run id to give `arguments` instead of the
        /// table's finished run (for a case that needs a run in a particular state).
        var prepare: (@Sendable (_ store: CLITestStore, _ configs: String) throws -> String)? = nil
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "unknown experiment (run ls)", arguments: { _, _ in ["run", "ls", "-e", "nope"] }, expected: "no experiment named 'nope'"),
        Case(name: "unknown experiment (latest)", arguments: { _, _ in ["latest", "nope/x"] }, expected: "no experiment named 'nope/x'"),
        Case(name: "unknown experiment (path)", arguments: { _, _ in ["path", "nope", "latest"] }, expected: "no experiment named 'nope'"),
        Case(name: "unknown run", arguments: { _, _ in ["run", "show", "19990101-000000"] }, expected: "no run '19990101-000000'"),
        Case(name: "unknown run (finish)", arguments: { _, _ in ["run", "finish", "zzz"] }, expected: "no run 'zzz'"),
        Case(name: "ambiguous run prefix", arguments: { _, _ in ["run", "show", "2"] }, expected: "matches 2 runs"),
        Case(name: "name with ..", arguments: { _, _ in ["exp", "new", "a/../b"] }, expected: "contains '..'"),
        Case(name: "name that is ..", arguments: { _, _ in ["exp", "new", ".."] }, expected: "contains '..'"),
        Case(name: "leading /", arguments: { _, _ in ["exp", "new", "/abs"] }, expected: "starts or ends with '/'"),
        Case(name: "trailing /", arguments: { _, _ in ["exp", "new", "vae/"] }, expected: "starts or ends with '/'"),
        Case(name: "empty component", arguments: { _, _ in ["exp", "new", "vae//x"] }, expected: "empty component"),
        Case(name: "control character", arguments: { _, _ in ["exp", "new", "a\u{1}b"] }, expected: "control character U+0001"),
        Case(name: "tab", arguments: { _, _ in ["run", "new", "-e", "a\tb"] }, expected: "control character U+0009"),
        Case(name: "escape in run name", arguments: { _, _ in ["run", "new", "-e", "ok", "--name", "x\u{1B}[31m"] }, expected: "control character U+001B"),
        Case(name: "over-long name", arguments: { _, _ in ["exp", "new", String(repeating: "n", count: 256)] }, expected: "256 bytes"),
        Case(name: "over-long name (multi-byte)", arguments: { _, _ in ["exp", "new", "g/" + String(repeating: "é", count: 128)] }, expected: "256 bytes"),
        Case(name: "group used as experiment", arguments: { _, _ in ["exp", "new", "vae"] }, expected: "is a group"),
        Case(name: "experiment used as group", arguments: { _, _ in ["exp", "new", "vae/baseline/x"] }, expected: "is an experiment"),
        Case(name: "duplicate experiment", arguments: { _, _ in ["exp", "new", "vae/baseline"] }, expected: "already exists"),
        Case(name: "malformed YAML config", arguments: { s, _ in ["run", "new", "-e", "ok", "--config", s + "-configs/bad.yaml"] }, expected: "bad.yaml"),
        Case(name: "malformed JSON config", arguments: { s, _ in ["run", "new", "-e", "ok", "--config", s + "-configs/bad.json"] }, expected: "bad.json:"),
        Case(name: "missing config file", arguments: { s, _ in ["run", "new", "-e", "ok", "--config", s + "-configs/none.yaml"] }, expected: "does not exist"),
        Case(name: "--set clashes with the config's type", arguments: { s, _ in
            ["run", "new", "-e", "ok", "--config", s + "-configs/good.yaml", "--set", "training.lr=fast"] }, expected: "training.lr is a float"),
        Case(name: "--set through a scalar", arguments: { s, _ in
            ["run", "new", "-e", "ok", "--config", s + "-configs/good.yaml", "--set", "training.lr.x=1"] }, expected: "training.lr"),
        Case(name: "--set without =", arguments: { _, _ in ["run", "new", "-e", "ok", "--set", "training.lr"] }, expected: "training.lr"),
        Case(name: "exec --set clash starts nothing", arguments: { s, _ in
            ["exec", "-e", "ok", "--config", s + "-configs/good.yaml", "--set", "training.epochs=many", "--", "touch", s + "-configs/touched"] },
             expected: "training.epochs is an int"),
        Case(name: "tag without =", arguments: { _, r in ["run", "tag", r, "novalue"] }, expected: "KEY=VALUE"),
        Case(name: "param changed", arguments: { _, r in ["run", "param", r, "training.lr=0.5"] }, expected: "already '0.001'"),
        Case(name: "finish twice", arguments: { _, r in ["run", "finish", r] }, expected: "already ended"),
        // Names: no component may start with '.' (a hidden folder, or Cairn's own .cairn).
        Case(name: "experiment inside .cairn", arguments: { _, _ in ["exp", "new", ".cairn/runs"] }, expected: "'.cairn/runs' has a component that starts with '.'"),
        Case(name: "hidden experiment group", arguments: { _, _ in ["run", "new", "-e", "a/.b"] }, expected: "starts with '.'"),
        Case(name: "hidden run name", arguments: { _, _ in ["run", "new", "-e", "ok", "--name", ".x"] }, expected: "run name '.x' starts with '.'"),
        Case(name: "hidden split", arguments: { _, r in ["metric", "log", r, "loss=1", "--step", "1", "--split", ".h"] }, expected: "split name '.h' starts with '.'"),
        Case(name: "hidden --field value", arguments: { _, _ in ["run", "new", "-e", "ok", "--field", "part=.x"] }, expected: "the field part's value '.x' starts with '.'"),
        // --set typing: a value must fit the field it replaces; a key must exist unless added.
        Case(name: "--set float on an int field", arguments: { s, _ in
            ["run", "new", "-e", "ok", "--config", s + "-configs/good.yaml", "--set", "training.epochs=2.5"] },
             expected: "training.epochs is an int in the config, '2.5' is a float"),
        Case(name: "--set exponent on an int field", arguments: { s, _ in
            ["run", "new", "-e", "ok", "--config", s + "-configs/good.yaml", "--set", "training.epochs=1e3"] },
             expected: "training.epochs is an int in the config, '1e3' is a float"),
        Case(name: "--set of a key not in the config", arguments: { s, _ in
            ["run", "new", "-e", "ok", "--config", s + "-configs/good.yaml", "--set", "training.lr_typo=0.1"] },
             expected: "the config has no key training.lr_typo"),
        Case(name: "exec --set of a key not in the config starts nothing", arguments: { s, _ in
            ["exec", "-e", "ok", "--config", s + "-configs/good.yaml", "--set", "training.lr_typo=0.1", "--", "touch", s + "-configs/touched"] },
             expected: "--add training.lr_typo=0.1"),
        Case(name: "--add of a key the config has", arguments: { s, _ in
            ["run", "new", "-e", "ok", "--config", s + "-configs/good.yaml", "--add", "training.lr=0.1"] },
             expected: "the config already has training.lr"),
        Case(name: "+key of a key the config has", arguments: { s, _ in
            ["run", "new", "-e", "ok", "--config", s + "-configs/good.yaml", "--set", "+training.epochs=3"] },
             expected: "the config already has training.epochs"),
        Case(name: "--set ++key", arguments: { _, _ in ["run", "new", "-e", "ok", "--set", "++a=1"] }, expected: "'++'"),
        // Messages.
        Case(name: "negative --step", arguments: { _, r in ["metric", "log", r, "loss=1", "--step", "-1"] }, expected: "the step -1 is negative"),
        Case(name: "negative --step=", arguments: { _, r in ["metric", "log", r, "loss=1", "--step=-1"] }, expected: "the step -1 is negative"),
        Case(name: "negative --epoch", arguments: { _, r in ["metric", "log", r, "loss=1", "--step", "1", "--epoch", "-1"] }, expected: "the epoch -1 is negative"),
        Case(name: "negative --epoch=", arguments: { _, r in ["metric", "log", r, "loss=1", "--step", "1", "--epoch=-1"] }, expected: "the epoch -1 is negative"),
        Case(name: "metric value out of float range", arguments: { _, r in ["metric", "log", r, "loss=1e400", "--step", "1"] },
             expected: "'1e400', which is out of the range of a 64-bit float (write inf if you mean it)"),
        Case(name: "hexadecimal metric value", arguments: { _, r in ["metric", "log", r, "loss=0x10", "--step", "1"] },
             expected: "'0x10', which is not a decimal number"),
        Case(name: "path of an unknown experiment", arguments: { _, _ in ["path", "nonexistent/exp"] },
             expected: "no experiment named 'nonexistent/exp'"),
        Case(name: "duplicate YAML key", arguments: { s, _ in ["run", "new", "-e", "ok", "--config", s + "-configs/dup.yaml"] },
             expected: "dup.yaml:3:1: duplicate key \"lr\" in a mapping (first at line 1, column 1)"),
        Case(name: "ckpt best after NaN-only saves", arguments: { _, r in ["ckpt", "best", r] },
             expected: "the policy monitors val_loss, but no kept checkpoint has a usable (non-NaN) value of it",
             prepare: { store, configs in
                 let run = try store.newRun("nan/only")
                 try store.output("ckpt", "save", run, configs + "/good.yaml", "--epoch", "1", "--step", "1",
                                  "--metric", "val_loss=nan", "--allow-nonfinite", "--monitor", "val_loss")
                 return run
             }),
        Case(name: "logs of an exec run whose log is gone", arguments: { _, r in ["logs", r] },
             expected: "was run by 'cairn exec' but has no log",
             prepare: { store, _ in
                 try store.output("exec", "-e", "quiet", "--no-git", "--", "true")
                 let folder = try store.output("path", "quiet", "latest")
                 try FileManager.default.removeItem(atPath: folder + "/logs/training.log")
                 return URL(fileURLWithPath: folder).lastPathComponent
             }),
        Case(name: "exec of a missing command", arguments: { _, _ in ["exec", "-e", "vae/baseline", "--", "/nonexistent/cmd"] }, expected: "not found"),
        Case(name: "ckpt save without an epoch or a step", arguments: { s, r in ["ckpt", "save", r, s + "-configs/good.yaml"] },
             expected: "neither an epoch nor a step"),
        Case(name: "ckpt save with a negative epoch", arguments: { s, r in ["ckpt", "save", r, s + "-configs/good.yaml", "--epoch", "-2"] },
             expected: "the epoch -2 is negative"),
        Case(name: "ckpt save with a negative step", arguments: { s, r in ["ckpt", "save", r, s + "-configs/good.yaml", "--step=-3"] },
             expected: "the step -3 is negative"),
        Case(name: "ckpt save with a NaN metric", arguments: { s, r in ["ckpt", "save", r, s + "-configs/good.yaml", "--epoch", "1", "--metric", "loss=nan"] },
             expected: "the metric loss is nan"),
        Case(name: "ckpt save of a missing file", arguments: { s, r in ["ckpt", "save", r, s + "-configs/none.pt", "--epoch", "1"] },
             expected: "none.pt"),
    ]

    @Test(arguments: cases)
    func badInputFailsCleanly(_ testCase: Case) throws {
        let store = try CLITestStore()
        let configs = store.path + "-configs"
        try FileManager.default.createDirectory(atPath: configs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: configs) }
        try "training:\n  lr: [0.1\n  epochs: 3\n".write(toFile: configs + "/bad.yaml", atomically: true, encoding: .utf8)
        try "{\"training\": {\"lr\": 0.1,}}".write(toFile: configs + "/bad.json", atomically: true, encoding: .utf8)
        try "training:\n  lr: 0.001\n  epochs: 10\n".write(toFile: configs + "/good.yaml", atomically: true, encoding: .utf8)
        try store.output("exp", "new", "vae/baseline")
        // Two runs (so the prefix "2" is ambiguous); the first is finished and has a param.
        let run = try store.newRun("vae/baseline", "--config", configs + "/good.yaml")
        _ = try store.newRun("vae/baseline")
        try store.output("run", "finish", run)
        try "lr: 1\nepochs: 2\nlr: 3\n".write(toFile: configs + "/dup.yaml", atomically: true, encoding: .utf8)
        let prepared = try testCase.prepare?(store, configs) ?? run
        if testCase.name == "exec of a missing command" {
            // Exec creates the run before it finds the command is missing: the run is recorded FAILED.
            let result = try store.cairn(testCase.arguments(store.path, run))
            #expect(result.status != 0)
            #expect(result.stderr.contains(testCase.expected))
            return
        }
        let before = TreeSnapshot(store.url)
        let result = try store.cairn(testCase.arguments(store.path, prepared))
        #expect(result.status != 0, "exit status \(result.status)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.hasPrefix("cairn: error: "), "stderr: \(result.stderr)")
        #expect(result.stderr.contains(testCase.expected), "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty, "stdout: \(result.stdout)")
        let after = TreeSnapshot(store.url)
        #expect(after == before, "changed: \(after.difference(from: before))")
        #expect(!FileManager.default.fileExists(atPath: configs + "/touched"))
    }

    @Test func noStoreFound() throws {
        let empty = try TemporaryDirectory("cairn-nostore")
        let result = try CLI.run(["exp", "ls"], directory: empty.url)
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("cairn: error: no Cairn store found in"))
        #expect(result.stderr.contains("cairn init"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(TreeSnapshot(empty.url).entries.isEmpty)
        let explicit = try CLI.run(["exp", "ls", "--store", empty.path])
        #expect(explicit.status != 0)
        #expect(explicit.stderr.contains("no Cairn store at"))
    }

    @Test func newerStoreFormatIsRefused() throws {
        let store = try CLITestStore()
        let file = store.url.appendingPathComponent("cairn.yaml")
        let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "format: \"1.1\"", with: "format: \"2.3\"")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let before = TreeSnapshot(store.url)
        for args in [["exp", "ls"], ["exp", "new", "x"], ["run", "new", "-e", "x"]] {
            let result = try store.cairn(args)
            #expect(result.status != 0)
            #expect(result.stderr.contains("has format 2.3, newer than the 1.x this cairn reads"), "\(result.stderr)")
            #expect(result.stderr.contains("upgrade cairn"))
        }
        #expect(TreeSnapshot(store.url) == before)
    }

    @Test func malformedStoreFile() throws {
        let store = try CLITestStore()
        try "format: [1\n".write(to: store.url.appendingPathComponent("cairn.yaml"), atomically: true, encoding: .utf8)
        let result = try store.cairn("exp", "ls")
        #expect(result.status != 0)
        #expect(result.stderr.contains("cairn.yaml"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func readOnlyStore() throws {
        let store = try CLITestStore()
        try store.output("exp", "new", "vae/baseline")
        let run = try store.newRun("vae/baseline")
        let before = TreeSnapshot(store.url)
        let attempts: [[String]] = [
            ["exp", "new", "other"],
            ["run", "new", "-e", "vae/baseline", "--no-git"],
            ["run", "new", "-e", "brand/new", "--no-git"],
            ["run", "tag", run, "k=v"],
            ["run", "finish", run],
            ["exec", "-e", "vae/baseline", "--no-git", "--", "true"],
        ]
        for args in attempts {
            var withStore = args
            withStore.insert(contentsOf: ["--store", store.path], at: args.firstIndex(of: "--") ?? args.endIndex)
            let result = try CLI.runUnprivileged(withStore)
            #expect(result.status != 0, "\(args) succeeded")
            #expect(result.stderr.hasPrefix("cairn: error: "), "\(args): \(result.stderr)")
            #expect(result.stderr.contains("permission denied"), "\(args): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(args): \(result.stderr)")
        }
        // Reading still works for the unprivileged user.
        let listing = try CLI.runUnprivileged(["run", "ls", "--store", store.path])
        #expect(listing.status == 0, "\(listing.stderr)")
        #expect(listing.stdout.contains(run))
        #expect(TreeSnapshot(store.url) == before, "changed: \(TreeSnapshot(store.url).difference(from: before))")
    }

    @Test func initOnReadOnlyParent() throws {
        let parent = try TemporaryDirectory("cairn-ro")
        let result = try CLI.runUnprivileged(["init", parent.path + "/store"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("permission denied"), "\(result.stderr)")
        #expect(TreeSnapshot(parent.url).entries.isEmpty)
    }
}
