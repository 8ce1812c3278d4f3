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

    /// Reads every scalar of the event files in `folder` with tensorboard's EventAccumulator: tag → steps.
    private func stepsByTag(in folder: String) throws -> [String: [Int]] {
        let script = """
            import sys, json
            from tensorboard.backend.event_processing import event_accumulator as ea
            a = ea.EventAccumulator(sys.argv[1], size_guidance={'scalars': 0}); a.Reload()
            print(json.dumps({t: [s.step for s in a.Scalars(t)] for t in a.Tags()['scalars']}))
            """
        let read = try TestPython.run(script, [folder])
        try #require(read.status == 0, "python: \(read.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: [Int]])
    }

    private func eventFiles(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains("tfevents") }.sorted()
    }

    @Test func exportTwiceGivesOneFileAndEveryPointOnce() throws {
        let store = try CLITestStore()
        let run = try store.newRun("tb/twice")
        for step in 0..<10 { try store.output("metric", "log", run, "loss=\(step)", "--step", String(step)) }
        let events = try store.output("path", run) + "/events"
        let first = try store.output("tb", "export", run)
        let second = try store.output("tb", "export", run)
        #expect(first == second)
        #expect(try eventFiles(in: events).count == 1)
        #expect(try stepsByTag(in: events) == ["train/loss": Array(0..<10)])
    }

    @Test func exportRefusesWhileTheLiveFileIsWrittenThenReplacesIt() throws {
        let store = try CLITestStore()
        let run = try store.newRun("tb/live")
        for step in 0..<5 { try store.output("metric", "log", run, "loss=\(step)", "--step", String(step), "--tb") }
        let events = try store.output("path", run) + "/events"
        #expect(try eventFiles(in: events).count == 1)
        // RUNNING, and nothing says its owner is dead: its live file is being written.
        let before = TreeSnapshot(store.url)
        let refused = try store.cairn("tb", "export", run)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("is RUNNING and its live event file"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(TreeSnapshot(store.url) == before)
        try store.output("run", "finish", run)
        // Points the live file does not have (logged without it, as by an older cairn) are in the CSV.
        let csv = try store.output("path", run) + "/metrics/train/metrics.csv"
        let tagsFile = try store.output("path", run) + "/tags.json"
        try "{}".write(toFile: tagsFile, atomically: true, encoding: .utf8)
        for step in 5..<8 { try store.output("metric", "log", run, "loss=\(step)", "--step", String(step)) }
        #expect(FileManager.default.fileExists(atPath: csv))
        for _ in 0..<2 {
            let path = try store.output("tb", "export", run)
            #expect(try eventFiles(in: events) == [URL(fileURLWithPath: path).lastPathComponent])
            #expect(try stepsByTag(in: events) == ["train/loss": Array(0..<8)])
        }
    }
}
