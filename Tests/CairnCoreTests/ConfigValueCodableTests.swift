import CairnCore
import Foundation
import Testing

/// Config values and policies in Cairn's JSON: every kind of value, and back.
@Suite struct ConfigValueCodableTests {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test(arguments: [
        (ConfigValue.null, "null"), (.bool(true), "true"), (.int(-3), "-3"), (.float(0.5), "0.5"), (.string("yes"), "\"yes\""),
        (.float(.infinity), "\"inf\""), (.float(.nan), "\"nan\""),
        (ConfigValue.list([1, "x", [true]]), "[1,\"x\",[true]]"),
        (ConfigValue.mapping(["b": 1, "a": ["c": .null]]), "{\"a\":{\"c\":null},\"b\":1}"),
    ])
    func encodes(_ value: ConfigValue, json: String) throws {
        #expect(try Self.encode(value) == json)
    }

    @Test(arguments: [
        ConfigValue.null, .bool(false), .int(64), .float(3e-4), .string("3e-4"), .list([64, 128]),
        .mapping(["lr": 0.1, "name": "a", "sizes": [1, 2]]),  // keys in sorted order: JSON objects have none
    ])
    func roundTrips(_ value: ConfigValue) throws {
        let decoded = try JSONDecoder().decode(ConfigValue.self, from: Data(try Self.encode(value).utf8))
        #expect(decoded == value)
    }

    @Test func policiesRoundTripWithEveryKey() throws {
        let policy = CheckpointPolicy(saveStrategy: .best, monitor: "val_loss", mode: .max, topK: 3, keepEpochs: [10, 15], keepPeriod: 5)
        let json = try Self.encode(policy)
        for key in CheckpointPolicy.knownKeys { #expect(json.contains("\"\(key)\":"), "\(key) missing from \(json)") }
        #expect(try JSONDecoder().decode(CheckpointPolicy.self, from: Data(json.utf8)) == policy)
        #expect(try JSONDecoder().decode(CheckpointPolicy.self, from: Data(try Self.encode(CheckpointPolicy()).utf8)) == CheckpointPolicy())
    }

    @Test func anUnknownModeIsAnError() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(CheckpointPolicy.self, from: Data("{\"mode\": \"median\"}".utf8)) }
    }

    @Test(arguments: [
        ("64", ConfigValue.int(64)), ("3e-4", .float(3e-4)), ("yes", .bool(true)), ("'yes'", .string("yes")), ("[1, 2]", .list([1, 2])),
        ("{a: 1}", .mapping(["a": 1])), ("[1, 2", .string("[1, 2")), ("a b", .string("a b")), ("", .null),
    ])
    func textIsTypedAsSetValuesAre(_ text: String, expected: ConfigValue) {
        #expect(ConfigValue(typing: text) == expected)
    }
}
