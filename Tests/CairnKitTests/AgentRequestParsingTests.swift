import CairnCore
import Foundation
import Testing
@testable import CairnKit

/// The agent protocol's requests, read by Cairn's JSON reader: what Python's `json` module writes (NaN
/// and the infinities included) is read, objects keep their order, and a malformed line is one clear
/// error naming where.
@Suite("Agent protocol: parsing")
struct AgentRequestParsingTests {
    static func parse(_ text: String) throws(CairnError) -> ConfigValue { try AgentProtocol.parse(Array(text.utf8)) }

    @Test func readsWhatPythonWrites() throws {
        let value = try Self.parse(#"{"id": 3, "op": "log", "entries": [[{"loss": 0.25, "n": NaN, "p": Infinity, "m": -Infinity}, 7, null, 1764.5]], "s": "a\"b\\c\u00e9\ud83d\ude00\n", "t": true, "f": false}"#)
        #expect(value["id"]?.int == 3)
        #expect(value["op"]?.string == "log")
        let entry = try #require(value["entries"]?.list?.first?.list)
        #expect(entry[0]["loss"]?.double == 0.25)
        #expect(entry[0]["n"]?.double?.isNaN == true)
        #expect(entry[0]["p"]?.double == .infinity && entry[0]["m"]?.double == -.infinity)
        #expect(entry[1].int == 7 && entry[2].isNull && entry[3].double == 1764.5)
        #expect(value["s"]?.string == "a\"b\\cé😀\n")
        #expect(value["t"]?.bool == true && value["f"]?.bool == false)
    }

    @Test func objectsKeepTheirOrder() throws {
        let value = try Self.parse(#"{"z": 1, "a": {"y": 2.5, "b": [1, "x"]}, "m": null}"#)
        #expect(value.mappingValue?.keys == ["z", "a", "m"])
        #expect(value["z"] == .int(1))
        #expect(value.jsonText == #"{"z":1,"a":{"y":2.5,"b":[1,"x"]},"m":null}"#)
    }

    @Test(arguments: ["", "{", #"{"a" 1}"#, #"{"a": 1,}"#, "[1 2]", #""abc"#, "01x", "-", "1.", "1e", #""\x""#,
                      #""\ud800""#, "nul", "{} {}", "\"a\u{01}\"", #"{"a": 1, "a": 2}"#, "Nan", "-Inf"])
    func malformedTextIsOneClearError(_ text: String) {
        do {
            _ = try Self.parse(text)
            Issue.record("'\(text)' was accepted")
        } catch {
            #expect(error.kind == .invalidValue)
            #expect(error.message.hasPrefix("a request to the Cairn agent is not valid JSON (request:1:"), "\(error.message)")
            #expect(!error.message.contains("\n"))
        }
    }

    @Test func bytesThatAreNotUTF8AreRefused() {
        #expect(throws: CairnError.self) { try AgentProtocol.parse([0x22, 0xFF, 0x22]) }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        #expect(throws: CairnError.self) { try Self.parse(String(repeating: "[", count: 10_000)) }
    }
}
