/// How a condition compares a run's value with the filter's: MLflow's comparators.
public enum FilterOperator: String, Sendable, Hashable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case like = "LIKE"
    case ilike = "ILIKE"
    case `in` = "IN"
    case notIn = "NOT IN"

    /// `<`, `<=`, `>`, `>=`: the comparisons that need numbers on both sides.
    public var isOrdering: Bool {
        switch self {
        case .less, .lessOrEqual, .greater, .greaterOrEqual: true
        default: false
        }
    }

    /// True when `lhs OP rhs` holds for two numbers (`=`/`!=` included; never for LIKE or IN).
    public func holds(_ lhs: Double, _ rhs: Double) -> Bool {
        switch self {
        case .equal: lhs == rhs
        case .notEqual: lhs != rhs
        case .less: lhs < rhs
        case .lessOrEqual: lhs <= rhs
        case .greater: lhs > rhs
        case .greaterOrEqual: lhs >= rhs
        case .like, .ilike, .in, .notIn: false
        }
    }

    /// Every operator, for error messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
