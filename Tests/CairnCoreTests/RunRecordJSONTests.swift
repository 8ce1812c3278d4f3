import Foundation
import Testing
import CairnCore
import CairnTestSupport

/// `RunRecord(recordJSON:)`, the index's and the store's fast reader of run records, must agree with
/// Foundation's `JSONDecoder` on everything it accepts, and leave everything else to it.
@Suite struct RunRecordJSONTests {
    static let texts = ["", "run", "a \"quoted\" name", "back\\slash", "tab\there", "line\nbreak", "sl/ash", "é", "日本語", "😀 emoji",
                        "\u{7F}", "nul\u{0}char", "\u{1F}"]

    /// A record with every optional field set or not, at random.
    static func record(_ random: inout SeededGenerator) -> RunRecord {
        func text() -> String { texts.randomElement(using: &random)! }
        func maybe<T>(_ value: @autoclosure () -> T) -> T? { random.next() % 2 == 0 ? value() : nil }
        let start = Timestamp(millisecondsSinceEpoch: 1_700_000_000_000 + Int64(random.next() % 100_000_000_000))
        var record = RunRecord(
            id: RunID.generate(at: start, using: &random), name: maybe(text()), experiment: text(),
            experimentID: ExperimentID(Int(random.next() % 1000)), status: RunStatus.allCases.randomElement(using: &random)!,
            startTime: start, host: text(), user: text(), pid: Int32(truncatingIfNeeded: random.next()),
            command: (0..<Int(random.next() % 4)).map { _ in text() }, workingDirectory: maybe(text()),
            git: maybe(GitState(commit: text(), branch: maybe(text()), dirty: random.next() % 2 == 0, diffFile: maybe(text()))),
            configSource: maybe(text()), configOverrides: (0..<Int(random.next() % 3)).map { _ in text() }, layout: text())
        record.endTime = maybe(Timestamp(millisecondsSinceEpoch: start.millisecondsSinceEpoch + Int64(random.next() % 1_000_000)))
        record.durationSeconds = maybe([0, 0.005, 1e-7, 12345.678, 1e300, Double(random.next() % 10_000) / 7].randomElement(using: &random)!)
        record.exitCode = maybe(Int32(truncatingIfNeeded: random.next()))
        record.exitSignal = maybe(text())
        record.forwardedSignals = maybe((0..<Int(random.next() % 3)).map { _ in ForwardedSignal(signal: text(), at: start) })
        return record
    }

    static func encoders() -> [JSONEncoder] {
        let formats: [JSONEncoder.OutputFormatting] = [[], [.sortedKeys], [.prettyPrinted], [.withoutEscapingSlashes, .sortedKeys],
                                                       [.prettyPrinted, .withoutEscapingSlashes]]
        return formats.map {
            let encoder = JSONEncoder()
            encoder.outputFormatting = $0
            return encoder
        }
    }

    @Test func readsWhatAnEncoderWrites() throws {
        var random = SeededGenerator(seed: 20261204)
        for _ in 0..<400 {
            let record = Self.record(&random)
            for encoder in Self.encoders() {
                let bytes = Array(try encoder.encode(record))
                let fast = try #require(RunRecord(recordJSON: bytes), "\(String(decoding: bytes, as: UTF8.self))")
                #expect(fast == record)
                #expect(fast == (try JSONDecoder().decode(RunRecord.self, from: Data(bytes))))
            }
        }
    }

    /// Damaged, odd or hostile JSON: the fast reader gives what JSONDecoder gives, or nothing.
    @Test func takesNothingJSONDecoderWouldReadOtherwise() throws {
        var random = SeededGenerator(seed: 7)
        let record = Self.record(&random)
        let valid = Array(try JSONEncoder().encode(record))
        var variants: [[UInt8]] = []
        let text = String(decoding: valid, as: UTF8.self)
        for edit in [("\"format\":1", "\"format\":1.0"), ("\"format\":1", "\"format\":\"1\""), ("\"format\":1", "\"format\":01"),
                     ("\"format\":1", "\"format\":1,\"format\":2"), ("\"format\":1", "\"format\":1,\"extra\":true"),
                     ("\"format\":1", "\"format\":null"), ("\"format\":1", "\"format\":1e0"), ("\"format\":1", "\"format\":-0"),
                     ("\"format\":1", "\"format\":99999999999999999999"), ("{", "{\"id\":\"x\","), ("{", "["), ("}", ""), ("}", "}x"),
                     ("\"status\":\"", "\"status\":\"x"), ("\"format\":1", "\"format\":true")] {
            if let range = text.range(of: edit.0) { variants.append(Array(text.replacingCharacters(in: range, with: edit.1).utf8)) }
        }
        for _ in 0..<3000 {
            var bytes = valid
            for _ in 0..<Int(random.next() % 3 + 1) {
                let at = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 3 {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.remove(at: at)
                default: bytes.insert(Array("\"{}[],:0.e-\\u nul".utf8).randomElement(using: &random)!, at: at)
                }
            }
            variants.append(bytes)
        }
        variants += [[], Array("null".utf8), Array("{}".utf8), Array(valid.prefix(valid.count / 2)), [0xFF] + valid]
        for bytes in variants {
            guard let fast = RunRecord(recordJSON: bytes) else { continue }
            let slow = try? JSONDecoder().decode(RunRecord.self, from: Data(bytes))
            #expect(fast == slow, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }
}
