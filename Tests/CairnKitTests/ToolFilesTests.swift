import CairnCore
import CairnFormats
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// The readers of other tools' own files: Hydra's interpolations and override lists, Sacred's times,
/// statuses and metrics, on the spellings the tools write and on damaged input.
@Suite struct ToolFilesTests {
    @Test func hydraInterpolationsResolveFromTheOtherParams() {
        let params = ["model.name": "mlp", "model.hidden": "32", "tag": "\"${model.name}-h${model.hidden}\"",
                      "path": "\"${oc.env:HOME}/data\"", "chain": "\"${tag}!\"", "missing": "\"${nope}\"", "loop": "\"${loop}\"",
                      "open": "\"${model.name\""]
        let resolved = HydraJobFiles.resolvingInterpolations(params)
        #expect(resolved["tag"] == "mlp-h32")
        #expect(resolved["chain"] == "mlp-h32!")
        #expect(resolved["path"] == "\"${oc.env:HOME}/data\"")  // a resolver, left as written
        #expect(resolved["missing"] == "\"${nope}\"")
        #expect(resolved["open"] == "\"${model.name\"")
        #expect(resolved["loop"]?.contains("${loop}") == true)  // a cycle stops, it does not hang
        #expect(resolved["model.hidden"] == "32")
    }

    @Test(arguments: [("- optim.lr=0.01\n- +note=single\n", ["optim.lr=0.01", "+note=single"]),
                      ("[]\n", []), ("", []),
                      ("- 'db.url=x: y'\n- model=resnet\n", ["db.url=x: y", "model=resnet"])])
    func hydraOverrideListsAreRead(text: String, expected: [String]) throws {
        let folder = try TemporaryDirectory("cairn-hydra-overrides")
        try FileManager.default.createDirectory(atPath: folder.path + "/.hydra", withIntermediateDirectories: true)
        try text.write(toFile: folder.path + "/.hydra/overrides.yaml", atomically: true, encoding: .utf8)
        let read = HydraJobFiles.read([folder.path + "/.hydra/overrides.yaml"])
        #expect(read.problems.isEmpty, "\(read.problems)")
        #expect(read.files.overrides == expected)
    }

    @Test func sacredTimesKeepTheirMicroseconds() throws {
        #expect(SacredTime.seconds("1970-01-01T00:00:01.5") == 1.5)
        #expect(SacredTime.seconds("2026-12-05T12:53:36.655225") == 1_796_475_216.655225)
        #expect(SacredTime.seconds("2026-12-05T12:53:36") == 1_796_475_216)
        #expect(SacredTime.timestamp("2026-12-05T12:53:36.655225")?.iso8601 == "2026-12-05T12:53:36.655Z")
        for bad in ["", "yesterday", "2026-12-05T12:53:36.", "2026-12-05T12:53:36.x1", "2026-13-05T12:53:36"] {
            #expect(SacredTime.seconds(bad) == nil, "\(bad)")
        }
    }

