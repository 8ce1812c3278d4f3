import Foundation
import CairnCore

/// The JSON encoder and decoder for Cairn's records: sorted keys, pretty-printed, a trailing newline.
enum JSONCoding {
    static func encode<T: Encodable>(_ value: T) throws(CairnError) -> [UInt8] {
        // Cairn's own encoder writes the same bytes, faster; what it leaves to Foundation's goes there.
        do {
            return try RecordJSONEncoder.encode(value) + [10]
        } catch is RecordJSONEncoder.Unsupported {
        } catch {
            throw CairnError(.io, "cannot encode \(T.self) as JSON", cause: "\(error)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(value)) + [10]
        } catch {
            throw CairnError(.io, "cannot encode \(T.self) as JSON", cause: "\(error)")
        }
    }

    /// One line of a JSON Lines file: compact, sorted keys, no newline.
    static func encodeLine<T: Encodable>(_ value: T) throws(CairnError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(value))
        } catch {
            throw CairnError(.io, "cannot encode \(T.self) as JSON", cause: "\(error)")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], path: String) throws(CairnError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw CairnError(.corrupt, "'\(path)' is not a valid \(T.self) file", hint: "restore it from a backup or remove it",
                             cause: describe(error))
        }
    }

    /// A run record: read by ``CairnCore/RunRecord/init(recordJSON:)`` when it takes the bytes (records
    /// as Cairn writes them), else by ``decode(_:from:path:)``, which reads or explains the rest.
    static func runRecord(from bytes: [UInt8], path: String) throws(CairnError) -> RunRecord {
        if let record = RunRecord(recordJSON: bytes) { return record }
        return try decode(RunRecord.self, from: bytes, path: path)
    }

    /// An object of strings (`params.json`, `tags.json`): read by ``CairnCore/StringMapJSON`` when it
    /// takes the bytes, else by ``decode(_:from:path:)``.
    static func stringMap(from bytes: [UInt8], path: String) throws(CairnError) -> [String: String] {
        if let map = StringMapJSON.read(bytes) { return map }
        return try decode([String: String].self, from: bytes, path: path)
    }

    static func read<T: Decodable>(_ type: T.Type, at path: String) throws(CairnError) -> T {
        try decode(type, from: try FileSystem.read(path), path: path)
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context):
            return context.debugDescription + at(context)
        case DecodingError.keyNotFound(let key, let context):
            return "missing key '\(key.stringValue)'" + at(context)
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return context.debugDescription + at(context)
        default:
            return "\(error)"
        }
    }

    private static func at(_ context: DecodingError.Context) -> String {
        context.codingPath.isEmpty ? "" : " at " + context.codingPath.map(\.stringValue).joined(separator: ".")
    }
}
