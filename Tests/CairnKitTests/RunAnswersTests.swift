import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// Runs, params and metrics as Cairn answers them.
@Suite struct RunAnswersTests {
    @Test func paramsKeepTheirTextAndTheConfigsType() throws {
        let fixture = try StoreFixture()
        let config: ConfigValue = .mapping(["training": .mapping(["lr": 3e-4, "name": "yes", "sizes": [64, 128]])])
        let run = try fixture.store.createRun(try .plain("exp", config: config))
        try fixture.store.setParams(["batch": "64", "flag": "yes", "list": "[1, 2]"], on: run.location)
        let params = try fixture.store.typedParams(of: run)
        #expect(params["training.lr"]?.value == .float(3e-4))
        #expect(params["training.name"]?.value == .string("yes"), "a quoted string in the config stays a string")
        #expect(params["training.sizes"]?.value == [64, 128])
        #expect(params["batch"] == CairnAPI.Param(value: .int(64), text: "64"))
        #expect(params["flag"]?.value == .bool(true) && params["list"]?.value == [1, 2])
        let details = try fixture.store.details(of: run)
        #expect(details.run == fixture.store.info(of: run) && details.tags.isEmpty)
    }

    @Test func runsListedAndDescribed() throws {
        let fixture = try StoreFixture()
        let first = try fixture.store.createRun(try .plain("a"))
        let second = try fixture.store.createRun(try .plain("b", name: "two"))
        let ended = try fixture.store.endRun(first.location, status: .finished)
        let runs = try fixture.store.listRuns()
        #expect(runs.map(\.id) == [first.id, second.id])
        #expect(runs[0].status == .finished && runs[0].liveness == .ended && runs[0].durationSeconds == ended.record.durationSeconds)
        #expect(runs[1].name == "two" && runs[1].liveness == .alive && runs[1].folder == second.absoluteFolder)
        let experiments = try fixture.store.listExperiments()
        #expect(experiments.map(\.name.description) == ["a", "b"] && experiments.map(\.runs) == [1, 1])
        #expect(fixture.store.info.root == fixture.store.root && fixture.store.info.format == "1.1")
    }

    @Test func metricSummariesHistoriesAndCSV() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("exp"))
        let logged = try fixture.store.logMetrics([Assignment(key: "loss", value: "0.5"), Assignment(key: "acc", value: "nan")],
                                                  to: run, step: 1, epoch: 0, split: "train", liveTensorBoard: false)
        #expect(logged.points == 2 && !logged.liveTensorBoard)
        _ = try fixture.store.logMetrics([Assignment(key: "loss", value: "0.25")], to: run, step: 2, epoch: nil, split: "eval",
                                         liveTensorBoard: false)
        Expect.error(.invalidValue) {
            try fixture.store.logMetrics([Assignment(key: "loss", value: "fast")], to: run, step: 3, epoch: nil, split: "train", liveTensorBoard: false)
        }
        let summaries = try fixture.store.metricSummaries(of: run)
        #expect(summaries.map { "\($0.split)/\($0.key)" } == ["eval/loss", "train/acc", "train/loss"])
        #expect(summaries[1].last.isNaN && summaries[1].min == nil)
        #expect(try fixture.store.metricSummaries(of: run, split: "eval").count == 1)
        let history = try fixture.store.metricHistory(of: run, key: "loss")
        #expect(history.map(\.value) == [0.25, 0.5] && history.allSatisfy { $0.time != nil })
        let csv = try fixture.store.metricHistoryCSV(of: run, key: "loss", split: "train")
        #expect(csv.hasPrefix("time,step,epoch,key,value\n") && csv.hasSuffix(",1,0,loss,0.5\n"), "\(csv)")
    }
}

/// A config edited by hand into something unreadable does not hide a run's params.
@Suite struct TypedParamsFallbackTests {
    @Test func anUnreadableConfigIsAWarningAndTheParamsStayText() throws {
        let records = LogRecords()
        let directory = try TemporaryDirectory("cairn-kit")
        let store = try Store.initialize(at: directory.appending("store").path, logger: records.logger)
        let run = try store.createRun(try .plain("exp", config: .mapping(["lr": 0.5])))
        try Disk.write("lr: [0.5\n", to: try store.runFilePath(run, .config))
        let params = try store.typedParams(of: run)
        #expect(params["lr"] == CairnAPI.Param(value: .float(0.5), text: "0.5"))
        #expect(records.warnings.contains { $0.message.contains("cannot read the config of run \(run.id)") }, "\(records.all)")
    }
}
