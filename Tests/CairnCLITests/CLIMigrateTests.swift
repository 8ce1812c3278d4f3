#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import CairnTestSupport

/// `cairn migrate`: the seed-003 migration gives the documented tree byte for byte, plans with
/// problems move nothing, and a migration killed at any moment is finished or undone.
@Suite("cairn migrate")
struct CLIMigrateTests {
    @Test func seed003LegacyTreeBecomesTheDocumentedOne() throws {
        let fixture = try AdoptFixture("typed-folders-legacy")
        let before = try AdoptFixture.digests(fixture.tree)
        #expect(try CLI.run(["adopt", fixture.tree.path, "--layout", "typed-folders-legacy"]).status == 0)
        let verify = try fixture.cairn("ckpt", "verify", "checkpoints")
        #expect(verify.status == 0, "\(verify.stderr)")
        let dry = try fixture.cairn("migrate", "--to", "typed-folders", "--dry-run")
        #expect(dry.status == 0 && dry.stdout.contains("checkpoints/best_model/model.pth -> checkpoints/vision/best_model/model.pth"))
        #expect(try AdoptFixture.digests(fixture.tree) == before)

        let shaBefore = try Self.folderDigests(fixture, "checkpoints")
        let result = try fixture.cairn("migrate", "--to", "typed-folders")
        try #require(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Migrated to typed-folders: 36 files moved"))
        // The folder checkpoints moved whole, so their verified sha256 came with them.
        let shaAfter = try Self.folderDigests(fixture, "vision").merging(try Self.folderDigests(fixture, "memory")) { a, _ in a }
        #expect(shaBefore.count == 6 && !shaBefore.values.contains(""))
        #expect(shaAfter == shaBefore)
        // Exactly the documented tree's checkpoint folders, byte for byte (it also has a README the legacy lacks).
        var documented = try AdoptFixture.digests(PackagePaths.shared.appendingPathComponent("fixtures/layouts/example/typed-folders"))
        documented["checkpoints/README.md"] = nil
        let after = try AdoptFixture.digests(fixture.tree)
        #expect(after == documented)
        #expect(Set(after.values) == Set(before.values))
        #expect(!FileManager.default.fileExists(atPath: fixture.tree.appendingPathComponent("checkpoints/best_model").path))

        // The store follows: two experiments, best of vision is its best_model folder, hashes carried over.
        let runs = try #require(try fixture.json("run", "ls") as? [[String: Any]])
        #expect(Set(runs.compactMap { $0["experiment"] as? String }) == ["vision", "memory"])
        #expect(try fixture.cairn("ckpt", "best", "vision").stdout == fixture.tree.path + "/checkpoints/vision/best_model\n")
        #expect(try fixture.cairn("ckpt", "verify", "vision").status == 0)
        let yaml = try String(contentsOf: fixture.tree.appendingPathComponent("cairn.yaml"), encoding: .utf8)
        #expect(yaml.contains("layout: typed-folders"))

        // Running it again does nothing.
        let again = try fixture.cairn("migrate", "--to", "typed-folders")
        #expect(again.status == 0 && again.stdout.contains("Nothing to move"))
        #expect(try AdoptFixture.digests(fixture.tree) == after)
    }

    /// Each folder checkpoint's sha256 in `ckpt ls`, by the folder's name.
    private static func folderDigests(_ fixture: AdoptFixture, _ run: String) throws -> [String: String] {
        let entries = try #require(try fixture.json("ckpt", "ls", run) as? [[String: Any]])
        var out: [String: String] = [:]
        for entry in entries where entry["kind"] as? String == "folder" {
            out[URL(fileURLWithPath: entry["path"] as? String ?? "").lastPathComponent] = entry["sha256"] as? String ?? ""
        }
        return out
    }

    @Test func mapsFieldsBetweenConventions() throws {
        let fixture = try AdoptFixture("prompt-tree")
        #expect(try CLI.run(["adopt", fixture.tree.path]).status == 0)
        let before = try AdoptFixture.digests(fixture.tree)
        // model-type-experiments has no place for val/train prompt ids: two runs would collide.
        let collide = try fixture.cairn("migrate", "--to", "model-type-experiments", "--map", "exp_tag=name")
        #expect(collide.status != 0)
        // One line per cause on stderr, with an example, not one line per file.
        #expect(collide.stderr.contains("would both become"), "\(collide.stderr)")
        #expect(collide.stderr.split(separator: "\n").last?.contains("nothing moved") == true)
        #expect(collide.stderr.split(separator: "\n").count <= 3, "\(collide.stderr)")
        #expect(try AdoptFixture.digests(fixture.tree) == before)
        let bad = try fixture.cairn("migrate", "--to", "model-type-experiments", "--map", "exp_tag")
        #expect(bad.status != 0 && bad.stderr.split(separator: "\n").count == 1)
    }

