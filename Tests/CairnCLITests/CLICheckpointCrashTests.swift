import Foundation
import Testing
import CairnTestSupport

/// `kill -9` at any moment never corrupts a run's checkpoints: after each kill and reopen, best and
/// last resolve to complete files whose sha256 matches the manifest, every kept checkpoint exists,
/// `ckpt latest` names a complete verified checkpoint, and no temporary file remains.
@Suite struct CLICheckpointCrashTests {
    /// Checks the invariants after a crash; `ckpt verify` reopens the run (which recovers it) and
    /// re-hashes every kept checkpoint.
    static func checkInvariants(_ store: CLITestStore, run: String, context: String, pointers: [String] = ["best", "last"]) throws {
        let verify = try store.cairn("ckpt", "verify", run, "--json")
        try #require(verify.status == 0, "\(context): verify failed: \(verify.stdout) \(verify.stderr)")
        let entries = try #require(try store.json("ckpt", "ls", run, "--json") as? [[String: Any]])
        let kept = Dictionary(uniqueKeysWithValues: entries.compactMap { entry -> (String, String)? in
            guard let path = entry["path"] as? String, let sha = entry["sha256"] as? String else { return nil }
            return (URL(fileURLWithPath: path).resolvingSymlinksInPath().path, sha)
        })
        for path in kept.keys {
            #expect(FileManager.default.fileExists(atPath: path), "\(context): kept checkpoint missing: \(path)")
        }
        if !entries.isEmpty {
            for pointer in pointers {
                let result = try store.cairn("ckpt", "path", run, pointer)
                try #require(result.status == 0, "\(context): no \(pointer): \(result.stderr)")
                let target = URL(fileURLWithPath: result.stdout.trimmingCharacters(in: .newlines)).resolvingSymlinksInPath().path
                #expect(kept[target] != nil, "\(context): \(pointer) → \(target) is not a kept checkpoint")
            }
            let latest = try store.output("ckpt", "latest", run)
            #expect(kept[URL(fileURLWithPath: latest).resolvingSymlinksInPath().path] != nil, "\(context): latest \(latest) is not kept")
        }
        let folder = try store.output("path", run)
        let walker = FileManager.default.enumerator(atPath: folder)
        while let name = walker?.nextObject() as? String {
            #expect(!URL(fileURLWithPath: name).lastPathComponent.hasPrefix(".cairn-tmp-"), "\(context): temporary file left: \(name)")
        }
    }