    @Test func sacredRunFilesMapStatusesAndKeepWhatTheyHold() throws {
        for (sacred, cairn) in SacredRunFile.statuses {
            let file = SacredRunFile(try ConfigJSON.parse(#"{"status": "\#(sacred)"}"#, fileName: "run.json"))
            #expect(file.status == cairn)
        }
        // A run.json with only some fields: the rest stays as the folder says.
        let partial = SacredRunFile(try ConfigJSON.parse(#"{"status": "RUNNING", "start_time": "2026-12-05T12:53:36.1", "stop_time": "2026-12-05T12:54:36.1"}"#, fileName: "run.json"))
        var record = RunRecord(id: try RunID("1"), name: "1", experiment: "runs", experimentID: ExperimentID(1), status: .finished,
                               startTime: Timestamp(millisecondsSinceEpoch: 0), host: "", user: "", pid: 0, command: [],
                               workingDirectory: nil, git: nil, configSource: nil, configOverrides: [], layout: "sacred")
        var tags: [String: String] = [:]
        partial.apply(to: &record, tags: &tags)
        #expect(record.status == .running && record.endTime == nil && record.startTime.iso8601 == "2026-12-05T12:53:36.100Z")
        #expect(record.host == "" && record.command.isEmpty && tags.isEmpty)
    }

    @Test func sacredMetricsKeepTheirReadablePoints() throws {
        let folder = try TemporaryDirectory("cairn-sacred-metrics")
        let path = folder.path + "/metrics.json"
        try #"{"a": {"steps": [0, 1, 2], "values": [1, 0.5, NaN], "timestamps": ["2026-12-05T12:00:00.5"]}, "b": {"steps": [0, 1], "values": [1]}, "c": 3}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        let read = try SacredMetricsFile.read(path)
        #expect(read.points.filter { $0.key == "a" }.map(\.step) == [0, 1, 2])
        #expect(read.points.first { $0.key == "a" }?.time == 1_796_472_000.5)
        #expect(read.points.filter { $0.key == "a" }.last?.value.isNaN == true)
        #expect(read.points.filter { $0.key == "b" }.map(\.step) == [0])
        #expect(read.problems.count == 2, "\(read.problems)")  // b's lengths differ; c is no series
        try "{\"a\": [".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: CairnError.self) { try SacredMetricsFile.read(path) }
    }
}

/// MLflow's file store: metric lines, run and experiment `meta.yaml` files, as MLflow writes them and damaged.
@Suite struct MLflowFilesTests {
    @Test func metricLinesAreReadAndATornLastLineWaits() {
        let text = "1700000000000 0.5 0\n1700000001000 nan 1\n1700000002000 -inf 2\n1700000003000 1e-05 3\n"
            + "1700000004000 x 4\n1700000005000 0.25\n\n1700000006000 0.125 6"
        let read = MLflowMetricFile.points(of: Array(text.utf8), key: "eval/acc", path: "m")
        #expect(read.points.map(\.step) == [0, 1, 2, 3, 0])
        #expect(read.points[0].value == 0.5 && read.points[1].value.isNaN && read.points[2].value == -.infinity && read.points[3].value == 1e-05)
        #expect(read.points[0].time == 1_700_000_000 && read.points[4].value == 0.25)  // a line without its step: step 0
        #expect(read.points.allSatisfy { $0.key == "eval/acc" })
        #expect(read.problems == ["m:5: not a point (timestamp value step)"])
        #expect(MLflowMetricFile.points(of: [], key: "k", path: "m").points.isEmpty)
    }

    @Test func runMetaYAMLGivesNameStatusTimesUserAndDeletion() throws {
        var files = MLflowRunFiles()
        files.take(try ConfigFile.parse("""
            run_name: lr/0.1
            status: 4
            start_time: 1700000000000
            end_time: 1700000005000
            user_id: ana
            lifecycle_stage: deleted
            deleted_time: 1700000009000
            """, fileName: "meta.yaml"))
        #expect(files.name == "lr/0.1" && files.status == .failed && files.user == "ana" && files.deleted)
        var adopted = AdoptedRun(location: RunLocation(id: try RunID("abc"), experimentID: ExperimentID(1), folder: "1/abc", layout: "mlflow"),
                                 record: RunRecord(id: try RunID("abc"), name: "abc", experiment: "e", experimentID: ExperimentID(1), status: .finished,
                                                   startTime: Timestamp(millisecondsSinceEpoch: 0), host: "", user: "", pid: 0, command: [],
                                                   workingDirectory: nil, git: nil, configSource: nil, configOverrides: [], layout: "mlflow"),
                                 params: [:], manifest: [], checkpoints: 0)
        files.apply(to: &adopted)
        #expect(adopted.record.name == "lr-0.1" && adopted.tags["mlflow.runName"] == "lr/0.1")
        #expect(adopted.record.durationSeconds == 5 && adopted.location.lifecycleStage == "deleted")
        #expect(adopted.location.deletedAt == Timestamp(millisecondsSinceEpoch: 1_700_000_009_000))
        // Older MLflow wrote the status by name; a RUNNING run has no end yet.
        var running = MLflowRunFiles()
        running.take(try ConfigFile.parse("status: RUNNING\nstart_time: 5\nend_time: null\n", fileName: "meta.yaml"))
        #expect(running.status == .running && running.end == nil && running.start == Timestamp(millisecondsSinceEpoch: 5))
    }

    @Test func experimentsAreNamedByTheirMetaYAMLOrByTheirID() throws {
        let folder = try TemporaryDirectory("cairn-mlflow-experiments")
        func write(_ text: String, _ path: String) throws {
            let url = folder.url.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try write("name: /Shared/vision\nexperiment_id: '12'\ncreation_time: 1700000000000\nlifecycle_stage: active\n", "12/meta.yaml")
        try write("cairn", "12/tags/team")
        try write("name: old\nlifecycle_stage: deleted\nlast_update_time: 1700000001000\n", ".trash/13/meta.yaml")
        try write("name: 'cut", "14/meta.yaml")
        try write("name: Shared\n", "15/meta.yaml")  // clashes with the group Shared/
        let read = MLflowExperimentFiles.records(for: ["12", "14"], tree: folder.path, adoptedAt: Timestamp(millisecondsSinceEpoch: 1))
        #expect(read.records["12"]?.name.description == "Shared/vision" && read.records["12"]?.id == ExperimentID(12))
        #expect(read.records["12"]?.tags == ["team": "cairn"] && read.records["12"]?.createdAt == Timestamp(millisecondsSinceEpoch: 1_700_000_000_000))
        #expect(read.records["13"]?.isDeleted == true && read.records["13"]?.name.description == "old")  // no runs: found all the same
        #expect(read.records["14"]?.name.description == "14" && read.records["15"]?.name.description == "15")
        #expect(read.warnings.count == 2, "\(read.warnings)")
    }
}

/// MLflow's metric lines over generated points and the spellings Python's `repr` gives a float.
@Suite struct MLflowMetricLinesPropertyTests {
    @Test func generatedPointsReadBackExactly() {
        var random = SeededGenerator(seed: 21)
        for _ in 0..<50 {
            var text = ""
            var expected: [(Int64, Double, Int64)] = []
            for _ in 0..<Int.random(in: 0...40, using: &random) {
                let time = Int64.random(in: 0...2_000_000_000_000, using: &random)
                let step = Int64.random(in: -5...1_000_000, using: &random)
                let value: Double
                let spelled: String
                switch Int.random(in: 0..<6, using: &random) {
                case 0: value = .nan; spelled = "nan"
                case 1: value = .infinity; spelled = "inf"
                case 2: value = -.infinity; spelled = "-inf"
                case 3: value = Double(Int.random(in: -1000...1000, using: &random)); spelled = String(format: "%.1f", value)  // 3.0
                case 4: value = Double.random(in: -1e-6...1e-6, using: &random); spelled = "\(value)"                      // 1e-07
                default: value = Double.random(in: -1e20...1e20, using: &random); spelled = "\(value)"
                }
                text += "\(time) \(spelled) \(step)\n"
                expected.append((time, value, step))
            }
            // A line being written when the file is read: never a point, never a problem.
            let torn = Bool.random(using: &random) ? "1700000000000 0.5" : ""
            let read = MLflowMetricFile.points(of: Array((text + torn).utf8), key: "k", path: "m")
            #expect(read.problems.isEmpty)
            #expect(read.points.count == expected.count)
            for (point, want) in zip(read.points, expected) {
                #expect(point.step == want.2 && point.time == Double(want.0) / 1000)
                #expect(point.value == want.1 || (point.value.isNaN && want.1.isNaN))
            }
        }
    }
}
