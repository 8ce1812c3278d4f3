/// One comparison of a filter: `FIELD OPERATOR VALUE`, or `FIELD [NOT] IN (VALUE, …)`.
public struct FilterCondition: Sendable, Hashable, CustomStringConvertible {
    /// What is compared.
    public var field: FilterField
    /// How.
    public var op: FilterOperator
    /// With what: one literal, or the list of an `IN`.
    public var values: [FilterLiteral]

    /// A condition. The parser checks that the operator and values suit the field.
    public init(field: FilterField, op: FilterOperator, values: [FilterLiteral]) {
        self.field = field
        self.op = op
        self.values = values
    }

    /// The single value of a condition that is not an `IN`.
    public var value: FilterLiteral { values[0] }

    /// How the condition compares: numerically or as text (see ``RunFilter`` for the rules).
    public var comparesNumerically: Bool {
        switch field {
        case .metric, .checkpointMetric: return true
        case .attribute(let attribute): return attribute.isNumeric
        case .tag: return false
        case .param:
            if op.isOrdering { return true }
            if op == .equal || op == .notEqual, case .number = value { return true }
            return false
        }
    }

    public var description: String {
        switch op {
        case .in, .notIn: "\(field) \(op.rawValue) (" + values.map(\.description).joined(separator: ", ") + ")"
        default: "\(field) \(op.rawValue) \(value)"
        }
    }
}
