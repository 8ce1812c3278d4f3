import Foundation
import CairnCore

/// The one JSON configuration of Cairn's answers: every `--json` output of the CLI encodes
/// ``CairnAPI`` values through it (docs/FORMAT.md, *JSON output*), and so should any other program
/// that answers in Cairn's shapes.
///
/// ```swift
/// let text = try CairnJSON.document(store.info(of: run))   // one run, in the shape `cairn run ls --json` lists it
/// let back = try CairnJSON.decode(CairnAPI.Run.self, from: text)
/// ```
///
/// - Keys are snake_case (each type names its keys) and sorted, so output is stable and diffable.
/// - Times are ISO 8601 UTC strings with milliseconds (`2026-11-23T03:40:11.482Z`).
/// - NaN and ±infinity, which JSON cannot hold, are the strings `"nan"`, `"inf"` and `"-inf"`, as in
///   the checkpoint manifest and the metrics CSV.
/// - Absent values are `null`, never a missing key: every object of a type has the same keys.
/// - Slashes are not escaped.
public enum CairnJSON {
    /// One pretty-printed document (two-space indents), without a trailing newline.
    /// - Parameter value: the value to encode, usually a ``CairnAPI`` value or an array of them.
    /// - Returns: the JSON text.
    /// - Throws: `CairnError` of kind `.io` if the value cannot be encoded.
    public static func document(_ value: some Encodable) throws(CairnError) -> String {
        try encode(value, pretty: true)
    }

    /// One compact line (JSON Lines), without the newline.
    /// - Parameter value: the value to encode (`cairn logs --json` writes one ``CairnAPI/LogLine`` a line).
    /// - Returns: the JSON text, on one line.
    /// - Throws: `CairnError` of kind `.io` if the value cannot be encoded.
    public static func line(_ value: some Encodable) throws(CairnError) -> String {
        try encode(value, pretty: false)
    }

    /// Decodes a value written by ``document(_:)`` or ``line(_:)`` (or by another client of the same
    /// format): `"nan"`, `"inf"` and `"-inf"` are read back as numbers.
    /// - Parameters:
    ///   - type: the type to decode, e.g. `CairnAPI.Checkpoint.self`.
    ///   - text: the JSON text.
    /// - Returns: the decoded value.
    /// - Throws: `CairnError` of kind `.invalidValue` saying where the text is wrong.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws(CairnError) -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw CairnError(.invalidValue, "the text is not a valid \(T.self) in Cairn's JSON", cause: "\(error)")
        }
    }

    private static func encode(_ value: some Encodable, pretty: Bool) throws(CairnError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw CairnError(.io, "cannot encode \(type(of: value)) as JSON", cause: "\(error)")
        }
    }
}
