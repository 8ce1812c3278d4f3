import Foundation
import Testing
import CairnCore
import CairnTestSupport

/// `StringMapJSON` (params.json, tags.json) agrees with `JSONDecoder` on what it takes and leaves it the rest.
@Suite struct StringMapJSONTests {
    @Test func agreesWithJSONDecoder() throws {
        var random = SeededGenerator(seed: 3)
        let texts = RunRecordJSONTests.texts + ["training.lr", "0.001", "a/b", "\u{E9}", "e\u{301}"]
        for _ in 0..<300 {
            var map: [String: String] = [:]
            for _ in 0..<Int(random.next() % 6) { map[texts.randomElement(using: &random)!] = texts.randomElement(using: &random)! }
            for encoder in RunRecordJSONTests.encoders() {
                let bytes = Array(try encoder.encode(map))
                #expect(StringMapJSON.read(bytes) == map)
            }
        }
        let valid = Array(try JSONEncoder().encode(["a": "1", "training.lr": "0.01", "é": "x"]))
        var variants: [[UInt8]] = [Array(#"{"a":"1","a":"2"}"#.utf8), Array(#"{"a":1}"#.utf8), Array(#"{"a":null}"#.utf8),
                                   Array("[]".utf8), Array("{} x".utf8), Array(#"{"\u00e9":"1","é":"2"}"#.utf8), []]
        for _ in 0..<2000 {
            var bytes = valid
            let at = Int(random.next() % UInt64(bytes.count))
            if random.next() % 2 == 0 { bytes[at] = UInt8(truncatingIfNeeded: random.next()) } else { bytes.remove(at: at) }
            variants.append(bytes)
        }
        for bytes in variants {
            guard let fast = StringMapJSON.read(bytes) else { continue }
            #expect(fast == (try? JSONDecoder().decode([String: String].self, from: Data(bytes))), "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    /// `MetricSummary.summaries` against the plain definition, on keys in rotation, in runs and shuffled.
    @Test func summariesMatchTheirDefinition() {
        var random = SeededGenerator(seed: 5)
        for round in 0..<200 {
            let keys = (0..<Int(random.next() % 7 + 1)).map { "k\($0)" + (round % 3 == 0 ? "-a-long-key-name" : "") }
            var points: [MetricPoint] = []
            for step in 0..<Int(random.next() % 30) {
                for key in keys where random.next() % 4 != 0 {
                    points.append(MetricPoint(key: key, value: random.next() % 9 == 0 ? .nan : Double(random.next() % 100) / 7, step: Int64(step)))
                }
            }
            if round % 2 == 0 { points.shuffle(using: &random) }
            var expected: [String: MetricSummary] = [:]
            for point in points {
                if expected[point.key] == nil { expected[point.key] = MetricSummary(point) } else { expected[point.key]!.add(point) }
            }
            #expect(MetricSummary.summaries(of: points) == expected)
        }
    }
}
