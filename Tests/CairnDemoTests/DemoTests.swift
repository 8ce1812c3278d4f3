import CairnCore
import CairnDemo
import CairnKit
import Foundation
import Testing

@Suite("Demo")
struct DemoTests {
    @Test func theDemoTrainsThreeFinishedRuns() throws {
        let fixture = try DemoStoreFixture()
        var started: [String] = []
        var epochs = 0
        var ended = 0
        let report = try Demo.run(in: fixture.store) { event in
            switch event {
            case .runStarted(_, let setting): started.append(setting.name)
            case .epoch: epochs += 1
            case .runEnded: ended += 1
            }
        }
        let runs = report.runs.map(\.run)
        #expect(runs.count == 3)
        #expect(started == ["narrow", "wide", "wide-hot"])
        #expect(epochs == DemoSettings.standard.map(\.epochs).reduce(0, +))
        #expect(ended == 3)
        #expect(runs.map(\.record.name) == ["narrow", "wide", "wide-hot"])

        let experiment = try fixture.store.experiment(named: ExperimentName(Demo.experimentName))
        let listed = try fixture.store.runs(in: experiment)
        #expect(listed.count == 3)
        var accuracy: [String: Double] = [:]
        for summary in listed {
            #expect(summary.run.record.status == .finished)
            #expect(summary.liveness == .ended)
            let tags = try fixture.store.tags(of: summary.run)
            #expect(tags["source"] == "cairn demo")
            let value = try #require(tags["result.val_accuracy"].flatMap(Double.init), "\(tags)")
            #expect((0...1).contains(value))
            accuracy[summary.run.record.name ?? ""] = value
            // The config and its params were recorded.
            #expect(try fixture.store.params(of: summary.run)["training.epochs"] == "30")
            #expect(FileManager.default.fileExists(atPath: summary.run.absoluteFolder + "/config.yaml"))
            // One log line per epoch.
            let log = try String(contentsOfFile: try fixture.store.runFilePath(summary.run, .log), encoding: .utf8)
            #expect(log.split(separator: "\n").count == 30)
        }
        let wide = try #require(accuracy["wide"])
        #expect(wide >= 0.85)
        #expect(wide > (accuracy["narrow"] ?? 1))
    }

    @Test func theDataSetAndModelAreDeterministic() {
        let a = SpiralDataset(pointsPerClass: 50, classes: 3, noise: 0.1, seed: 3)
        let b = SpiralDataset(pointsPerClass: 50, classes: 3, noise: 0.1, seed: 3)
        #expect(a.features == b.features && a.labels == b.labels)
        #expect(a.count == 150)
        let (train, validation) = a.split(validationFraction: 0.2, seed: 1)
        #expect(train.count == 120 && validation.count == 30)
        #expect(Set(train.labels + validation.labels) == [0, 1, 2])
        let model = TinyMLP(inputs: 2, hidden: 8, outputs: 3, seed: 1)
        #expect(model.parameterCount == 2 * 8 + 8 + 8 * 3 + 3)
        #expect(model.evaluate(validation) == TinyMLP(inputs: 2, hidden: 8, outputs: 3, seed: 1).evaluate(validation))
    }
}
