import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite("Adopted pack")
struct AdoptedPackTests {
    private static func run(_ id: String, experiment: ExperimentRecord, start: Int64) throws -> AdoptedRun {
        let runID = try RunID(id)
        let record = RunRecord(id: runID, name: id, experiment: experiment.name.description, experimentID: experiment.id,
                               status: .finished, startTime: Timestamp(millisecondsSinceEpoch: start), host: "", user: "",
                               pid: 0, command: [], workingDirectory: nil, git: nil, configSource: nil,
                               configOverrides: [], layout: "run-dirs")
        return AdoptedRun(location: RunLocation(id: runID, experimentID: experiment.id, folder: "runs/\(id)", layout: "run-dirs"),
                          record: record, params: ["lr": "0.1"], manifest: [], checkpoints: 0)
    }

    /// Version 3 holds the experiments, each with its newest run by start time, and every run's records
    /// and folder.
    @Test func holdsExperimentsAndRuns() throws {
        let dir = try TemporaryDirectory("cairn-pack")
        let a = ExperimentRecord(id: ExperimentID(1), name: try ExperimentName("a"), createdAt: Timestamp(millisecondsSinceEpoch: 0))
        let b = ExperimentRecord(id: ExperimentID(2), name: try ExperimentName("b"), createdAt: Timestamp(millisecondsSinceEpoch: 0))
        // 100 runs: enough to be encoded on both cores.
        var runs: [AdoptedRun] = []
        for index in 0..<100 {
            runs.append(try Self.run("run-\(index)", experiment: index % 2 == 0 ? a : b, start: Int64(index % 37)))
        }
        let path = dir.appending(AdoptedPack.fileName).path
        try Disk.write(String(decoding: try AdoptedPack.encode(runs, experiments: [a, b]), as: UTF8.self), to: path)
        let pack = try #require(try AdoptedPack.load(path))
        #expect(pack.experiments.keys.sorted() == [1, 2])
        #expect(pack.experiments[1]?.record == a)
        // Newest by start time (36 is the largest start: index 36 in a, 73 in b).
        #expect(pack.experiments[1]?.latest == "run-36")
        #expect(pack.experiments[2]?.latest == "run-73")
        #expect(pack.entries.count == 100)
        #expect(pack.folder(of: runs[7].record.id) == "runs/run-7")
        for run in runs {
            #expect(try pack.location(of: run.record.id, in: run.location.experimentID) == run.location)
            let params = try #require(try pack.bytes(.params, of: run.record.id))
            #expect(String(decoding: params, as: UTF8.self).contains("\"lr\""))
        }
    }

    /// A version 1 pack (runs only; its experiments have folders) still reads.
    @Test func readsVersionOne() throws {
        let dir = try TemporaryDirectory("cairn-pack")
        let location = RunLocation(id: try RunID("old-run"), experimentID: ExperimentID(1), folder: "runs/old-run", layout: "run-dirs")
        let record = try JSONCoding.encode(location)
        let header = try JSONCoding.encode([AdoptedPack.Entry(id: "old-run", experiment: 1, offset: 0, lengths: [record.count, 0, 0, 0, 0])])
        let bytes = Array("CAIRN-ADOPTED-PACK 1 \(header.count)\n".utf8) + header + record
        let path = dir.appending(AdoptedPack.fileName).path
        try Disk.write(String(decoding: bytes, as: UTF8.self), to: path)
        let pack = try #require(try AdoptedPack.load(path))
        #expect(pack.experiments.isEmpty)
        #expect(try pack.location(of: try RunID("old-run"), in: ExperimentID(1)) == location)
    }

    /// A version 2 pack (runs listed in the JSON header, no folders), as stores adopted before version 3
    /// hold, is still read: same runs and records, no folders.
    @Test func readsVersion2Packs() throws {
        let dir = try TemporaryDirectory("cairn-pack-v2")
        let a = ExperimentRecord(id: ExperimentID(1), name: try ExperimentName("a"), createdAt: Timestamp(millisecondsSinceEpoch: 0))
        let runs = try (0..<5).map { try Self.run("run-\($0)", experiment: a, start: Int64($0)) }
        let v3 = try AdoptedPack.encode(runs, experiments: [a])
        // Rebuild it in the version 2 form: the table's entries go into the JSON header.
        let newline = try #require(v3.firstIndex(of: 10))
        let lengths = String(decoding: v3[..<newline], as: UTF8.self).split(separator: " ").suffix(2).compactMap { Int($0) }
        let header = Array(v3[(newline + 1)..<(newline + 1 + lengths[0])])
        let table = Array(v3[(newline + 1 + lengths[0])..<(newline + 1 + lengths[0] + lengths[1])])
        let data = Array(v3[(newline + 1 + lengths[0] + lengths[1])...])
        var object = try #require(try JSONSerialization.jsonObject(with: Data(header)) as? [String: Any])
        object["runs"] = try #require(RunTable.parse(table)).map { ["id": $0.id, "experiment": $0.experiment, "offset": $0.offset, "lengths": $0.lengths] }
        let v2Header = Array(try JSONSerialization.data(withJSONObject: object))
        let path = dir.appending(AdoptedPack.fileName).path
        try Data(Array("CAIRN-ADOPTED-PACK 2 \(v2Header.count)\n".utf8) + v2Header + data).write(to: URL(fileURLWithPath: path))
        let pack = try #require(try AdoptedPack.load(path))
        #expect(pack.entries.count == 5 && pack.folder(of: runs[0].record.id) == nil)
        for run in runs { #expect(try pack.location(of: run.record.id, in: run.location.experimentID) == run.location) }
    }

    /// A run table line that does not parse is damage, reported as such.
    @Test func aMalformedRunTableIsDamage() throws {
        #expect(RunTable.parse(Array("id\t1\t0\t1,2,3,4,5\tfolder\n".utf8))?.count == 1)
        for bad in ["id\t1\t0\t1,2,3,4,5\tfolder", "id\tx\t0\t1,2\tf\n", "id\t1\t0\n", "\t1\t0\t1\tf\n", "id\t1\t0\t1,,2\tf\n"] {
            #expect(RunTable.parse(Array(bad.utf8)) == nil, "\(bad)")
        }
    }
}
