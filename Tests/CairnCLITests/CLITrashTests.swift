import Foundation
import Testing
import CairnTestSupport

/// `cairn rm` and `cairn trash ls|restore|empty`: the soft delete of `cairn serve` as a trash.
@Suite("cairn rm, cairn trash")
struct CLITrashTests {
    /// A finished run of `experiment` holding a file of `bytes` bytes; its id.
    private static func finishedRun(_ store: CLITestStore, _ experiment: String, bytes: Int = 1000) throws -> String {
        let run = try store.newRun(experiment)
        let folder = try store.output("path", run)
        try Data(repeating: 3, count: bytes).write(to: URL(fileURLWithPath: folder + "/weights.bin"))
        let finished = try store.cairn("run", "finish", run)
        try #require(finished.status == 0, "\(finished.stderr)")
        return run
    }

    private static func listed(_ store: CLITestStore) throws -> [String] {
        let runs = try #require(try store.json("run", "ls", "--json") as? [[String: Any]])
        return runs.compactMap { $0["id"] as? String }
    }

    /// The store's files and their contents, but for the index (a cache a read may refresh).
    private static func snapshot(_ store: CLITestStore) -> [String: String] {
        TreeSnapshot(store.url).entries.filter { !$0.key.hasPrefix(".cairn/index") }
    }

    @Test func rmListRestoreEmpty() throws {
        let store = try CLITestStore()
        let kept = try Self.finishedRun(store, "vae")
        let gone = try Self.finishedRun(store, "vae", bytes: 100_000)
        let folder = try store.output("path", gone)

        let rm = try store.cairn("rm", gone)
        #expect(rm.status == 0, "\(rm.stderr)")
        #expect(rm.stdout.hasPrefix("Moved 1 run to the trash"), "\(rm.stdout)")
        #expect(try Self.listed(store) == [kept])
        #expect(FileManager.default.fileExists(atPath: folder + "/weights.bin"))

        let ls = try #require(try store.json("trash", "ls", "--json") as? [String: Any])
        let rows = try #require(ls["runs"] as? [[String: Any]])
        #expect(rows.map { $0["run"] as? String } == [gone])
        #expect((rows.first?["bytes"] as? Int ?? 0) >= 100_000)
        #expect(rows.first?["deleted_at"] is String)
        #expect(try store.output("trash", "ls").contains(gone))

        let restored = try #require(try store.json("trash", "restore", gone, "--json") as? [String: Any])
        #expect(restored["action"] as? String == "restore")
        #expect(Set(try Self.listed(store)) == [kept, gone])
        #expect(try store.output("trash", "ls") == "The trash is empty.")

        _ = try store.output("rm", gone)
        let empty = try #require(try store.json("trash", "empty", "--yes", "--json") as? [String: Any])
        #expect((empty["bytes"] as? Int ?? 0) >= 100_000)
        #expect((empty["runs"] as? [[String: Any]])?.count == 1)
        #expect(!FileManager.default.fileExists(atPath: folder))
        #expect(try Self.listed(store) == [kept])
        #expect(try store.output("doctor").hasSuffix("is healthy."))
    }

    @Test func anExperimentNeedsYesWithoutATerminal() throws {
        let store = try CLITestStore()
        let run = try Self.finishedRun(store, "gan")
        let before = Self.snapshot(store)
        let refused = try store.cairn("rm", "gan")
        #expect(refused.status != 0)
        #expect(refused.stderr.split(separator: "\n").count == 1 && refused.stderr.contains("--yes"), "\(refused.stderr)")
        #expect(Self.snapshot(store) == before)
        let rm = try #require(try store.json("rm", "gan", "--yes", "--json") as? [String: Any])
        #expect((rm["experiments"] as? [[String: Any]])?.first?["name"] as? String == "gan")
        #expect((rm["runs"] as? [[String: Any]])?.first?["run"] as? String == run)
        #expect(try Self.listed(store).isEmpty)
        let text = try store.output("trash", "empty", "--yes")
        #expect(text.hasPrefix("Removed 1 run and experiment 'gan' for good"), "\(text)")
    }

    @Test func aDryRunChangesNothing() throws {
        let store = try CLITestStore()
        let a = try Self.finishedRun(store, "vae")
        _ = try Self.finishedRun(store, "gan")
        _ = try store.output("rm", a)
        _ = try store.output("run", "ls")  // the index brought up to date before the snapshot
        let before = Self.snapshot(store)
        let rm = try store.output("rm", "gan", "--dry-run")
        #expect(rm.hasPrefix("Would move 1 run and experiment 'gan'"), "\(rm)")
        let empty = try #require(try store.json("trash", "empty", "--dry-run", "--json") as? [String: Any])
        #expect(empty["dry_run"] as? Bool == true && (empty["runs"] as? [Any])?.count == 1)
        _ = try store.output("trash", "restore", a, "--dry-run")
        let after = Self.snapshot(store)
        #expect(after == before, "\(Set(after.keys).union(before.keys).filter { after[$0] != before[$0] }.sorted())")
    }

