import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// Cairn's record encoder writes exactly Foundation's bytes (pretty, sorted keys, slashes as they are),
/// on generated values and on real records; what it leaves to Foundation it says so.
@Suite("Record JSON encoder")
struct RecordJSONEncoderTests {
    /// Any JSON shape, with the spellings that differ between encoders: escapes, unicode keys, numbers.
    indirect enum Value: Encodable {
        case string(String), int(Int), int32(Int32), uint64(UInt64), double(Double), float(Float), bool(Bool), null
        case array([Value]), object([String: Value]), record(Record)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let value): try container.encode(value)
            case .int(let value): try container.encode(value)
            case .int32(let value): try container.encode(value)
            case .uint64(let value): try container.encode(value)
            case .double(let value): try container.encode(value)
            case .float(let value): try container.encode(value)
            case .bool(let value): try container.encode(value)
            case .null: try container.encodeNil()
            case .array(let value): try container.encode(value)
            case .object(let value): try container.encode(value)
            case .record(let value): try container.encode(value)
            }
        }
    }

    /// A struct with optional fields (left out when nil), nested containers and a dictionary with Int keys.
    struct Record: Encodable {
        var name: String
        var score: Double?
        var tags: [String]
        var counts: [Int: Int]
        var inner: [String: [Double]]

        enum CodingKeys: String, CodingKey { case name, score, tags, counts, inner, nested }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encodeIfPresent(score, forKey: .score)
            try container.encode(tags, forKey: .tags)
            try container.encode(counts, forKey: .counts)
            try container.encode(inner, forKey: .inner)
            var nested = container.nestedUnkeyedContainer(forKey: .nested)
            try nested.encode(tags.count)
            try nested.encodeNil()
        }
    }

    static func foundation<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    struct Generator {
        var random: SeededGenerator
        let pieces = ["a", "B", "z", "_", "-", "/", "\"", "\\", "\n", "\t", "\r", "\u{08}", "\u{0C}", "\u{01}", "\u{1F}", "\u{7F}",
                      "é", "e\u{301}", "\u{2028}", "😀", "\u{FFFD}", " ", ":", "10", "9", "ä"]

        mutating func text() -> String {
            (0..<Int(random.next() % 6)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
        }

        mutating func double() -> Double {
            switch random.next() % 4 {
            case 0:
                let value = Double(bitPattern: random.next())
                return value.isFinite ? value : 0.5
            case 1: return Double(Int(random.next() % 2_000_000) - 1_000_000)
            case 2: return Double(Int(random.next() % 100_000)) * pow(10, Double(Int(random.next() % 50) - 25))
            default: return [0.0, -0.0, 1e15, 1e16, 0.1, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude][Int(random.next() % 7)]
            }
        }

        mutating func value(depth: Int) -> Value {
            switch random.next() % (depth > 3 ? 8 : 11) {
            case 0: return .string(text())
            case 1: return .int(Int(bitPattern: UInt(random.next())) >> Int(random.next() % 64))
            case 2: return .int32(Int32(truncatingIfNeeded: random.next()))
            case 3: return .uint64(random.next())
            case 4: return .double(double())
            case 5:
                let value = Float(double())
                return .float(value.isFinite ? value : 1.5)
            case 6: return .bool(random.next() % 2 == 0)
            case 7: return .null
            case 8: return .array((0..<Int(random.next() % 4)).map { _ in value(depth: depth + 1) })
            case 9:
                var object: [String: Value] = [:]
                for _ in 0..<Int(random.next() % 5) { object[text()] = value(depth: depth + 1) }
                return .object(object)
            default:
                return .record(Record(name: text(), score: random.next() % 2 == 0 ? nil : double(),
                                      tags: (0..<Int(random.next() % 3)).map { _ in text() },
                                      counts: [Int(random.next() % 20): Int(random.next() % 5), -3: 0],
                                      inner: [text(): (0..<Int(random.next() % 3)).map { _ in double() }]))
            }
        }
    }

    @Test func generatedValuesAreWrittenAsFoundationWritesThem() throws {
        var generator = Generator(random: SeededGenerator(seed: 0x4A50_0001))
        for round in 0..<3_000 {
            let value = generator.value(depth: 0)
            let ours = try RecordJSONEncoder.encode(value)
            let theirs = try Self.foundation(value)
            #expect(ours == theirs, "round \(round): \(String(decoding: ours, as: UTF8.self)) vs \(String(decoding: theirs, as: UTF8.self))")
        }
    }

    @Test func cairnsRecordsAreWrittenAsFoundationWritesThem() throws {
        let experiment = ExperimentRecord(id: ExperimentID(7), name: try ExperimentName("vae/β-run"), createdAt: Timestamp(millisecondsSinceEpoch: 1_700_000_000_123))
        var record = RunRecord(id: try RunID("run-1"), name: "first \"one\"", experiment: "vae/β-run", experimentID: experiment.id,
                               status: .finished, startTime: Timestamp(millisecondsSinceEpoch: 1_700_000_000_456), host: "gpu-01", user: "ana",
                               pid: 4242, command: ["python", "train.py", "--lr=1e-3"], workingDirectory: "/home/ana/work",
                               git: GitState(commit: "abc123", branch: "main", dirty: true, diffFile: "git.diff"),
                               configSource: "config.yaml", configOverrides: ["training.lr=0.01"], layout: "cairn")
        record.endTime = Timestamp(millisecondsSinceEpoch: 1_700_000_100_000)
        record.durationSeconds = 99.544
        record.exitCode = 0
        let location = RunLocation(id: try RunID("run-1"), experimentID: experiment.id, folder: "vae/β-run/run-1", layout: "cairn")
        #expect(try RecordJSONEncoder.encode(record) == Self.foundation(record))
        #expect(try RecordJSONEncoder.encode(experiment) == Self.foundation(experiment))
        #expect(try RecordJSONEncoder.encode(location) == Self.foundation(location))
        #expect(try RecordJSONEncoder.encode(["lr": "0.1", "a/b": "x"]) == Self.foundation(["lr": "0.1", "a/b": "x"]))
    }

    @Test func whatFoundationWritesItsOwnWayIsLeftToIt() throws {
        #expect(throws: RecordJSONEncoder.Unsupported.self) { try RecordJSONEncoder.encode(["at": Date(timeIntervalSince1970: 0)]) }
        #expect(throws: RecordJSONEncoder.Unsupported.self) { try RecordJSONEncoder.encode([Data([1, 2])]) }
        #expect(throws: RecordJSONEncoder.Unsupported.self) { try RecordJSONEncoder.encode(["x": Double.nan]) }
        // JSONCoding then writes Foundation's bytes (or its refusal).
        #expect(try JSONCoding.encode(["at": Date(timeIntervalSince1970: 0)]) == Self.foundation(["at": Date(timeIntervalSince1970: 0)]) + [10])
        #expect(throws: CairnError.self) { try JSONCoding.encode(["x": Double.infinity]) }
    }
}
