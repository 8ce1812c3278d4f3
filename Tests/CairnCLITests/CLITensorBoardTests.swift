import Foundation
import Testing
import CairnTestSupport

@Suite struct CLITensorBoardTests {
    @Test func exportIsReadByTensorBoardAndImportReportsDamage() throws {
        let store = try CLITestStore()
        let run = try store.newRun("tb/x")
        for step in 0..<50 {
            try store.output("metric", "log", run, "loss=\(1.0 / Double(step + 1))", "acc=\(Double(step) / 50)", "--step", String(step))
        }
        try store.output("metric", "log", run, "loss=nan", "--step", "50")
        try store.output("metric", "log", run, "loss=0.25", "--step", "49", "--split", "eval")
        let exported = try #require(try store.json("tb", "export", run, "--json") as? [String: Any])
        let path = try #require(exported["path"] as? String)
        #expect(exported["scalars"] as? Int == 102)
        // The real tensorboard reads every scalar, with the same steps and float32 values.
        let script = """
            import sys, json, math
            from tensorboard.backend.event_processing import event_accumulator as ea
            a = ea.EventAccumulator(sys.argv[1], size_guidance={'scalars': 0}); a.Reload()
            out = {t: [[s.step, 'nan' if math.isnan(s.value) else s.value] for s in a.Scalars(t)] for t in a.Tags()['scalars']}
            print(json.dumps(out))
            """
        let read = try TestPython.run(script, [path])
        try #require(read.status == 0, "python: \(read.stderr)")
        let tags = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: [[Any]]])
        #expect(Set(tags.keys) == ["train/loss", "train/acc", "eval/loss"])
        #expect(tags["train/loss"]?.count == 51)
        #expect(tags["train/loss"]?.last?[1] as? String == "nan")
        #expect((tags["train/loss"]?[3][1] as? Double) == Double(Float(0.25)))
        #expect((tags["eval/loss"]?.first?[0] as? Int) == 49)

        // Import the tensorboardX fixture whole, then a truncated copy: the damage is reported, not fatal.
        let fixture = PackagePaths.shared.appendingPathComponent("fixtures/interop/tfevents/tensorboardX/events.out.tfevents.1700000000.fixture-host").path
        let whole = try store.cairn("tb", "import", fixture, "--run", run, "--split", "tbx")
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(whole.stdout.contains("Imported 300 scalars in 3 tags"))
        #expect(whole.stderr.contains("notes/text_summary"))
        let cut = store.path + "-cut.tfevents"
        defer { try? FileManager.default.removeItem(atPath: cut) }
        try Data(try Data(contentsOf: URL(fileURLWithPath: fixture)).prefix(3000)).write(to: URL(fileURLWithPath: cut))
        let damaged = try store.cairn("tb", "import", cut, "--run", run, "--split", "cut")
        #expect(damaged.status == 0)
        #expect(damaged.stderr.contains("stops being readable at byte"), "\(damaged.stderr)")
        let summary = try #require(try store.json("metric", "show", run, "--split", "tbx", "--json") as? [[String: Any]])
        #expect(summary.map { $0["count"] as? Int } == [100, 100, 100])
    }
}
