import Foundation
import Testing
import CairnTestSupport

/// Shell completion as bash runs it: the script `cairn --generate-completion-script bash` prints is
/// sourced, the words of a command line are set as bash sets them at TAB, and what `_cairn` puts in
/// COMPREPLY is what the user is offered.
@Suite struct CLICompletionTests {
    /// What bash offers at TAB after `words` (the last word is the one being completed).
    static func complete(_ words: [String], environment: [String: String?] = [:]) throws -> [String] {
        let script = #"""
            source <("$CAIRN" --generate-completion-script bash)
            COMP_WORDS=("$CAIRN" "$@")
            COMP_CWORD=$#
            COMP_LINE="${COMP_WORDS[*]}"
            COMP_POINT=${#COMP_LINE}
            cur="${COMP_WORDS[COMP_CWORD]}"
            prev="${COMP_WORDS[COMP_CWORD-1]}"
            _cairn "$CAIRN" "$cur" "$prev"
            printf '%s\n' "${COMPREPLY[@]}"
            """#
        var env: [String: String?] = ["CAIRN": PackagePaths.cairnBinary, "CAIRN_STORE": nil, "CAIRN_RUN_ID": nil]
        for (key, value) in environment { env[key] = value }
        let result = try TestProcess.run("/bin/bash", ["-c", script, "bash"] + words, environment: env)
        try #require(result.status == 0, "bash completion failed: \(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    @Test func runIDsExperimentsAndSelectors() throws {
        let store = try CLITestStore()
        let first = try store.newRun("vae/baseline")
        let second = try store.newRun("vae/baseline")
        let other = try store.newRun("gan")
        // Run ids, newest first, of the whole store.
        #expect(try Self.complete(["run", "show", "--store", store.path, ""]) == [other, second, first].sorted(by: >))
        // A prefix narrows them.
        #expect(try Self.complete(["ckpt", "ls", "--store", store.path, String(first.prefix(15))]).contains(first))
        // Experiment names.
        #expect(try Self.complete(["latest", "--store", store.path, ""]) == ["gan", "vae/baseline"])
        #expect(try Self.complete(["run", "ls", "--store", store.path, "-e", "v"]) == ["vae/baseline"])
        // `path EXP <TAB>`: latest, then that experiment's runs only.
        #expect(try Self.complete(["path", "--store", store.path, "vae/baseline", ""]) == ["latest", second, first])
        // Checkpoint selectors, after the run.
        #expect(try Self.complete(["ckpt", "path", "--store", store.path, first, ""]) == ["best", "last", "epoch=", "step="])
        // $CAIRN_STORE is the store when --store is not on the line.
        #expect(try Self.complete(["latest", "g"], environment: ["CAIRN_STORE": store.path]) == ["gan"])
    }

    @Test func optionValuesAreTheirChoicesNotFileNames() throws {
        let store = try CLITestStore()
        _ = try store.newRun("e")
        #expect(try Self.complete(["ckpt", "save", "--save-strategy", ""]) == ["best", "last", "all"])
        #expect(try Self.complete(["ckpt", "save", "--mode", ""]) == ["min", "max"])
        #expect(try Self.complete(["layout", "show", "--store", store.path, "typed"]).allSatisfy { $0.hasPrefix("typed") })
        #expect(try Self.complete(["adopt", "--layout", "au"]) == ["auto"])
        #expect(try Self.complete(["gc", "--status", ""]) == ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"])
        #expect(try Self.complete(["gc", "--store", store.path, ""]) == ["e"])
    }

    @Test func noStoreOffersNothingAndSaysNothing() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-no-store-\(UUID())").path
        #expect(try Self.complete(["run", "show", "--store", missing, ""]) == [])
        let broken = try TemporaryDirectory("cairn-broken-store")
        try Data("format: [".utf8).write(to: broken.appending("cairn.yaml"))
        #expect(try Self.complete(["latest", "--store", broken.path, ""]) == [])
    }
}
