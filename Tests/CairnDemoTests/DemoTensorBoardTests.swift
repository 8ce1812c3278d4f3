import CairnCore
import CairnDemo
import CairnFormats
import CairnKit
import CairnTestSupport
import Foundation
import Testing

/// The demo writes each run's event file live, as it trains; the real tensorboard reads every epoch.
@Suite("Demo event files")
struct DemoTensorBoardTests {
    @Test func tensorboardReadsTheDemosLiveEventFiles() throws {
        let fixture = try DemoStoreFixture()
        let setting = DemoSettings(name: "short", hidden: 8, learningRate: 0.3, momentum: 0.9, epochs: 5, batchSize: 32, seed: 1)
        let report = try Demo.run(in: fixture.store, settings: [setting]) { _ in }
        let run = try #require(report.runs.first?.run)
        #expect(try fixture.store.liveTensorBoardEnabled(run))
        let events = run.absoluteFolder + "/events"
        let files = try FileManager.default.contentsOfDirectory(atPath: events)
        #expect(files == [URL(fileURLWithPath: try fixture.store.liveEventFilePath(of: run, n: 0)).lastPathComponent])
        let script = """
            import sys, json
            from tensorboard.backend.event_processing import event_accumulator as ea
            a = ea.EventAccumulator(sys.argv[1], size_guidance={'scalars': 0}); a.Reload()
            print(json.dumps({t: [[s.step, s.value] for s in a.Scalars(t)] for t in a.Tags()['scalars']}))
            """
        let read = try TestPython.run(script, [events])
        try #require(read.status == 0, "python: \(read.stderr)")
        let scalars = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: [[Double]]])
        #expect(Set(scalars.keys) == ["train/loss", "train/accuracy", "eval/loss", "eval/accuracy"])
        let csv = try fixture.store.metrics(of: run, split: "eval").filter { $0.key == "loss" }
        #expect(scalars["eval/loss"]?.map { Int64($0[0]) } == csv.map(\.step))
        #expect(scalars["eval/loss"]?.map { $0[1] } == csv.map { Double(Float($0.value)) })
        #expect(csv.count == 5)
    }
}
