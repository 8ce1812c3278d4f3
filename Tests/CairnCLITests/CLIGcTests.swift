import Foundation
import Testing
import CairnTestSupport

/// `cairn gc`: checkpoints deleted by policy or `--keep`, runs moved to the trash by status or age; bad
/// input refused in one line; `--yes` needed without a terminal; a killed gc leaves the store whole.
@Suite("cairn gc")
struct CLIGcTests {
    /// A run of `experiment` with checkpoints at epochs 1…`epochs` of 10 KiB×epoch (val_loss lowest at
    /// epoch 2), then marked `end` (`finish` or `fail`); its id.
    private static func run(_ store: CLITestStore, _ experiment: String, epochs: Int = 4, end: String = "finish") throws -> String {
        let run = try store.newRun(experiment)
        let scratch = store.path + "-src"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        for epoch in 1...epochs {
            let file = scratch + "/e\(epoch).pt"
            try Data(repeating: UInt8(epoch), count: 10_240 * epoch).write(to: URL(fileURLWithPath: file))
            let saved = try store.cairn("ckpt", "save", run, file, "--epoch", String(epoch),
                                        "--metric", "val_loss=\(epoch == 2 ? 0.1 : Double(epoch))", "--monitor", "val_loss")
            try #require(saved.status == 0, "\(saved.stderr)")
        }
        _ = try store.output("run", end, run)
        return run
    }

    private static func keptEpochs(_ store: CLITestStore, _ run: String) throws -> [Int] {
        let listed = try #require(try store.json("ckpt", "ls", run, "--json") as? [[String: Any]])
        return listed.compactMap { $0["epoch"] as? Int }.sorted()
    }

    @Test(arguments: [
        (["nope"], "nope"), (["zzz*"], "zzz*"), (["../vae"], "vae"),
        (["--older-than", "30x"], "--older-than"), (["--older-than", "-1d"], "--older-than"),
        (["--status", "DONE"], "--status"), (["--keep", "bogus"], "bogus"), (["--keep", "top0"], "top0"),
        (["--keep", "all,last"], "all"), (["--keep", ""], "--keep"),
    ])
    func badInputIsOneLineAndChangesNothing(_ arguments: [String], _ mention: String) throws {
        let store = try CLITestStore()
        _ = try Self.run(store, "vae", end: "fail")
        let before = StoreChecksum(store.path)
        let result = try store.cairn(["gc", "--yes", "--status", "FAILED"] + arguments)
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty, "\(result.stdout)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("cairn: error: ") && lines[0].contains(mention), "\(result.stderr)")
        let after = StoreChecksum(store.path)
        #expect(after == before, "\(after.difference(from: before))")
    }

    @Test func itNeedsYesWithoutATerminalAndADryRunChangesNothing() throws {
        let store = try CLITestStore()
        let run = try Self.run(store, "vae")
        let before = StoreChecksum(store.path)
        let refused = try store.cairn("gc", "--keep", "last")
        #expect(refused.status != 0)
        #expect(refused.stderr.split(separator: "\n").count == 1 && refused.stderr.contains("--yes"), "\(refused.stderr)")
        let dry = try store.output("gc", "--keep", "last", "--dry-run", "--status", "KILLED")
        #expect(dry.hasSuffix("Would delete 2 checkpoints of 1 run, freeing 40.0 KiB; would move 0 runs to the trash (0 B)."), "\(dry)")
        let after = StoreChecksum(store.path)
        #expect(after == before, "\(after.difference(from: before))")
        #expect(try Self.keptEpochs(store, run) == [1, 2, 3, 4])
        // Nothing to do needs no --yes.
        #expect(try store.output("gc").hasPrefix("Deleted 0 checkpoints of 1 run: 0 B freed. Moved 0 runs to the trash"))
    }