    @Test func readOnlyTargetFailsBeforeAnyChange() throws {
        let fixture = try AdoptFixture("typed-folders-legacy")
        #expect(try CLI.run(["adopt", fixture.tree.path]).status == 0)
        let before = TreeSnapshot(fixture.tree)
        let result = try CLI.runUnprivileged(["migrate", "--to", "typed-folders", "--store", fixture.tree.path])
        #expect(result.status != 0)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(TreeSnapshot(fixture.tree) == before)
    }

    /// A migration killed midway and rolled back: the sha256 that `ckpt verify` recorded come back with
    /// the checkpoints, and a migration after it still carries them.
    @Test func verifiedSHA256SurviveARollback() throws {
        let fixture = try AdoptFixture("typed-folders-legacy")
        #expect(try CLI.run(["adopt", fixture.tree.path, "--layout", "typed-folders-legacy"]).status == 0)
        #expect(try fixture.cairn("ckpt", "verify", "checkpoints").status == 0)
        let shaBefore = try Self.folderDigests(fixture, "checkpoints")
        #expect(shaBefore.count == 6 && !shaBefore.values.contains(""))
        let killed = try CLI.run(["migrate", "--to", "typed-folders", "--store", fixture.tree.path],
                                 environment: ["CAIRN_FAULT": "migrate-after-move"])
        #expect(killed.status != 0)
        let rollback = try fixture.cairn("migrate", "--rollback")
        #expect(rollback.status == 0, "\(rollback.stderr)")
        #expect(try Self.folderDigests(fixture, "checkpoints") == shaBefore)
        #expect(try fixture.cairn("ckpt", "verify", "checkpoints").status == 0)

        // Finished afterwards, the same hashes arrive in the new layout.
        #expect(try fixture.cairn("migrate", "--to", "typed-folders").status == 0)
        let moved = try Self.folderDigests(fixture, "vision").merging(try Self.folderDigests(fixture, "memory")) { a, _ in a }
        #expect(moved == shaBefore)
    }

