import Foundation
import Testing
import CairnTestSupport

/// `cairn latest`, `cairn path`, `cairn run ls` and `cairn compare` in their plain spellings skip
/// ArgumentParser; after a `--`, or with an option given twice, they go through it. Both must print, fail
/// and exit alike.
@Suite struct CLIQuickCommandTests {
    /// The same command through both paths: the plain words (quick) and the words with `--` before the
    /// positional arguments (ArgumentParser).
    static func expectSame(_ store: CLITestStore, _ command: String, _ positional: [String], _ options: [String],
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
        let quick = try CLI.run([command] + options + positional)
        let parsed = try CLI.run([command] + options + ["--"] + positional)
        #expect(quick.status == parsed.status, "\(command) \(positional) \(options)", sourceLocation: sourceLocation)
        #expect(quick.stdout == parsed.stdout, "\(command) \(positional) \(options)", sourceLocation: sourceLocation)
        #expect(quick.stderr == parsed.stderr, "\(command) \(positional) \(options)", sourceLocation: sourceLocation)
    }

    @Test func bothPathsAnswerAlike() throws {
        let store = try CLITestStore()
        let first = try store.newRun("vae/baseline")
        _ = try store.newRun("vae/baseline")
        _ = try store.newRun("gan")
        let targets: [[String]] = [["vae/baseline"], ["gan"], ["vae"], ["nope"], ["a/../b"], [""], ["vae/baseline", "latest"],
                                   ["vae/baseline", first], ["vae/baseline", String(first.prefix(9))], ["gan", first],
                                   [first], ["2"], ["vae/baseline", "zzz"]]
        for options in [["--store", store.path], ["--store=\(store.path)"], ["--store", store.path, "--json"], ["--json", "--store=\(store.path)"]] {
            for positional in targets {
                if positional.count == 1 { try Self.expectSame(store, "latest", positional, options) }
                try Self.expectSame(store, "path", positional, options)
            }
        }
        // No --store: $CAIRN_STORE, the same for both.
        let quick = try CLI.run(["latest", "gan"], environment: ["CAIRN_STORE": store.path])
        let parsed = try CLI.run(["latest", "--", "gan"], environment: ["CAIRN_STORE": store.path])
        #expect(quick.status == 0 && quick.stdout == parsed.stdout)
    }

    @Test func otherSpellingsStillReachArgumentParser() throws {
        let store = try CLITestStore()
        _ = try store.newRun("gan")
        // A repeated flag is ArgumentParser's to accept.
        let twice = try CLI.run(["latest", "gan", "--json", "--json", "--store", store.path])
        #expect(twice.status == 0 && twice.stdout.hasPrefix("{"), "\(twice.stderr)")
        // Help, an unknown option, a missing value, too many arguments: ArgumentParser's answers.
        let help = try CLI.run(["latest", "--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: cairn latest"))
        for words in [["latest", "gan", "--store", store.path, "--bogus"],
                      ["latest", "gan", "--store"], ["latest", "gan", "gan", "--store", store.path],
                      ["path", "gan", "latest", "x", "--store", store.path]] {
            let result = try CLI.run(words)
            #expect(result.status != 0, "\(words)")
            #expect(result.stderr.contains("see 'cairn"), "\(words): \(result.stderr)")
        }
    }

    /// `run ls` and `compare` through both paths: plain (quick), and with `--store` given twice or a `--`
    /// before the runs (ArgumentParser, which takes the last of a repeated option).
    @Test func searchesAnswerAlikeOnBothPaths() throws {
        let store = try CLITestStore()
        var ids: [String] = []
        for (experiment, lr, loss) in [("vae/a", "0.01", "0.30"), ("vae/a", "0.0001", "0.10"), ("vae/b", "1e-3", "0.15"), ("gan", "0.1", "0.05")] {
            let id = try store.newRun(experiment, "--set", "+training.lr=\(lr)", "--tag", "team=vision")
            try store.output("metric", "log", id, "loss=\(loss)", "--step", "1", "--split", "eval")
            ids.append(id)
        }
        let searches: [[String]] = [
            [], ["--json"], ["--csv"], ["-e", "vae/*"], ["--experiment=vae/a", "--json"], ["-e", "nope"], ["-e", "a/../b"],
            ["--filter", "metrics.`eval/loss` < 0.2", "--order-by", "metrics.`eval/loss`", "--order-by", "attributes.run_name DESC"],
            ["--filter=params.training.lr > 1e-5", "--limit", "2", "--columns", "params.training.lr,metrics.`eval/loss`"],
            ["--status", "RUNNING", "--csv", "--columns", "tags.team"], ["--filter", "metrics.x < 'abc'"], ["--order-by", "nope.x"],
            ["--filter", "params.a = '1' OR 1=1"], ["--columns", "metrics.`eval/loss`", "--json"],
        ]
        for words in searches {
            let quick = try CLI.run(["run", "ls", "--store", store.path] + words)
            let parsed = try CLI.run(["run", "ls", "--store", "/nonexistent", "--store", store.path] + words)
            #expect(quick.status == parsed.status && quick.stdout == parsed.stdout && quick.stderr == parsed.stderr, "\(words): \(quick) \(parsed)")
        }
        for runs in [[ids[0], ids[1]], [ids[3], String(ids[2].prefix(18)), ids[0]], [ids[0], "nope"], [ids[1]]] {
            for json in [[], ["--json"]] {
                let quick = try CLI.run(["compare", "--store", store.path] + json + runs)
                let parsed = try CLI.run(["compare", "--store", store.path] + json + ["--"] + runs)
                #expect(quick.status == parsed.status && quick.stdout == parsed.stdout && quick.stderr == parsed.stderr, "\(runs): \(quick) \(parsed)")
            }
        }
        // Values ArgumentParser must judge: its messages, on the ArgumentParser path.
        for words in [["--limit", "0"], ["--limit", "x"], ["--status", "running"], ["--json", "--csv"], ["--filter"], ["extra"]] {
            let result = try CLI.run(["run", "ls", "--store", store.path] + words)
            #expect(result.status != 0 && result.stderr.contains("see 'cairn"), "\(words): \(result.stderr)")
        }
        let none = try CLI.run(["compare", "--store", store.path])
        #expect(none.status != 0 && none.stderr.contains("see 'cairn"), "\(none.stderr)")
    }
}
