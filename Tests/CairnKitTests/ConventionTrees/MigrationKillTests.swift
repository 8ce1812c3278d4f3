#if canImport(Glibc)
import Glibc
#endif
import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// `cairn migrate --to cairn` killed with SIGKILL at a random moment, on generated convention trees
/// (two per convention): resumed, or rolled back, the tree is whole. A rollback gives the tree back as
/// it was; a resumed migration then migrated back does too; no temporary is left. More trees (outside CI):
/// `bash benchmarks/migration_kill_stress.sh 200`.
@Suite("Migration of generated trees: killed")
struct MigrationKillTests {
    static var trees: Int { Int(ProcessInfo.processInfo.environment["CAIRN_MIGRATION_KILL_TREES"] ?? "") ?? 10 }

    @Test func killedMigrationsOfGeneratedTreesResumeOrRollBack() throws {
        var random = SeededGenerator(seed: 0x5EED_0013)
        var window = 30_000   // microseconds: kills land at a random moment within it
        var interrupted = 0
        for index in 0..<Self.trees {
            let layouts = ConventionTreeGenerator.layouts
            let tree = ConventionTreeGenerator.make(layouts[index % layouts.count], seed: UInt64(index) &* 0x9E37_79B9 &+ 0x13)
            let directory = try TemporaryDirectory("cairn-migrate-kill")
            let root = directory.appending("tree").path
            try tree.write(to: root)
            let before = TreeContents(root)
            _ = try Store.adopt(AdoptRequest(tree: root, layout: tree.layout))
            let moves = try Store.open(at: root).planMigration(to: "cairn", mapping: FieldMapping()).moves.count
            if index % 2 == 0 || moves == 0 {
                // SIGKILL from outside at a random moment.
                let process = try SpawnedProcess(PackagePaths.cairnBinary, ["migrate", "--to", "cairn", "--store", root])
                usleep(UInt32(random.next() % UInt64(window)))
                process.signal(SIGKILL)
                process.wait()
                // Keep the kills landing inside the migration whatever the machine's load.
                if try !Store.open(at: root).hasUnfinishedMigration {
                    window = process.exitCode == 0 ? max(2_000, window * 2 / 3) : min(1_000_000, window * 3 / 2)
                }
            } else {
                // The process kills itself after a random move, or after its last one (before it records the tree).
                let point = index % 4 == 1 ? "migrate-after-move@\(1 + Int(random.next() % UInt64(moves)))" : "migrate-before-record"
                let killed = try CLI.run(["migrate", "--to", "cairn", "--store", root], environment: ["CAIRN_FAULT": point])
                #expect(killed.status != 0, "\(tree): \(point) did not stop the migration")
            }
            let store = try Store.open(at: root)
            let unfinished = store.hasUnfinishedMigration
            if unfinished { interrupted += 1 }
            let middle = TreeContents(root)
            // A file caught between its link and its unlink is in both places: compare what is there.
            #expect(Set(middle.fileBytes) == Set(before.fileBytes), "\(tree): a file's bytes were lost or changed by the kill")
            if unfinished && index % 2 == 1 {
                _ = try store.rollbackMigration()
                #expect(TreeContents(root).entries == before.entries, "\(tree): not as before after the rollback: \(TreeContents(root).difference(before))")
            } else {
                if unfinished { _ = try store.resumeMigration() }
                #expect(try !Store.open(at: root).hasUnfinishedMigration)
                let back = try Store.open(at: root).migrate(to: tree.layout, mapping: FieldMapping(), dryRun: false)
                #expect(back.plan.problems.isEmpty, "\(tree): \(back.plan.problemGroups.map(\.cause))")
                #expect(TreeContents(root).entries == before.entries, "\(tree): not as before after resuming and migrating back: \(TreeContents(root).difference(before))")
            }
            let leftovers = try TestProcess.run("/usr/bin/find", [root, "-name", ".cairn-tmp-*"])
            #expect(leftovers.stdout.isEmpty, "\(tree): \(leftovers.stdout)")
        }
        #expect(interrupted >= Self.trees / 2, "only \(interrupted) of \(Self.trees) kills landed inside a migration")
    }
}