    @Test func jsonListsCheckpointsAndRunsWithTheirBytes() throws {
        let store = try CLITestStore()
        let kept = try Self.run(store, "vae")
        let failed = try Self.run(store, "vae", epochs: 1, end: "fail")
        let golden = GoldenJSON()
        golden.replace(store.path, with: "$STORE")
        golden.volatileNumbers = ["bytes", "bytes_trashed"]  // a run folder's bytes depend on its record (host, user)
        try golden.check("gc", try store.output("gc", "vae", "--keep", "best,last", "--status", "FAILED", "--dry-run", "--json"))
        let gc = try #require(try store.json("gc", "--status", "FAILED", "vae", "--keep", "best,last", "--yes", "--json") as? [String: Any])
        #expect(Set(gc.keys) == ["dry_run", "keep", "runs_examined", "deleted_checkpoints", "trashed_runs", "skipped_runs",
                                 "bytes_freed", "bytes_trashed"])
        #expect(gc["dry_run"] as? Bool == false && gc["keep"] as? String == "best,last" && gc["runs_examined"] as? Int == 2)
        let deleted = try #require(gc["deleted_checkpoints"] as? [[String: Any]])
        #expect(deleted.map { $0["run"] as? String } == [kept, kept])
        #expect(Set(deleted.first?.keys.map { $0 } ?? []) == ["run", "seq", "path", "relative_path", "bytes", "reason"])
        #expect(deleted.map { $0["bytes"] as? Int } == [10_240, 30_720])
        #expect(deleted.map { $0["relative_path"] as? String } == ["checkpoints/epoch_0001.pt", "checkpoints/epoch_0003.pt"])
        #expect(gc["bytes_freed"] as? Int == 40_960)
        let trashed = try #require(gc["trashed_runs"] as? [[String: Any]])
        #expect(trashed.map { $0["run"] as? String } == [failed])
        #expect((trashed.first?["bytes"] as? Int ?? 0) >= 10_240 && gc["bytes_trashed"] as? Int == trashed.first?["bytes"] as? Int)
        #expect((gc["skipped_runs"] as? [Any])?.isEmpty == true)
        #expect(try Self.keptEpochs(store, kept) == [2, 4])
        let best = try #require(try store.json("ckpt", "best", kept, "--json") as? [String: Any])
        #expect(best["epoch"] as? Int == 2)
        let last = try #require(try store.json("ckpt", "last", kept, "--json") as? [String: Any])
        #expect(last["epoch"] as? Int == 4)
        let trash = try #require(try store.json("trash", "ls", "--json") as? [String: Any])
        #expect((trash["runs"] as? [[String: Any]])?.map { $0["run"] as? String } == [failed])
        #expect(try store.output("doctor").hasSuffix("is healthy."))
    }

    @Test func anAliveRunIsSkippedWithItsReason() throws {
        let store = try CLITestStore()
        let alive = try store.newRun("vae")  // owned by this test process
        let text = try store.output("gc", "--status", "RUNNING", "--yes")
        #expect(text.contains("Skipped run \(alive) (vae): RUNNING and its owner is alive"), "\(text)")
        #expect(try store.output("gc", "--status", "RUNNING", "--yes", "--force").contains("Moved 1 run to the trash"))
    }

    /// gc killed (SIGKILL) at each of its steps: every run is whole, the doctor finds the store healthy,
    /// and the next gc finishes the work.
    @Test(arguments: ["gc-pruned@1", "gc-pruned@2", "after-prune-record@2", "after-prune-record@4", "gc-trashed@1"])
    func aKilledGcLeavesTheStoreWhole(_ fault: String) throws {
        let store = try CLITestStore()
        let runs = [try Self.run(store, "vae"), try Self.run(store, "vae"), try Self.run(store, "gan")]
        let failed = try Self.run(store, "gan", epochs: 1, end: "fail")
        let killed = try store.cairn(["gc", "--keep", "last", "--status", "FAILED", "--yes"], environment: ["CAIRN_FAULT": fault])
        #expect(killed.signaled, "\(fault): \(killed.status) \(killed.stderr)")

        for run in runs {
            let epochs = try Self.keptEpochs(store, run)
            #expect(epochs == [1, 2, 3, 4] || epochs == [2, 3, 4] || epochs == [2, 4], "\(fault): \(epochs)")  // the best (2) stays
            let last = try #require(try store.json("ckpt", "last", run, "--json") as? [String: Any])
            #expect(last["epoch"] as? Int == 4)
        }
        #expect(try store.output("doctor").hasSuffix("is healthy."), "\(fault)")
        let again = try store.cairn("gc", "--keep", "last", "--status", "FAILED", "--yes")
        #expect(again.status == 0, "\(fault): \(again.stderr)")
        for run in runs {
            #expect(try Self.keptEpochs(store, run) == [2, 4], "\(fault)")
            let folder = try store.output("path", run)
            let files = try FileManager.default.subpathsOfDirectory(atPath: folder).filter { $0.hasSuffix(".pt") && !$0.contains("last") && !$0.contains("best") }
            #expect(files.count == 2, "\(fault): \(files)")
            _ = try store.output("ckpt", "verify", run)
        }
        let trash = try #require(try store.json("trash", "ls", "--json") as? [String: Any])
        #expect((trash["runs"] as? [[String: Any]])?.map { $0["run"] as? String } == [failed])
        #expect(try store.output("doctor").hasSuffix("is healthy."))
        let nothing = try #require(try store.json("gc", "--keep", "last", "--status", "FAILED", "--json") as? [String: Any])
        #expect((nothing["deleted_checkpoints"] as? [Any])?.isEmpty == true && (nothing["trashed_runs"] as? [Any])?.isEmpty == true)
    }
}
