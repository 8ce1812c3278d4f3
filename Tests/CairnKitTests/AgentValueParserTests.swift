import CairnCore
import Foundation
import Testing
@testable import CairnKit

/// The agent protocol's JSON: what Python's `json` module writes (NaN and the infinities included) is
/// read, objects keep their order, and a malformed line is one clear error.
@Suite("Agent protocol: parsing")
struct AgentValueParserTests {
    static func parse(_ text: String) throws(CairnError) -> AgentValue { try AgentValueParser.parse(Array(text.utf8)) }

    @Test func readsWhatPythonWrites() throws {
        let value = try Self.parse(#"{"id": 3, "op": "log", "entries": [[{"loss": 0.25, "n": NaN, "p": Infinity, "m": -Infinity}, 7, null, 1764.5]], "s": "a\"b\\c\u00e9\ud83d\ude00\n", "t": true, "f": false}"#)
        #expect(value["id"]?.int == 3)
        #expect(value["op"]?.string == "log")
        let entry = try #require(value["entries"]?.array?.first?.array)
        #expect(entry[0]["loss"]?.double == 0.25)
        #expect(entry[0]["n"]?.double?.isNaN == true)
        #expect(entry[0]["p"]?.double == .infinity && entry[0]["m"]?.double == -.infinity)
        #expect(entry[1].int == 7 && entry[2].isNull && entry[3].double == 1764.5)
        #expect(value["s"]?.string == "a\"b\\cé😀\n")
        #expect(value["t"]?.bool == true && value["f"]?.bool == false)
    }

    @Test func objectsKeepTheirOrderAndBecomeConfigs() throws {
        let value = try Self.parse(#"{"z": 1, "a": {"y": 2.5, "b": [1, "x"]}, "m": null}"#)
        #expect(value.members?.map(\.key) == ["z", "a", "m"])
        guard case .mapping(let mapping) = value.configValue else { Issue.record("not a mapping"); return }
        #expect(mapping.entries.map(\.key) == ["z", "a", "m"])
        #expect(mapping["z"] == .int(1))
        #expect(value.jsonText == #"{"z":1,"a":{"y":2.5,"b":[1,"x"]},"m":null}"#)
    }

    @Test(arguments: [
        ("", "ends where a value should be"), ("{", "not a string"), (#"{"a" 1}"#, "missing ':'"), (#"{"a": 1,}"#, "not a string"),
        ("[1 2]", "missing ','"), (#""abc"#, "not closed"), ("01x", "text after the value"), ("-", "without digits"),
        ("1.", "after '.'"), ("1e", "exponent"), (#""\x""#, "unknown escape"), (#""\ud800""#, "lone surrogate"),
        ("nul", "unexpected character"), ("{} {}", "text after the value"), ("\"a\u{01}\"", "control character"),
    ])
    func malformedTextIsOneClearError(_ text: String, _ expected: String) {
        do {
            _ = try Self.parse(text)
            Issue.record("'\(text)' was accepted")
        } catch {
            #expect(error.kind == .invalidValue)
            #expect(error.message.contains(expected), "\(error.message)")
            #expect(error.message.contains("at byte"))
        }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        #expect(throws: CairnError.self) { try Self.parse(String(repeating: "[", count: 10_000)) }
    }
}
