import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// The one JSON configuration, and the answers a real store gives, through it and back.
@Suite struct CairnJSONTests {
    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func nonFiniteNumbersAreStringsAndAbsentValuesAreNull() throws {
        let point = CairnAPI.MetricPoint(MetricPoint(key: "loss", value: .nan, step: 3), split: "train")
        let text = try CairnJSON.document(point)
        let object = try Self.object(text)
        #expect(object["value"] as? String == "nan")
        #expect(object["epoch"] is NSNull && object["time"] is NSNull, "\(text)")
        #expect(try CairnJSON.decode(CairnAPI.MetricPoint.self, from: text) == point)
        let summary = CairnAPI.MetricSummary(MetricSummary(MetricPoint(key: "x", value: -.infinity, step: 1)), split: "eval")
        #expect(try Self.object(try CairnJSON.line(summary))["last"] as? String == "-inf")
        #expect(try CairnJSON.decode(CairnAPI.MetricSummary.self, from: try CairnJSON.line(summary)) == summary)
    }

    @Test func keysAreSortedAndSlashesPlain() throws {
        let location = CairnAPI.Location(path: "/a/b", experiment: "vae/baseline", run: nil)
        #expect(try CairnJSON.line(location) == #"{"experiment":"vae/baseline","path":"/a/b","run":null}"#)
    }

    @Test func aMalformedDocumentIsAnError() throws {
        let error = try #require(throws: CairnError.self) { try CairnJSON.decode(CairnAPI.Run.self, from: "{\"id\": 3}") }
        #expect(error.kind == .invalidValue)
    }

    /// A run, its details, its checkpoints and a save report read back equal through Cairn's JSON.
    @Test func answersRoundTrip() throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        try f.store.setParams(["batch": "64"], on: f.run.location)
        try f.store.setTags(["owner": "ana"], on: f.run.location)
        let saved = try ckpts.save(CheckpointSaveRequest(epoch: 1, step: 10, metrics: ["val_loss": 0.5],
                                                         source: .files([try f.source("a.pt", "a")], .copy),
                                                         policy: CheckpointPolicy(monitor: "val_loss", topK: 1)))
        let answer = saved.answer
        #expect(answer.saved?.pointers == ["best", "last"])
        #expect(try CairnJSON.decode(CairnAPI.CheckpointSave.self, from: try CairnJSON.document(answer)) == answer)
        let details = try f.store.details(of: f.run)
        #expect(details.params["batch"] == CairnAPI.Param(value: .int(64), text: "64"))
        let decoded = try CairnJSON.decode(CairnAPI.RunDetails.self, from: try CairnJSON.document(details))
        #expect(decoded == details)
        let listed = try f.view().checkpoints()
        #expect(try CairnJSON.decode([CairnAPI.Checkpoint].self, from: try CairnJSON.document(listed)) == listed)
    }
}