    /// What killed writers left in the store's folder and in `.cairn/` (a half-written cairn.yaml or
    /// journal) is removed when the migration is resumed; a temporary of a live process is kept.
    @Test func resumeRemovesWhatKilledWritersLeft() throws {
        let fixture = try AdoptFixture("typed-folders-legacy")
        #expect(try CLI.run(["adopt", fixture.tree.path]).status == 0)
        let original = try AdoptFixture.digests(fixture.tree)
        let killed = try CLI.run(["migrate", "--to", "typed-folders", "--store", fixture.tree.path],
                                 environment: ["CAIRN_FAULT": "migrate-after-move"])
        #expect(killed.status != 0)
        let journal = fixture.tree.appendingPathComponent(".cairn/migration.json")
        #expect(FileManager.default.fileExists(atPath: journal.path))
        let gone = try TestProcess.run("/bin/sh", ["-c", "echo $$"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let abandoned = [".cairn-tmp-cairn.yaml-\(gone)-x1", ".cairn/.cairn-tmp-migration.json-\(gone)-x2"]
        let live = ".cairn-tmp-cairn.yaml-\(getpid())-x3"
        for path in abandoned + [live] {
            try Data("half".utf8).write(to: fixture.tree.appendingPathComponent(path))
        }
        let resumed = try fixture.cairn("migrate", "--resume")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        for path in abandoned { #expect(!FileManager.default.fileExists(atPath: fixture.tree.appendingPathComponent(path).path), "\(path)") }
        #expect(FileManager.default.fileExists(atPath: fixture.tree.appendingPathComponent(live).path))
        try FileManager.default.removeItem(at: fixture.tree.appendingPathComponent(live))
        #expect(try AdoptFixture.digests(fixture.tree).values.sorted() == original.values.sorted())
        #expect(!FileManager.default.fileExists(atPath: journal.path))
    }

    /// A migration killed while it wrote its journal leaves only the journal's temporary: the next
    /// migration removes it, even one with nothing to move.
    @Test func aJournalsTemporaryIsRemovedByTheNextMigration() throws {
        let fixture = try AdoptFixture("prompt-tree")
        #expect(try CLI.run(["adopt", fixture.tree.path, "--layout", "prompt-tree"]).status == 0)
        let gone = try TestProcess.run("/bin/sh", ["-c", "echo $$"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let temporary = fixture.tree.appendingPathComponent(".cairn/.cairn-tmp-migration.json-\(gone)-x1")
        try Data("{\"half".utf8).write(to: temporary)
        let same = try fixture.cairn("migrate", "--to", "prompt-tree")
        #expect(same.status == 0, "\(same.stderr)")
        #expect(!FileManager.default.fileExists(atPath: temporary.path))
    }

    /// A migration killed with SIGKILL at random moments, resumed (or rolled back) each time: every file
    /// ends exactly once with its original content, and no journal is left.
    @Test func killedMigrationsAreFinishedOrUndone() throws {
        var random = SeededGenerator(seed: 0x5EED_0003)
        var kills = 0, interrupted = 0
        var window = 60_000   // microseconds: kills land at a random moment within it
        var round = 0
        while round < 20 || (kills < 50 && round < 80) {
            defer { round += 1 }
            let fixture = try AdoptFixture("typed-folders-legacy")
            // More files, so that kills land in the middle of the moves.
            for n in 1...60 {
                let folder = fixture.tree.appendingPathComponent("checkpoints/memory_model_checkpoint_\(100 + n)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                for name in ["model.pth", "optimizer.pth", "config.json"] {
                    try Data("\(n)-\(name)-\(round)".utf8).write(to: folder.appendingPathComponent(name))
                }
            }
            #expect(try CLI.run(["adopt", fixture.tree.path]).status == 0)
            let original = try AdoptFixture.digests(fixture.tree)
            let journal = fixture.tree.appendingPathComponent(".cairn/migration.json").path
            for attempt in 0..<4 {
                let process = try SpawnedProcess(PackagePaths.cairnBinary, ["migrate", "--to", "typed-folders", "--store", fixture.tree.path])
                if (round + attempt) % 2 == 0 {
                    usleep(UInt32(random.next() % UInt64(window)))
                } else {
                    // Half the kills wait for the journal, then land a random moment into the moves, so
                    // that a loaded machine (slow start-up) still sees kills inside the migration.
                    let start = Date()
                    while !FileManager.default.fileExists(atPath: journal) && !process.hasEnded && Date().timeIntervalSince(start) < 10 {
                        usleep(200)
                    }
                    usleep(UInt32(random.next() % 15_000))
                }
                process.signal(SIGKILL)
                process.wait()
                kills += 1
                let journaled = FileManager.default.fileExists(atPath: fixture.tree.appendingPathComponent(".cairn/migration.json").path)
                // Keep the kills landing inside the migration whatever the machine's load: a kill after
                // the end shrinks the window, one before the journal widens it.
                if journaled { break }
                if attempt % 2 != round % 2 { continue }
                if process.exitCode == 0 { window = max(2_000, window * 2 / 3) } else { window = min(2_000_000, window * 3 / 2) }
            }
            let wasInterrupted = FileManager.default.fileExists(atPath: fixture.tree.appendingPathComponent(".cairn/migration.json").path)
            if wasInterrupted { interrupted += 1 }
            let rollback = round % 4 == 3
            let finish = try fixture.cairn("migrate", rollback ? "--rollback" : "--resume")
            #expect(finish.status == 0, "round \(round): \(finish.stderr)")
            let after = try AdoptFixture.digests(fixture.tree)
            #expect(after.count == original.count, "round \(round): \(after.count) files, expected \(original.count)")
            #expect(after.values.sorted() == original.values.sorted(), "round \(round): contents differ")
            if rollback && wasInterrupted { #expect(after == original, "round \(round): rollback did not restore every path") }
            #expect(!FileManager.default.fileExists(atPath: fixture.tree.appendingPathComponent(".cairn/migration.json").path))
            let leftovers = try TestProcess.run("/usr/bin/find", [fixture.tree.path, "-name", ".cairn-tmp-*"])
            #expect(leftovers.stdout.isEmpty, "round \(round): \(leftovers.stdout)")
            #expect(try fixture.cairn("run", "ls").status == 0)
            // Finished or not, migrating to the final layout again is a no-op or completes cleanly.
            let next = try fixture.cairn("migrate", "--to", "typed-folders")
            #expect(next.status == 0, "round \(round): \(next.stderr)")
            #expect(try AdoptFixture.digests(fixture.tree).values.sorted() == original.values.sorted())
        }
        #expect(kills >= 50)
        #expect(interrupted >= 10, "only \(interrupted) kills landed inside a migration")
    }
}
