/// The value of one field of a ``PathTemplate``: what a template renders and what matching a path yields.
///
/// Matching gives each field the case of its format: `{name}`, `{name:path}` and `{name:ext}` give
/// ``string(_:)``; integer formats give ``int(_:)``; float formats give ``float(_:text:)`` with the exact
/// text matched, so rendering the value again reproduces the path byte for byte; a time format with a
/// year gives ``time(_:)``, one without a year gives ``partialTime(_:)``.
///
/// Equality is exact: `.float(0.831, text: "0.8310")` and `.float(0.831, text: nil)` differ. Compare
/// ``doubleValue`` to compare numbers.
public enum FieldValue: Hashable, Sendable, CustomStringConvertible {
    case string(String)
    case int(Int)
    /// A float, with the exact text it was parsed from (or should be written as), if any.
    case float(Double, text: String?)
    case time(LayoutTime)
    /// The components of a time whose format lacks a year (or other parts); see ``LayoutTime/Components``.
    case partialTime(LayoutTime.Components)

    /// The value as text: the string, the decimal integer, the float's exact text or shortest form,
    /// or the time in ISO 8601.
    public var stringValue: String? {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        case .float(let d, let text): text ?? d.description
        case .time(let t): t.iso8601
        case .partialTime: nil
        }
    }

    /// The value as an integer: the int, a string holding a decimal integer, an integral float, or a
    /// time's whole seconds since the epoch.
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .string(let s): return Int(s)
        case .float(let d, _):
            guard d.isFinite, d.rounded(.towardZero) == d, let i = Int(exactly: d) else { return nil }
            return i
        case .time(let t): return Int(exactly: t.secondsSinceEpoch)
        case .partialTime: return nil
        }
    }

    /// The value as a Double: the float, an int, or a string holding a number.
    public var doubleValue: Double? {
        switch self {
        case .float(let d, _): d
        case .int(let i): Double(i)
        case .string(let s): Double(s)
        case .time, .partialTime: nil
        }
    }

    /// The value as a complete time, if it is one.
    public var timeValue: LayoutTime? {
        if case .time(let t) = self { return t }
        return nil
    }

    /// The value's known time components: all of a ``time(_:)``, those of a ``partialTime(_:)``.
    public var timeComponents: LayoutTime.Components? {
        switch self {
        case .time(let t): t.utc
        case .partialTime(let c): c
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .string(let s): NameComponent.quoted(s)
        case .int(let i): String(i)
        case .float(let d, let text): text ?? d.description
        case .time(let t): t.iso8601
        case .partialTime(let c): c.description
        }
    }
}

extension FieldValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .float(value, text: nil) }
}
