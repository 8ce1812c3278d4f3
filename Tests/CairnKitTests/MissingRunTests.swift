import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite("Runs: folders deleted by hand")
struct MissingRunTests {
    private static func runs(_ count: Int, in f: StoreFixture, experiment: String = "vision/resnet") throws -> [Run] {
        try (0..<count).map { _ in try f.store.createRun(try .plain(experiment)) }
    }

    @Test func aListingSkipsMissingRunFoldersAndNamesThemInOneWarning() throws {
        let records = LogRecords()
        let f = try StoreFixture(logger: records.logger)
        let runs = try Self.runs(4, in: f)
        for gone in [runs[1], runs[2]] { try FileManager.default.removeItem(atPath: gone.absoluteFolder) }

        #expect(try f.store.runs().map(\.run.id) == [runs[0].id, runs[3].id])
        #expect(try f.store.listRuns().map(\.id) == [runs[0].id, runs[3].id])
        let warnings = records.warnings
        #expect(warnings.count == 2)  // one per listing, each naming both runs
        for warning in warnings {
            #expect(warning.message.contains("2 run folders are missing"), "\(warning.message)")
            #expect(warning.message.contains(runs[1].id.value) && warning.message.contains(runs[2].id.value))
            #expect(warning.message.contains("cairn doctor --fix"))
        }
        // A missing run named by its id says what happened.
        let error = Expect.error(.notFound) { try f.store.run(.text(runs[1].id.value)) }
        #expect(error?.message.contains("is gone") == true, "\(String(describing: error))")
    }

    @Test func latestFallsBackToTheNewestRunThatExists() throws {
        let records = LogRecords()
        let f = try StoreFixture(logger: records.logger)
        let runs = try Self.runs(3, in: f)
        let experiment = try f.store.experiment(named: try ExperimentName("vision/resnet"))
        #expect(try f.store.run(.text("latest"), in: experiment).id == runs[2].id)
        #expect(records.warnings.isEmpty)

        try FileManager.default.removeItem(atPath: runs[2].absoluteFolder)
        #expect(try f.store.run(.text("latest"), in: experiment).id == runs[1].id)
        #expect(records.warnings.count == 1)
        #expect(records.warnings.last?.message.contains(runs[2].id.value) == true)

        try FileManager.default.removeItem(atPath: runs[1].absoluteFolder)
        #expect(try f.store.run(.text("latest"), in: experiment).id == runs[0].id)
        try FileManager.default.removeItem(atPath: runs[0].absoluteFolder)
        Expect.error(.notFound) { try f.store.run(.text("latest"), in: experiment) }
    }

    @Test func doctorReportsMissingRunsAndFixRemovesThemOnce() throws {
        let records = LogRecords()
        let f = try StoreFixture(logger: records.logger)
        let runs = try Self.runs(3, in: f)
        let experiment = try f.store.experiment(named: try ExperimentName("vision/resnet"))
        try FileManager.default.removeItem(atPath: runs[2].absoluteFolder)
        let entry = f.store.registryPath(experiment.id, runs[2].id)
        let before = Disk.tree(f.root)

        let report = try f.store.doctor(fix: false)
        #expect(report.missingRunFolders.map(\.run) == [runs[2].id])
        #expect(report.missingRunFolders.first?.folder == runs[2].absoluteFolder)
        #expect(report.missingRunFolders.first?.fixed == false)
        #expect(!report.healthy && report.remaining == 1 && report.found == 1)
        #expect(Disk.tree(f.root) == before, "the doctor changes nothing without --fix")

        let fixed = try f.store.doctor(fix: true)
        #expect(fixed.missingRunFolders.first?.fixed == true)
        #expect(fixed.healthy && fixed.found == 1 && fixed.remaining == 0)
        #expect(!Disk.exists(entry))
        #expect(!Disk.exists(f.store.runMetaFolder(runs[2].id)))
        #expect(try Disk.text(f.store.latestPointerPath(experiment.id)) == runs[1].id.value + "\n")

        let again = try f.store.doctor(fix: true)
        #expect(again.found == 0 && again.healthy)
        let warned = records.warnings.count
        #expect(try f.store.runs().map(\.run.id) == [runs[0].id, runs[1].id])
        #expect(try f.store.run(.text("latest"), in: experiment).id == runs[1].id)
        #expect(records.warnings.count == warned, "nothing is missing any more")
    }

    @Test func doctorFixRefusesWhileAMigrationIsUnfinished() throws {
        let f = try StoreFixture()
        let runs = try Self.runs(1, in: f)
        try FileManager.default.removeItem(atPath: runs[0].absoluteFolder)
        try Disk.write("{}", to: f.store.migrationJournalPath)
        let before = Disk.tree(f.root)
        Expect.error(.conflict) { try f.store.doctor(fix: true) }
        #expect(Disk.tree(f.root) == before)
    }
}
