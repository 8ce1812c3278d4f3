import CairnCore

/// A JSON value of the agent protocol, as a client sent it. Numbers keep their text (an integer stays
/// an integer) and may be `NaN`, `Infinity` or `-Infinity`, as Python's `json` module writes them.
public enum AgentValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number's text as sent (`3`, `-0.5`, `1e-3`, `NaN`, `Infinity`, `-Infinity`).
    case number(String)
    case string(String)
    case array([AgentValue])
    /// An object's members in the order sent (a config keeps its keys' order).
    case object([Member])

    /// One member of an object.
    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: AgentValue
    }

    /// The value of `key` in an object (its last occurrence), nil if absent (or not an object).
    public subscript(key: String) -> AgentValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    public var string: String? { if case .string(let text) = self { text } else { nil } }
    public var array: [AgentValue]? { if case .array(let items) = self { items } else { nil } }
    public var members: [Member]? { if case .object(let members) = self { members } else { nil } }
    public var bool: Bool? { if case .bool(let flag) = self { flag } else { nil } }
    public var isNull: Bool { self == .null }

    /// The number as a Double (NaN and the infinities included), nil if not a number.
    public var double: Double? {
        guard case .number(let text) = self else { return nil }
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: return Double(text)
        }
    }

    /// The number as an integer, nil if not a number written without a fraction or exponent.
    public var int: Int64? {
        guard case .number(let text) = self else { return nil }
        return Int64(text)
    }

    /// The value as a config value: objects as mappings (in the order sent), integers as ints.
    public var configValue: ConfigValue {
        switch self {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .number: return int.map(ConfigValue.int) ?? .float(double ?? .nan)
        case .string(let text): return .string(text)
        case .array(let items): return .list(items.map(\.configValue))
        case .object(let members):
            var mapping = ConfigMapping()
            for member in members { mapping[member.key] = member.value.configValue }
            return .mapping(mapping)
        }
    }
}
