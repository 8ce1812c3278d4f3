import Foundation
import Testing
@testable import CairnKit
import CairnCore
import CairnFormats
import CairnTestSupport

/// Live TensorBoard event files: written on each flush, shared by every logger of the run, torn tails
/// cut, damaged files left alone.
@Suite struct MetricLoggerLiveEventsTests {
    func makeRun() throws -> (TemporaryDirectory, Store, Run) {
        let directory = try TemporaryDirectory("cairn-live-events")
        let store = try Store.initialize(at: directory.path + "/store")
        let run = try store.createRun(RunRequest(experiment: try ExperimentName("m/live"), captureGit: false))
        return (directory, store, run)
    }

    func scalars(_ path: String) throws -> EventFileScalars {
        EventFileReader.read(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    @Test func eachFlushAppendsToOneFileThatOtherLoggersShare() throws {
        let (directory, store, run) = try makeRun()
        defer { withExtendedLifetime(directory) {} }
        let logger = try MetricLogger(store: store, run: run, tensorBoard: true)
        #expect(try store.liveTensorBoardEnabled(run))
        try logger.log("loss", 0.5, step: 1, epoch: 1)
        try logger.log("acc", .nan, step: 1, split: "eval")
        try logger.flush()
        let path = try store.liveEventFilePath(of: run, n: 0)
        #expect(path.hasPrefix(run.absoluteFolder + "/events/events.out.tfevents."))
        var read = try scalars(path)
        #expect(read.fileVersion == "brain.Event:2" && read.damage == nil)
        #expect(read.tags == ["eval/acc", "train/loss"])
        // Another logger (as another process would) follows the run's tag and appends to the same file.
        let other = MetricLogger(store: store, run: run)
        try other.log("loss", 0.25, step: 2)
        try other.close()
        try logger.log("loss", 0.125, step: 3)
        try logger.close()
        read = try scalars(path)
        #expect(read.scalars["train/loss"]?.map(\.step) == [1, 2, 3])
        #expect(read.scalars["train/loss"]?.map(\.value) == [0.5, 0.25, 0.125])
        #expect(read.scalars["eval/acc"]?.first?.value.isNaN == true)
        #expect(!FileManager.default.fileExists(atPath: try store.liveEventFilePath(of: run, n: 1)))
        // The CSV has every point too.
        #expect(try store.metrics(of: run, split: "train").map(\.step) == [1, 2, 3])
    }

    @Test func aLoggerWithoutTheRunsTagWritesNoEventFile() throws {
        let (directory, store, run) = try makeRun()
        defer { withExtendedLifetime(directory) {} }
        let logger = MetricLogger(store: store, run: run)
        try logger.log("loss", 1, step: 1)
        try logger.close()
        #expect(!FileManager.default.fileExists(atPath: run.absoluteFolder + "/events"))
    }

    @Test func aTornTailIsCutAndADamagedFileIsLeftForTheNext() throws {
        let (directory, store, run) = try makeRun()
        defer { withExtendedLifetime(directory) {} }
        let first = try MetricLogger(store: store, run: run, tensorBoard: true)
        try first.log("loss", 1, step: 1)
        try first.close()
        let path = try store.liveEventFilePath(of: run, n: 0)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        // A crash mid-append: the first 20 bytes of a record at the end.
        let records = TFRecordReader.records(in: Array(good)).records
        let second = records[1].lowerBound - 12
        var torn = good
        torn.append(good[second..<second + 20])
        try torn.write(to: URL(fileURLWithPath: path))
        let repairer = MetricLogger(store: store, run: run)
        try repairer.log("loss", 2, step: 2)
        try repairer.close()
        var read = try scalars(path)
        #expect(read.damage == nil)
        #expect(read.scalars["train/loss"]?.map(\.step) == [1, 2])

        // A flipped byte inside a record is damage, not a torn tail: the file is kept as it is and
        // the next append starts file n = 1.
        var damaged = try Data(contentsOf: URL(fileURLWithPath: path))
        damaged[damaged.count - 10] ^= 0xFF
        try damaged.write(to: URL(fileURLWithPath: path))
        let third = MetricLogger(store: store, run: run)
        try third.log("loss", 3, step: 3)
        try third.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == damaged)
        let next = try store.liveEventFilePath(of: run, n: 1)
        read = try scalars(next)
        #expect(read.fileVersion == "brain.Event:2" && read.damage == nil)
        #expect(read.scalars["train/loss"]?.map(\.step) == [3])
        // Later loggers continue with the newest file of the series.
        let fourth = MetricLogger(store: store, run: run)
        try fourth.log("loss", 4, step: 4)
        try fourth.close()
        #expect(try scalars(next).scalars["train/loss"]?.map(\.step) == [3, 4])
    }

    @Test func exportRefusesWhileLiveThenReplacesTheSeriesWithOneFile() throws {
        let (directory, store, run) = try makeRun()
        defer { withExtendedLifetime(directory) {} }
        let logger = try MetricLogger(store: store, run: run, tensorBoard: true)
        try logger.log("loss", 1, step: 1)
        try logger.close()
        let live = try store.liveEventFilePath(of: run, n: 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: live))
        let error = try #require(throws: CairnError.self) { try store.exportTensorBoard(run) }
        #expect(error.kind == .busy && error.message.contains("is RUNNING and its live event file"), "\(error)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: live)) == before)
        // A second file of the series (as after damage) and a point only in the CSV.
        let next = try store.liveEventFilePath(of: run, n: 1)
        try Data(before).write(to: URL(fileURLWithPath: next))
        try store.setTags([Store.liveTensorBoardTag: "off"], on: run.location)
        let plain = MetricLogger(store: store, run: run)
        try plain.log("loss", 2, step: 2)
        try plain.close()
        let ended = try store.endRun(run, status: .finished)
        let exported = try store.exportTensorBoard(ended)
        #expect(exported.path == live)
        #expect(!FileManager.default.fileExists(atPath: next))
        #expect(try scalars(live).scalars["train/loss"]?.map(\.step) == [1, 2])
        // Again: the same file, the same points.
        #expect(try store.exportTensorBoard(ended).path == live)
        #expect(try scalars(live).scalars["train/loss"]?.map(\.step) == [1, 2])
    }

    @Test func wideCSVsAreNotAppendedTo() throws {
        let (directory, store, run) = try makeRun()
        defer { withExtendedLifetime(directory) {} }
        let path = try store.metricsPath(of: run, split: "train")
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let wide = "step,epoch,loss,lr\n10,0,0.88,5e-05\n20,0,0.73,5e-05\n"
        try wide.write(toFile: path, atomically: true, encoding: .utf8)
        let logger = MetricLogger(store: store, run: run)
        try logger.log("loss", 1, step: 30)
        let error = try #require(throws: CairnError.self) { try logger.close() }
        #expect(error.message.contains("not a long-form metrics CSV") && error.message.contains("step,epoch,loss,lr"), "\(error)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == wide)
        #expect(try store.metrics(of: run, split: "train").count == 4)
    }
}