    @Test func sigkillAtRandomMoments() throws {
        let store = try CLITestStore()
        let run = try store.newRun("crash/loop")
        var rng = SeededGenerator(seed: 20261123)
        var landedMidSave = 0
        // Kill until 200 kills have landed inside the save loop (after at least one save of that process).
        var kill = 0
        while landedMidSave < 200 && kill < 300 {
            kill += 1
            let output = store.path + "-loop.out"
            let errors = store.path + "-loop.err"
            let process = try SpawnedProcess(PackagePaths.benchBinary, ["save-loop", store.path, run, "200000", "3"],
                                             outputFile: output, errorFile: errors)
            if kill % 5 == 0 {
                // Any moment, startup and recovery included.
                usleep(UInt32(rng.next() % 80_000))
            } else {
                // A moment inside the save loop: after the process's first save, then 0–40 ms more.
                var info = stat()
                var waited = 0
                while waited < 5_000, stat(output, &info) != 0 || info.st_size == 0 {
                    usleep(2_000)
                    waited += 1
                }
                usleep(UInt32(rng.next() % 40_000))
            }
            process.signal(SIGKILL)
            process.wait()
            let printed = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            let complaints = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(atPath: output)
            try? FileManager.default.removeItem(atPath: errors)
            #expect(complaints.isEmpty || complaints.contains("Backtrac") == false, "kill \(kill): \(complaints)")
            if kill == 1 { #expect(complaints.isEmpty, "save-loop: \(complaints)") }
            if !printed.isEmpty { landedMidSave += 1 }
            try Self.checkInvariants(store, run: run, context: "kill \(kill)")
        }
        // Most kills land after the loop started saving; the manifest holds many saves.
        #expect(landedMidSave >= 200)
        let all = try #require(try store.json("ckpt", "ls", run, "--all", "--json") as? [[String: Any]])
        #expect(all.count > 200)
        let kept = try #require(try store.json("ckpt", "ls", run, "--json") as? [[String: Any]])
        #expect(kept.count <= 4)  // top 3 by val_loss, plus last
    }

    /// Each named crash point, killed deterministically through CAIRN_FAULT.
    @Test(arguments: ["after-stage", "after-begin", "after-rename", "after-commit", "after-pointer-last",
                      "after-pointer-best", "after-prune-record"])
    func crashAtEachStep(_ point: String) throws {
        let store = try CLITestStore()
        let run = try store.newRun("crash/points")
        let scratch = store.path + "-src"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        func save(_ epoch: Int, loss: Double, fault: String? = nil) throws -> TestProcess.Result {
            let file = scratch + "/e\(epoch).pt"
            try Data(repeating: UInt8(epoch), count: 50_000 + epoch).write(to: URL(fileURLWithPath: file))
            return try store.cairn(["ckpt", "save", run, file, "--epoch", String(epoch), "--step", String(epoch * 10), "--metric", "val_loss=\(loss)",
                                    "--monitor", "val_loss", "--top-k", "1"], environment: ["CAIRN_FAULT": fault])
        }
        #expect(try save(1, loss: 0.5).status == 0)
        #expect(try save(2, loss: 0.6).status == 0)
        // Epoch 3 improves: it becomes best, epoch 1 is pruned, pointers move.
        let crashed = try save(3, loss: 0.4, fault: point)
        #expect(crashed.signaled, "\(point): the fault did not fire: \(crashed.status) \(crashed.stderr)")
        try Self.checkInvariants(store, run: run, context: point)
        // The store goes on working.
        #expect(try save(4, loss: 0.3).status == 0)
        try Self.checkInvariants(store, run: run, context: point + " then a save")
        let best = try store.output("ckpt", "best", run)
        #expect(best.hasSuffix("epoch_0004-step_00000040.pt"), "\(point): best is \(best)")
    }

    /// Two processes saving into one run at the same moment: both land, serialized, in order.
    @Test func twoRanksSaveAtOnce() throws {
        let store = try CLITestStore()
        let run = try store.newRun("ranks/two")
        let scratch = store.path + "-ranks"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        for round in 1...15 {
            let go = scratch + "/go\(round)"
            var processes: [SpawnedProcess] = []
            for rank in 0..<2 {
                let file = scratch + "/r\(round)-\(rank).pt"
                try Data(repeating: UInt8(rank), count: 2_000_000).write(to: URL(fileURLWithPath: file))
                let script = "while [ ! -e \"$0\" ]; do sleep 0.001; done; exec \"$1\" ckpt save \"$2\" \"$3\" --epoch \"$4\" --step \"$5\" --metric val_loss=0.5 --store \"$6\""
                processes.append(try SpawnedProcess("/bin/sh", ["-c", script, go, PackagePaths.cairnBinary, run, file, String(round),
                                                                String(round * 10 + rank), store.path]))
            }
            _ = FileManager.default.createFile(atPath: go, contents: Data())
            for process in processes {
                #expect(process.exitCode == 0, "round \(round)")
            }
        }
        let manifest = try String(contentsOfFile: try store.output("path", run) + "/checkpoints.jsonl", encoding: .utf8)
        let lines = manifest.split(separator: "\n")
        let events = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let begins = events.filter { $0["event"] as? String == "begin" }.compactMap { $0["seq"] as? Int }
        let commits = events.filter { $0["event"] as? String == "commit" }.compactMap { $0["seq"] as? Int }
        #expect(begins.count == 30)
        #expect(commits == begins)  // every save landed, one after the other
        #expect(begins == Array(1...30))
        // Each begin is followed by its own commit before the next begin: saves never interleave.
        var open: Int?
        for event in events {
            switch event["event"] as? String {
            case "begin": #expect(open == nil); open = event["seq"] as? Int
            case "commit": #expect(open == event["seq"] as? Int); open = nil
            default: break
            }
        }
        try Self.checkInvariants(store, run: run, context: "two ranks", pointers: ["last"])
    }
}

