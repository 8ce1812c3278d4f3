import Foundation
import Testing
import CairnTestSupport

/// Messages that were wrong although the command did the right thing (or failed for the wrong reason).
@Suite struct CLIMessageTests {
    @Test func negativeCheckpointEpochAndStepAreValuesThenRefused() throws {
        let store = try CLITestStore()
        let run = try store.newRun("msg/ckpt")
        let file = store.path + "-w.pt"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let cases: [([String], String)] = [
            (["--epoch", "-2", "--step", "1"], "the epoch -2 is negative"),
            (["--epoch=-2", "--step", "1"], "the epoch -2 is negative"),
            (["--epoch", "1", "--step", "-3"], "the step -3 is negative"),
            (["--epoch", "1", "--step=-3"], "the step -3 is negative"),
        ]
        for (options, expected) in cases {
            let result = try store.cairn(["ckpt", "save", run, file] + options)
            #expect(result.status != 0)
            #expect(result.stderr.contains(expected), "\(options): \(result.stderr)")
            #expect(!result.stderr.contains("Missing value"), "\(options): \(result.stderr)")
        }
    }

    @Test func verifyCountsInTheSingular() throws {
        let store = try CLITestStore()
        let run = try store.newRun("msg/verify")
        let file = store.path + "-w.pt"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        try store.output("ckpt", "save", run, file, "--epoch", "1", "--step", "1")
        #expect(try store.output("ckpt", "verify", run) == "1 checkpoint verified: it matches the manifest")
        try store.output("ckpt", "save", run, file, "--epoch", "2", "--step", "2")
        #expect(try store.output("ckpt", "verify", run) == "2 checkpoints verified: all match the manifest")
    }

    @Test func emptyExecLogSaysTheCommandPrintedNothing() throws {
        let store = try CLITestStore()
        try store.output("exec", "-e", "msg/quiet", "--no-git", "--", "true")
        let run = URL(fileURLWithPath: try store.output("path", "msg/quiet", "latest")).lastPathComponent
        let result = try store.cairn("logs", run)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "cairn: the log of run \(run) is empty: its command printed nothing\n")
        #expect(!result.stderr.contains("run new"))
    }
}
