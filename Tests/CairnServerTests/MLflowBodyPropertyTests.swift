import Foundation
import Testing
import CairnTestSupport
@testable import CairnServer

/// The server's own readers of request bodies, checked against Foundation's on generated bodies:
/// other spellings of the same JSON (white space, key order, number forms, escapes, `NaN` as a string,
/// int64 as text), and damaged ones.
@Suite struct MLflowBodyPropertyTests {
    /// A random spelling of a log-batch body, and what it holds.
    struct Generated {
        var text: String
        var metrics: [(key: String, value: Double, timestamp: Int64, step: Int64)]
        var params: [(String, String)]
    }

    static func generate(_ random: inout SeededGenerator) -> Generated {
        func space() -> String { ["", " ", "\n  ", "\t"][Int(random.next() % 4)] }
        func quoted(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "é" where random.next() % 2 == 0: out += "\\u00e9"
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        let keys = ["loss", "val/acc", "a b", "q\"uote", "back\\slash", "é", "eval/", "x\ny"]
        var metrics: [(key: String, value: Double, timestamp: Int64, step: Int64)] = []
        var items: [String] = []
        for _ in 0..<Int(random.next() % 6) {
            let key = keys[Int(random.next() % UInt64(keys.count))]
            let choice = random.next() % 8
            let bits = Double(bitPattern: random.next())
            let (value, valueText): (Double, String) = switch choice {
            case 0: (.nan, "\"NaN\"")
            case 1: (-.infinity, "\"-Infinity\"")
            case 2: (2.5e-7, "2.5e-7")
            case 3: (-3, "-3")
            case 4: (0.1, "0.1")
            case 5: (1e300, "1E+300")
            // Any finite double in its shortest round-trip digits (17 of them, or an exponent), as Python writes it.
            case 6 where bits.isFinite: (bits, "\(bits)")
            default: (0.8444218515250481, "0.8444218515250481")
            }
            // Steps and timestamps across Int64's range, the ends included.
            let step = [Int64(random.next() % 1_000_000), 0, Int64.max, Int64(bitPattern: random.next() >> 1)][Int(random.next() % 4)]
            let timestamp = [Int64(random.next() % 2_000_000_000_000), Int64.min, -1, 0][Int(random.next() % 4)]
            metrics.append((key, value, timestamp, step))
            // protobuf's JSON writes an int64 as a string; both spellings are read.
            func integerText(_ number: Int64) -> String { random.next() % 3 == 0 ? "\"\(number)\"" : "\(number)" }
            var members = ["\"key\":\(space())\(quoted(key))", "\"value\":\(space())\(valueText)", "\"timestamp\":\(integerText(timestamp))",
                           "\"step\":\(space())\(integerText(step))"]
            members.shuffle(using: &random)
            items.append("{" + space() + members.joined(separator: "," + space()) + space() + "}")
        }
        var params: [(String, String)] = []
        var paramItems: [String] = []
        for index in 0..<Int(random.next() % 3) {
            let value = keys[Int(random.next() % UInt64(keys.count))]
            params.append(("p\(index)", value))
            paramItems.append("{\"value\":\(quoted(value)),\(space())\"key\":\"p\(index)\"}")
        }
        var members = ["\"run_id\":\(space())\"20261123-034011-482-k3f9\"", "\"metrics\":[" + items.joined(separator: ",") + "]",
                       "\"params\":" + space() + "[" + paramItems.joined(separator: ", ") + "]"]
        members.shuffle(using: &random)
        return Generated(text: space() + "{" + members.joined(separator: "," + space()) + "}" + space(), metrics: metrics, params: params)
    }

    static func same(_ a: Double?, _ b: Double) -> Bool {
        guard let a else { return false }
        return a.isNaN ? b.isNaN : a == b
    }

    @Test func theFastReaderReadsWhatJSONDecoderReads() throws {
        var random = SeededGenerator(seed: 16)
        var fast = 0
        for _ in 0..<2_000 {
            let generated = Self.generate(&random)
            let bytes = Array(generated.text.utf8)
            let decoded = try JSONDecoder().decode(MLflowRunRequests.LogBatch.self, from: Data(bytes))
            let read = bytes.withUnsafeBufferPointer { MLflowFastBodies.logBatch($0) }
            for body in [decoded] + (read.map { [$0] } ?? []) {
                #expect(body.runID == "20261123-034011-482-k3f9")
                let metrics = body.metrics ?? []
                #expect(metrics.count == generated.metrics.count, "\(generated.text)")
                for (metric, expected) in zip(metrics, generated.metrics) {
                    #expect(metric.key == expected.key && Self.same(metric.value?.value, expected.value), "\(generated.text)")
                    #expect(metric.timestamp?.value == expected.timestamp && metric.step?.value == expected.step, "\(generated.text)")
                }
                #expect((body.params ?? []).map { "\($0.key)=\($0.value)" } == generated.params.map { "\($0.0)=\($0.1)" }, "\(generated.text)")
            }
            if read != nil { fast += 1 }
        }
        // Escapes in values are read by the fast reader too: it falls back only rarely.
        #expect(fast > 1_900, "the fast reader took \(fast) of 2,000 bodies")
    }

    @Test func damagedBodiesAreNeverTakenByTheFastReader() throws {
        var random = SeededGenerator(seed: 17)
        for _ in 0..<2_000 {
            var bytes = Array(Self.generate(&random).text.utf8)
            switch random.next() % 3 {
            case 0: bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count))))
            case 1: bytes.insert([UInt8(ascii: "{"), UInt8(ascii: ","), UInt8(ascii: "]"), 0xFF][Int(random.next() % 4)], at: Int(random.next() % UInt64(bytes.count)))
            default: bytes += Array(",".utf8)
            }
            let foundation = try? JSONDecoder().decode(MLflowRunRequests.LogBatch.self, from: Data(bytes))
            let read = bytes.withUnsafeBufferPointer { MLflowFastBodies.logBatch($0) }
            // What the fast reader takes, Foundation takes too (the reverse need not hold: it falls back).
            if read != nil { #expect(foundation != nil, "\(String(decoding: bytes, as: UTF8.self))") }
        }
    }

    @Test func topLevelKeysAreTheObjectsKeys() throws {
        var random = SeededGenerator(seed: 18)
        for _ in 0..<2_000 {
            let text = Self.generate(&random).text
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(Set(JSONTopLevelKeys.scan(Array(text.utf8)) ?? []) == Set(object.keys), "\(text)")
        }
        #expect(JSONTopLevelKeys.scan(Array("[1, 2]".utf8)) == nil)
        #expect(JSONTopLevelKeys.scan(Array("{\"a\": {\"b\": \"}\"}, \"c\\\"d\": 1}".utf8)) == ["a", "c\\\"d"])
    }

    @Test func metricKeysReadBackAsLogged() {
        var random = SeededGenerator(seed: 19)
        let parts = ["eval", "val", "valid", "validation", "test", "train", "loss", "", "a b", "x"]
        for _ in 0..<2_000 {
            let key = (0..<Int(random.next() % 4 + 1)).map { _ in parts[Int(random.next() % UInt64(parts.count))] }.joined(separator: "/")
            let mapped = MLflowMetricKey(key)
            #expect(mapped.name == key, "\(key)")
            #expect(mapped.split == "train" || MLflowMetricKey.splits.contains(mapped.split))
            if mapped.split != "train" { #expect(!mapped.key.isEmpty && key.hasPrefix(mapped.split + "/")) }
        }
    }
}
