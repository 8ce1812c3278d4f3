import CairnCore
import CairnFormats

/// Reading the fields of an agent request (a JSON object read by ``ConfigJSON``, Python's `NaN` and
/// infinities taken).
extension ConfigValue {
    /// The value of `key` in a mapping, nil if absent (or not a mapping).
    subscript(key: String) -> ConfigValue? { mappingValue?[key] }

    var string: String? { if case .string(let text) = self { text } else { nil } }
    var list: [ConfigValue]? { if case .list(let items) = self { items } else { nil } }
    var bool: Bool? { if case .bool(let flag) = self { flag } else { nil } }
    var isNull: Bool { if case .null = self { true } else { false } }

    /// An integer (written without a fraction or exponent).
    var int: Int64? { if case .int(let number) = self { number } else { nil } }

    /// Any number as a Double (NaN and the infinities included).
    var double: Double? {
        switch self {
        case .int(let number): Double(number)
        case .float(let number): number
        default: nil
        }
    }

    /// Compact JSON text (NaN and the infinities as `null`).
    var jsonText: String { ConfigJSON.string(self) }
}
