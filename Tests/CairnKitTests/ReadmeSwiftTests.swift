import CairnCore
import CairnTestSupport
import Foundation
import Testing
import CairnKit

/// The README's "From Swift" example, as written there, against a temporary store.
@Suite struct ReadmeSwiftTests {
    @Test func theExampleRuns() throws {
        let directory = try TemporaryDirectory("cairn-readme")
        _ = try Store.initialize(at: directory.appending("store").path)
        try Data(repeating: 7, count: 4096).write(to: directory.appending("model.safetensors"))
        let environment = ["CAIRN_STORE": directory.appending("store").path]
        let model = directory.appending("model.safetensors").path

        // From README.md, "From Swift" (paths and the environment are the test's).
        let store = try Store.locate(explicit: nil, environment: environment)
        let run = try store.createRun(RunRequest(experiment: try ExperimentName("vae/baseline"), captureGit: false))
        let checkpoints = try RunCheckpoints.open(store: store, run: run)
        try checkpoints.saveInBackground(CheckpointSaveRequest(epoch: 3, step: 1200, metrics: ["val_loss": 0.31],
                                                               source: .files([model], .move),
                                                               policy: CheckpointPolicy(monitor: "val_loss", topK: 2)))
        try checkpoints.close()
        let printed = try CairnJSON.document(try RunCheckpoints.view(store: store, run: run).checkpoint(.pointer("best")))
        try store.endRun(run, status: .finished)

        let best = try CairnJSON.decode(CairnAPI.Checkpoint.self, from: printed)
        #expect(best.epoch == 3 && best.pointers == ["best", "last"] && best.metrics == ["val_loss": 0.31])
        #expect(!FileManager.default.fileExists(atPath: model), "moved in")
        #expect(try store.listRuns().first?.status == .finished)
    }
}
