import Foundation
import Testing
import CairnTestSupport

/// Bad input to `cairn ckpt save`: one clear error line, a non-zero exit, and every earlier checkpoint
/// intact and verified, with no temporary file left.
@Suite struct CLICheckpointErrorTests {
    /// A store with one run holding two verified checkpoints; returns the store, the run and a scratch folder.
    static func storeWithCheckpoints() throws -> (CLITestStore, String, String) {
        let store = try CLITestStore()
        let run = try store.newRun("bad/input")
        let scratch = store.path + "-scratch"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        for epoch in 1...2 {
            let file = scratch + "/e\(epoch).pt"
            try Data(repeating: UInt8(epoch), count: 100_000).write(to: URL(fileURLWithPath: file))
            let result = try store.cairn("ckpt", "save", run, file, "--epoch", String(epoch), "--step", String(epoch),
                                         "--metric", "val_loss=0.\(epoch)", "--monitor", "val_loss", "--top-k", "2")
            try #require(result.status == 0, "\(result.stderr)")
        }
        return (store, run, scratch)
    }

    static func expectIntact(_ store: CLITestStore, run: String, before: TreeSnapshot, context: String) throws {
        let after = TreeSnapshot(store.url)
        #expect(after == before, "\(context) changed: \(after.difference(from: before))")
        let verify = try store.cairn("ckpt", "verify", run)
        #expect(verify.status == 0, "\(context): \(verify.stdout)")
        #expect(!after.entries.keys.contains { $0.contains(".cairn-tmp-") }, "\(context): temporary file left")
    }

    @Test(arguments: [
        (["--metric", "val_loss=nan"], "the metric val_loss is nan"),
        (["--metric", "val_loss=inf"], "the metric val_loss is inf"),
        (["--metric", "val_loss=-inf"], "the metric val_loss is -inf"),
        (["--metric", "val_loss=fast"], "not a number"),
        (["--metric", "accuracy=0.9"], "monitors 'val_loss', which this save does not give"),
        (["--metric", "val_loss=0.1", "--top-k", "0"], "top_k"),
        (["--metric", "val_loss=0.1", "--save-strategy", "sometimes"], "save_strategy"),
        (["--metric", "val_loss=0.1", "--epoch=-1"], "negative"),
    ])
    func badMetricsOrPolicy(_ extra: [String], expected: String) throws {
        let (store, run, scratch) = try Self.storeWithCheckpoints()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let file = scratch + "/e3.pt"
        try Data(repeating: 3, count: 100_000).write(to: URL(fileURLWithPath: file))
        let before = TreeSnapshot(store.url)
        var args = ["ckpt", "save", run, file, "--step", "3", "--monitor", "val_loss"]
        if !extra.contains(where: { $0.hasPrefix("--epoch") }) { args += ["--epoch", "3"] }
        let result = try store.cairn(args + extra)
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("cairn: error: ") && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        try Self.expectIntact(store, run: run, before: before, context: expected)
        #expect(FileManager.default.fileExists(atPath: file), "the source must stay")
    }

    @Test func missingSource() throws {
        let (store, run, scratch) = try Self.storeWithCheckpoints()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let before = TreeSnapshot(store.url)
        for transfer in ["--copy", "--move", "--link"] {
            let result = try store.cairn("ckpt", "save", run, scratch + "/nope.pt", "--epoch", "3", "--step", "3", transfer,
                                         "--metric", "val_loss=0.1")
            #expect(result.status != 0)
            #expect(result.stderr.contains("does not exist"), "\(result.stderr)")
        }
        try Self.expectIntact(store, run: run, before: before, context: "missing source")
    }

    @Test func unreadableSource() throws {
        let (store, run, scratch) = try Self.storeWithCheckpoints()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let file = scratch + "/secret.pt"
        try Data(repeating: 9, count: 1000).write(to: URL(fileURLWithPath: file))
        chmod(file, 0o600)
        // The store is writable for the unprivileged user; the source is not readable by it.
        _ = try TestProcess.run("/bin/chown", ["-R", "65534:65534", store.path])
        let before = TreeSnapshot(store.url)
        let result = try CLI.runUnprivileged(["ckpt", "save", run, file, "--epoch", "3", "--step", "3", "--copy",
                                              "--metric", "val_loss=0.1", "--store", store.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("permission denied") && result.stderr.contains("secret.pt"), "\(result.stderr)")
        try Self.expectIntact(store, run: run, before: before, context: "unreadable source")
    }

    @Test func writeFailsMidway() throws {
        let (store, run, scratch) = try Self.storeWithCheckpoints()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let file = scratch + "/big.pt"
        try Data(repeating: 7, count: 2_000_000).write(to: URL(fileURLWithPath: file))
        let before = TreeSnapshot(store.url)
        // A file-size limit of about 200 KB: the copy fails partway with EFBIG.
        let result = try TestProcess.run("/bin/sh", ["-c", "ulimit -f 400; exec \"$0\" ckpt save \"$1\" \"$2\" --epoch 3 --step 3 --copy --metric val_loss=0.05 --store \"$3\"",
                                                     PackagePaths.cairnBinary, run, file, store.path])
        #expect(result.status == 1, "\(result.status) \(result.stderr)")
        #expect(result.stderr.hasPrefix("cairn: error: cannot write"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        try Self.expectIntact(store, run: run, before: before, context: "file-size limit")
        // And the next save works.
        let small = scratch + "/small.pt"
        try Data(repeating: 5, count: 10_000).write(to: URL(fileURLWithPath: small))
        #expect(try store.cairn("ckpt", "save", run, small, "--epoch", "3", "--step", "3", "--metric", "val_loss=0.05").status == 0)
    }

    @Test func unknownRunAndNoRun() throws {
        let (store, run, scratch) = try Self.storeWithCheckpoints()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let file = scratch + "/e1.pt"
        let unknown = try store.cairn("ckpt", "save", "zzz", file, "--epoch", "1", "--step", "1")
        #expect(unknown.stderr.contains("no run 'zzz'"), "\(unknown.stderr)")
        let noRun = try store.cairn("ckpt", "save", file, "--epoch", "1", "--step", "1")
        #expect(noRun.stderr.contains("CAIRN_RUN_ID is not set"), "\(noRun.stderr)")
        let neither = try store.cairn("ckpt", "save", run, file, "--metric", "val_loss=1")
        #expect(neither.stderr.contains("neither an epoch nor a step"), "\(neither.stderr)")
        #expect(neither.stderr.contains("--epoch N, --step N, or both"), "\(neither.stderr)")
    }
}
