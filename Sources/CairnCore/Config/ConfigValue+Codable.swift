/// JSON form of config values (Cairn's JSON output and API): null, booleans, numbers, strings, arrays
/// and objects. Non-finite floats are written as the encoder's configuration says (Cairn writes
/// `"nan"`, `"inf"`, `"-inf"`). Decoding reads an integral number as an int and any other as a float;
/// object keys are decoded in sorted order (JSON objects have no order).
extension ConfigValue: Codable {
    private struct MappingKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .int(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .float(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .list(let values):
            var container = encoder.unkeyedContainer()
            for value in values { try container.encode(value) }
        case .mapping(let mapping):
            var container = encoder.container(keyedBy: MappingKey.self)
            for (key, value) in mapping.entries { try container.encode(value, forKey: MappingKey(stringValue: key)) }
        }
    }

    public init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: MappingKey.self) {
            var mapping = ConfigMapping()
            for key in keyed.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                mapping.set(key.stringValue, try keyed.decode(ConfigValue.self, forKey: key))
            }
            self = .mapping(mapping)
            return
        }
        if var unkeyed = try? decoder.unkeyedContainer() {
            var values: [ConfigValue] = []
            while !unkeyed.isAtEnd { values.append(try unkeyed.decode(ConfigValue.self)) }
            self = .list(values)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let value = try? single.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? single.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? single.decode(Double.self) {
            self = .float(value)
        } else {
            self = .string(try single.decode(String.self))
        }
    }
}
