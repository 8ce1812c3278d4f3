/// A JSON Schema (OpenAPI 3.0's dialect) of a Codable type, written out with sorted keys so that the
/// generated document is byte-for-byte stable.
indirect enum JSONSchema: Equatable, Sendable {
    case string(format: String?)
    case enumeration([String])
    case integer(format: String)
    /// A double: a number, or the strings Cairn writes for NaN and the infinities.
    case number
    case boolean
    /// Any JSON value (a config value, a typed param).
    case any
    case array(JSONSchema)
    /// An object with string keys and values of one schema.
    case map(JSONSchema)
    /// An object with these properties (in the order the type decodes them); the non-nullable ones
    /// are required.
    case object([(String, JSONSchema)])
    case nullable(JSONSchema)
    /// A named schema of `components/schemas`.
    case reference(String)

    static func == (lhs: JSONSchema, rhs: JSONSchema) -> Bool { lhs.json == rhs.json }

    var isNullable: Bool {
        if case .nullable = self { return true }
        return false
    }

    /// The schema as JSON text (keys sorted).
    var json: String {
        switch self {
        case .string(let format):
            return format.map { "{\"format\":\"\($0)\",\"type\":\"string\"}" } ?? "{\"type\":\"string\"}"
        case .enumeration(let values):
            return "{\"enum\":[" + values.map { "\"\($0)\"" }.joined(separator: ",") + "],\"type\":\"string\"}"
        case .integer(let format):
            return "{\"format\":\"\(format)\",\"type\":\"integer\"}"
        case .number:
            return "{\"oneOf\":[{\"type\":\"number\"},{\"enum\":[\"nan\",\"inf\",\"-inf\"],\"type\":\"string\"}]}"
        case .boolean:
            return "{\"type\":\"boolean\"}"
        case .any:
            return "{}"
        case .array(let items):
            return "{\"items\":\(items.json),\"type\":\"array\"}"
        case .map(let values):
            return "{\"additionalProperties\":\(values.json),\"type\":\"object\"}"
        case .object(let properties):
            let sorted = properties.sorted { $0.0 < $1.0 }
            let members = sorted.map { "\"\($0.0)\":\($0.1.json)" }.joined(separator: ",")
            // Nullable keys are written as null by Cairn's answers, but a few are left out when absent
            // (a run's `columns` outside `run ls --columns`): only the others are required.
            let required = sorted.filter { !$0.1.isNullable }.map { "\"\($0.0)\"" }.joined(separator: ",")
            return "{\"properties\":{\(members)}," + (required.isEmpty ? "" : "\"required\":[\(required)],") + "\"type\":\"object\"}"
        case .nullable(let inner):
            switch inner {
            case .any, .nullable: return inner.json
            case .reference(let name): return "{\"allOf\":[{\"$ref\":\"#/components/schemas/\(name)\"}],\"nullable\":true}"
            default:
                // `"nullable": true` beside the inner schema's own keys.
                var text = inner.json
                text.removeFirst()
                return "{\"nullable\":true," + text
            }
        case .reference(let name):
            return "{\"$ref\":\"#/components/schemas/\(name)\"}"
        }
    }
}
