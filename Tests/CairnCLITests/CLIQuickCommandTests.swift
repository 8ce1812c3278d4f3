import Foundation
import Testing
import CairnTestSupport

/// `cairn latest` and `cairn path` in their plain spellings skip ArgumentParser; after a `--` they go
/// through it. Both must print, fail and exit alike.
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
}
