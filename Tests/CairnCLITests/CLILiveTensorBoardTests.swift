import Foundation
import Testing
import CairnTestSupport

/// `cairn metric log --tb` turns live event files on for the run; later `metric log` calls (each its
/// own process) append to the same event file, which the real tensorboard reads whole.
@Suite struct CLILiveTensorBoardTests {
    @Test func metricLogAppendsToTheRunsLiveEventFile() throws {
        let store = try CLITestStore()
        let run = try store.newRun("tb/live")
        try store.output("metric", "log", run, "loss=1", "--step", "0", "--tb")
        for step in 1..<20 {
            try store.output("metric", "log", run, "loss=\(1.0 / Double(step + 1))", "acc=\(Double(step) / 20)", "--step", String(step))
        }
        try store.output("metric", "log", run, "loss=0.75", "--step", "19", "--split", "eval")
        let tags = try #require(try store.json("run", "show", run, "--json") as? [String: Any])
        #expect((tags["tags"] as? [String: String])?["cairn.tensorboard"] == "live", "\(tags)")
        let folder = try store.output("path", run)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder + "/events")
        #expect(files.count == 1 && files[0].hasPrefix("events.out.tfevents."), "\(files)")
        let script = """
            import sys, json
            from tensorboard.backend.event_processing import event_accumulator as ea
            a = ea.EventAccumulator(sys.argv[1], size_guidance={'scalars': 0}); a.Reload()
            print(json.dumps({t: [[s.step, s.value] for s in a.Scalars(t)] for t in a.Tags()['scalars']}))
            """
        let read = try TestPython.run(script, [folder + "/events/" + files[0]])
        try #require(read.status == 0, "python: \(read.stderr)")
        let scalars = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: [[Double]]])
        #expect(Set(scalars.keys) == ["train/loss", "train/acc", "eval/loss"])
        #expect(scalars["train/loss"]?.map { Int($0[0]) } == Array(0..<20))
        #expect(scalars["train/loss"]?[3][1] == Double(Float(0.25)))
        #expect(scalars["train/acc"]?.count == 19)
        #expect(scalars["eval/loss"] == [[19, 0.75]])
    }
}
