import Foundation
import Testing
@testable import CairnKit
import CairnCore
import CairnFormats
import CairnTestSupport

@Suite struct MetricLoggerTests {
    func makeRun() throws -> (TemporaryDirectory, Store, Run) {
        let directory = try TemporaryDirectory("cairn-metrics")
        let store = try Store.initialize(at: directory.path + "/store")
        let run = try store.createRun(RunRequest(experiment: try ExperimentName("m/x"), captureGit: false))
        return (directory, store, run)
    }

    @Test func logsLongFormCSVPerSplitWithNonFiniteValues() throws {
        let (directory, store, run) = try makeRun()
        defer { withExtendedLifetime(directory) {} }
        let logger = MetricLogger(store: store, run: run)
        try logger.log("loss", 0.5, step: 1, epoch: 1)
        try logger.log("loss", .nan, step: 2, epoch: 1)
        try logger.log("loss", -.infinity, step: 3, epoch: 2)
        try logger.log("acc", 0.75, step: 3, epoch: 2, split: "eval")
        try logger.close()
        let train = try store.metrics(of: run, split: "train")
        #expect(train.map(\.step) == [1, 2, 3])
        #expect(train[1].value.isNaN && train[2].value == -.infinity)
        let text = try String(contentsOfFile: try store.metricsPath(of: run, split: "train"), encoding: .utf8)
        #expect(text.hasPrefix("time,step,epoch,key,value\n"))
        #expect(try store.metrics(of: run, split: "eval").map(\.key) == ["acc"])
        #expect(try store.metricSplits(of: run) == ["eval", "train"])
    }

    /// A logger's appends to a file this process has read go into the index's summaries without being
    /// read back, and the summaries are those of the whole file.
    @Test func appendsToAFileTheIndexReadAreTakenInWithoutReadingThem() throws {
        let (directory, store, run) = try makeRun()
        defer { withExtendedLifetime(directory) {} }
        let logger = MetricLogger(store: store, run: run)
        try logger.log("loss", 0.5, step: 1)
        try logger.log("acc", 0.25, step: 1)
        try logger.flush()
        let path = try store.metricsPath(of: run, split: "train")
        _ = try MetricSummaryCache.shared.summaries(at: path)  // what indexing the run does
        #expect(MetricSummaryCache.shared.isTracking(path))
        let noted = MetricSummaryCache.shared.notedAppends
        for step in 2..<50 {
            try logger.log("loss", step % 7 == 0 ? .nan : 1 / Double(step), step: Int64(step))
            try logger.log("acc", Double(step) / 100, step: Int64(step))
            try logger.log("lr", -0.0, step: Int64(step))
            try logger.flush()
        }
        #expect(MetricSummaryCache.shared.notedAppends >= noted + 48)
        let whole = MetricSummary.summaries(of: try store.metrics(of: run, split: "train"))
        let kept = try MetricSummaryCache.shared.summaries(at: path).summaries
        #expect(kept.keys.sorted() == whole.keys.sorted())
        for (key, summary) in whole {
            let other = try #require(kept[key])
            #expect(other.count == summary.count && other.lastStep == summary.lastStep && other.min == summary.min
                    && other.max == summary.max && other.maxStep == summary.maxStep && other.highestStep == summary.highestStep, "\(key)")
        }
        try logger.close()
    }

    @Test func manyThreadsLoseNothing() throws {
        let (directory, store, run) = try makeRun()
        defer { withExtendedLifetime(directory) {} }
        let logger = MetricLogger(store: store, run: run)
        logger.flushCount = 1_000
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for i in 0..<20_000 { try? logger.log("t\(thread)", Double(i), step: Int64(i)) }
        }
        try logger.close()
        let points = try store.metrics(of: run, split: "train")
        #expect(points.count == 160_000)
        for thread in 0..<8 {
            #expect(points.filter { $0.key == "t\(thread)" }.map(\.step).sorted() == (0..<20_000).map(Int64.init))
        }
    }

    @Test func tornLastLineIsCutBeforeTheNextAppend() throws {
        let (directory, store, run) = try makeRun()
        defer { withExtendedLifetime(directory) {} }
        let logger = MetricLogger(store: store, run: run)
        try logger.log("loss", 1, step: 1)
        try logger.close()
        let path = try store.metricsPath(of: run, split: "train")
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("1795411751.9,2,,lo".utf8))  // a crash mid-append
        try handle.close()
        #expect(try store.metrics(of: run, split: "train").count == 1)  // readers skip it
        try logger.log("loss", 3, step: 3)
        try logger.close()
        #expect(try store.metrics(of: run, split: "train").map(\.step) == [1, 3])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains(",lo\n") && text.hasSuffix("\n"))
    }

    @Test(arguments: ["../x", "a/b", "", "..", "e\u{1}v"])
    func badSplitNamesAreRefused(_ split: String) throws {
        let (directory, store, run) = try makeRun()
        defer { withExtendedLifetime(directory) {} }
        let logger = MetricLogger(store: store, run: run)
        #expect(throws: CairnError.self) { try logger.log("loss", 1, step: 1, split: split) }
        try logger.close()
        #expect(!FileManager.default.fileExists(atPath: run.absoluteFolder + "/metrics"))
    }
}