    @Test(arguments: [["rm", "20990101-000000-000-zzzz"], ["rm", "../etc"], ["rm", "a/../b"], ["trash", "restore", "nope"]])
    func badInputIsOneLineAndChangesNothing(_ arguments: [String]) throws {
        let store = try CLITestStore()
        _ = try Self.finishedRun(store, "vae")
        let before = Self.snapshot(store)
        let result = try store.cairn(arguments + ["--yes"].filter { _ in arguments[0] == "rm" })
        #expect(result.status != 0)
        #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.hasPrefix("cairn: error:"), "\(result.stderr)")
        #expect(Self.snapshot(store) == before)
    }

    @Test func anAliveOwnerIsRefusedWithoutForce() throws {
        let store = try CLITestStore()
        let run = try store.newRun("vae")  // owned by this test process: alive
        let before = Self.snapshot(store)
        let refused = try store.cairn("rm", run)
        #expect(refused.status != 0)
        #expect(refused.stderr.split(separator: "\n").count == 1 && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(Self.snapshot(store) == before)
        _ = try store.output("rm", run, "--force")
        let folder = try store.output("path", run)
        let empty = try store.cairn("trash", "empty", "--yes")
        #expect(empty.status != 0 && empty.stderr.contains("--force"), "\(empty.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder))
        _ = try store.output("trash", "empty", "--yes", "--force")
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    /// `trash empty` killed (SIGKILL) at each of its steps: every run is whole in the trash or gone,
    /// `cairn doctor --fix` or the next `trash empty` finishes, and the doctor finds the store healthy.
    @Test(arguments: ["trash-noted@2", "trash-renamed@1", "trash-renamed@3", "trash-unregistered@2", "trash-removed@1"])
    func aKilledEmptyLeavesTheStoreWhole(_ fault: String) throws {
        let store = try CLITestStore()
        let kept = try Self.finishedRun(store, "vae")
        var gone: [String: String] = [:]
        for _ in 0..<4 {
            let run = try Self.finishedRun(store, "vae", bytes: 8 << 20)
            gone[run] = try store.output("path", run)
        }
        let rm = try store.cairn(["rm", "--yes"] + Array(gone.keys))
        try #require(rm.status == 0, "\(rm.stderr)")
        let killed = try store.cairn("trash", "empty", "--yes", environment: ["CAIRN_FAULT": fault])
        #expect(killed.signaled, "\(fault): \(killed.status) \(killed.stderr)")

        // Whole: each run in the trash with its folder, or gone; nothing else listed.
        #expect(try Self.listed(store) == [kept])
        let trashed = try #require(try store.json("trash", "ls", "--json") as? [String: Any])
        for row in trashed["runs"] as? [[String: Any]] ?? [] {
            let folder = try #require(row["folder"] as? String)
            let entry = try #require(row["run"] as? String)
            #expect(gone[entry] == folder)
            let notes = (try? FileManager.default.contentsOfDirectory(atPath: store.path + "/.cairn/trash")) ?? []
            #expect(FileManager.default.fileExists(atPath: folder + "/weights.bin") || notes.contains(entry + ".json"), "\(fault): \(entry)")
        }
        let doctor = try #require(try JSONSerialization.jsonObject(with: Data(try store.cairn("doctor", "--json").stdout.utf8)) as? [String: Any])
        #expect((doctor["missing_run_folders"] as? [Any])?.isEmpty == true, "\(fault): \(doctor)")
        if fault.hasPrefix("trash-renamed") {  // the doctor finishes it too
            let fixed = try store.cairn("doctor", "--fix")
            #expect(fixed.status == 0, "\(fixed.stdout)\(fixed.stderr)")
        }
        let finished = try store.cairn("trash", "empty", "--yes")
        #expect(finished.status == 0, "\(finished.stderr)")
        for folder in gone.values { #expect(!FileManager.default.fileExists(atPath: folder)) }
        let parent = URL(fileURLWithPath: try #require(gone.values.first)).deletingLastPathComponent().path
        let left = try FileManager.default.contentsOfDirectory(atPath: parent).filter { $0.hasPrefix(".cairn-tmp-") }
        #expect(left.isEmpty, "\(left)")
        #expect(try store.output("doctor").hasSuffix("is healthy."))
        #expect(try store.output("trash", "ls") == "The trash is empty.")
        #expect(try store.output("trash", "empty") == "Removed 0 runs for good: 0 B freed.")
        #expect(try Self.listed(store) == [kept])
    }
}
