#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import CairnTestSupport

/// `cairn adopt` killed with SIGKILL at random moments: the tree's own files never change, and the tree
/// is either not a store yet (adopting again succeeds) or a complete one, with nothing temporary left.
@Suite("cairn adopt: killed")
struct CLIAdoptCrashTests {
    @Test func killedAdoptionsLeaveTheTreeAsItWasOrAdopted() throws {
        var random = SeededGenerator(seed: 0x5EED_0005)
        var window = 40_000   // microseconds: kills land at a random moment within it
        var kills = 0, unfinished = 0, round = 0
        while round < 20 || (kills < 40 && round < 60) {
            defer { round += 1 }
            let fixture = try AdoptFixture("run-dirs")
            // More runs, so that kills land while the records are written.
            for n in 0..<150 {
                let folder = fixture.tree.appendingPathComponent("checkpoints/extra_\(n % 5)/RUN_20240201_0000\(String(format: "%02d", n % 60))_\(String(format: "%06d", n))")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                for name in ["ckpt_epoch_1.pth", "ckpt_best.pth", "ckpt_latest.pth"] {
                    try Data("\(n)-\(name)".utf8).write(to: folder.appendingPathComponent(name))
                }
            }
            let original = try AdoptFixture.digests(fixture.tree)
            let process = try SpawnedProcess(PackagePaths.cairnBinary, ["adopt", fixture.tree.path, "--layout", "run-dirs"])
            usleep(UInt32(random.next() % UInt64(window)))
            process.signal(SIGKILL)
            process.wait()
            kills += 1
            let completed = FileManager.default.fileExists(atPath: fixture.tree.appendingPathComponent("cairn.yaml").path)
            // Keep the kills landing inside the adoption whatever the machine's load.
            if process.exitCode == 0 { window = max(2_000, window * 2 / 3) } else { window = min(1_000_000, window * 5 / 4) }
            // Apart from Cairn's own temporaries (removed by the next adoption), nothing changed.
            let afterKill = try AdoptFixture.digests(fixture.tree).filter { !$0.key.contains(".cairn-tmp-") }
            #expect(afterKill == original, "round \(round): the tree's files changed")
            if !completed {
                unfinished += 1
                // Not a store: commands say so, and adopting again succeeds.
                #expect(try fixture.cairn("run", "ls").status != 0)
                let again = try CLI.run(["adopt", fixture.tree.path, "--layout", "run-dirs"])
                #expect(again.status == 0, "round \(round): \(again.stderr)")
            }
            // The first command on a store whose adoption was killed at its last step finishes it.
            let runs = try #require(try fixture.json("run", "ls") as? [[String: Any]], "round \(round)")
            let leftovers = try TestProcess.run("/usr/bin/find", [fixture.tree.path, "-name", ".cairn-tmp-*"])
            #expect(leftovers.stdout.isEmpty, "round \(round): \(leftovers.stdout)")
            #expect(runs.count == 6 + 150, "round \(round): \(runs.count) runs")
            #expect(try fixture.cairn("ckpt", "verify", "RUN_20240201_000000_000000").status == 0, "round \(round)")
            #expect(try AdoptFixture.digests(fixture.tree) == original, "round \(round): the tree's files changed")
            #expect(!FileManager.default.fileExists(atPath: fixture.tree.appendingPathComponent(".cairn/adopt-incomplete").path))
        }
        #expect(unfinished >= 5, "only \(unfinished) of \(kills) kills landed inside an adoption")
    }

    /// Killed after `cairn.yaml` was created but before the marker and the temporary were removed: the
    /// first command on the store removes both.
    @Test func theFirstOpenFinishesAnAdoptionKilledAtItsLastStep() throws {
        let fixture = try AdoptFixture("run-dirs")
        #expect(try CLI.run(["adopt", fixture.tree.path]).status == 0)
        let gone = try TestProcess.run("/bin/sh", ["-c", "echo $$"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let marker = fixture.tree.appendingPathComponent(".cairn/adopt-incomplete")
        let temporary = fixture.tree.appendingPathComponent(".cairn-tmp-cairn.yaml-\(gone)-k9")
        let watchedTemporary = fixture.tree.appendingPathComponent(".cairn/.cairn-tmp-tree-folders-\(gone)-k9")
        try Data("adoption in progress\n".utf8).write(to: marker)
        try Data("layout: run-dirs\n".utf8).write(to: temporary)
        try Data("0.0\t.\n".utf8).write(to: watchedTemporary)
        let runs = try #require(try fixture.json("run", "ls") as? [[String: Any]])
        #expect(runs.count == 6)
        #expect(!FileManager.default.fileExists(atPath: marker.path))
        #expect(!FileManager.default.fileExists(atPath: temporary.path))
        #expect(!FileManager.default.fileExists(atPath: watchedTemporary.path))
    }
}
