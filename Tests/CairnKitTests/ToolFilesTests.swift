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
