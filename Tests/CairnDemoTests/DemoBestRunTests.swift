import CairnCore
import CairnDemo
import CairnKit
import Foundation
import Testing

/// Which run the demo calls best: the lowest finite validation loss of the runs' best checkpoints.
@Suite("Demo best run")
struct DemoBestRunTests {
    /// Each run's best checkpoint's loss (nil: none), and the index of the run that should win.
    static let cases: [(losses: [Double?], best: Int?)] = [
        ([0.5, 0.2, 0.3], 1),
        // Of equal losses, the earlier run wins.
        ([0.4, 0.2, 0.2], 1),
        ([0.2, 0.2], 0),
        // A run without a best checkpoint never wins.
        ([nil, 0.9], 1),
        ([0.9, nil], 0),
        ([nil, nil], nil),
        // NaN never wins, wherever it is; nor does infinity.
        ([.nan, 0.9], 1),
        ([0.9, .nan], 0),
        ([.nan, .nan], nil),
        ([.infinity, 0.9, -.infinity], 1),
        ([], nil),
    ]

    @Test(arguments: cases)
    func theLowestFiniteLossWins(losses: [Double?], best: Int?) {
        #expect(DemoReport.bestRunIndex(bestValidationLosses: losses) == best)
    }

    @Test func theReportNamesTheRunWithTheLowestBestLossAndItsCheckpoints() throws {
        let fixture = try DemoStoreFixture()
        let settings = [DemoSettings(name: "tiny", hidden: 2, learningRate: 0.3, momentum: 0.9, epochs: 3, batchSize: 32, seed: 1),
                        DemoSettings(name: "small", hidden: 16, learningRate: 0.3, momentum: 0.9, epochs: 3, batchSize: 32, seed: 1)]
        let report = try Demo.run(in: fixture.store, settings: settings) { _ in }
        #expect(report.storeRoot == fixture.store.root)
        #expect(report.runs.map(\.setting) == settings)
        let losses = try report.runs.map { try #require($0.bestValidationLoss) }
        let winner = try #require(report.bestRun)
        #expect(winner.bestValidationLoss == losses.min())
        for result in report.runs {
            #expect(result.summary.run.record.status == .finished)
            let best = try #require(result.best), last = try #require(result.last)
            #expect(last.entry.epoch == 3)
            // The paths are absolute and are the ones the store's pointers name.
            let view = try RunCheckpoints.view(store: fixture.store, run: result.run)
            #expect(best.path == view.absolutePath(try #require(view.best)))
            #expect(last.path == view.absolutePath(try #require(view.last)))
            #expect(best.path.hasPrefix("/") && FileManager.default.fileExists(atPath: best.path))
        }
        #expect(report.legacyTree.mismatches == 0 && report.legacyTree.checked > 0)
        // The runs' metrics as a TensorBoard logdir: one adopted run per folder of event files, every point back.
        let logdir = try #require(report.logdir)
        #expect(logdir.adopted.layout == "tensorboard" && logdir.adopted.recognition.runs.count == report.runs.count)
        #expect(logdir.written > 0 && logdir.read == logdir.written && logdir.mismatches == 0, "\(logdir.read) of \(logdir.written), \(logdir.mismatches) differ")
        // The store is checked at the end, as `cairn doctor` checks it, and found healthy.
        #expect(report.health.healthy && !report.health.fix, "\(report.health)")
        #expect(report.health == (try fixture.store.doctor(fix: false)))
    }
}
