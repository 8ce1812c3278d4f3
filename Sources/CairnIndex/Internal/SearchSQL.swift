import CairnCore

/// The SQL of a ``RunQuery``: one `SELECT` of run ids, each field a filter or an ordering names joined
/// once (inner for a condition, since a run lacking the field meets no condition; left for an ordering
/// alone), values bound as arguments, never spliced into the text.
package struct SearchSQL {
    package private(set) var sql = ""
    package private(set) var arguments: [SQLArgument] = []

    private var joins: [String] = []
    private var joinArguments: [SQLArgument] = []
    private var conditions: [String] = []
    private var conditionArguments: [SQLArgument] = []
    private var aliases: [FilterField: String] = [:]
    /// Fields a condition compares as numbers: every row selected has a number there (a comparison with
    /// NULL is never true), so ordering by them needs no "missing last" term, and SQLite can walk an
    /// index in the order asked and stop at the limit instead of sorting every match.
    private var numericConditions: Set<FilterField> = []
    private let dialect: SQLDialect

    package init(_ query: RunQuery, dialect: SQLDialect) {
        self.dialect = dialect
        if let experiments = query.experiments {
            if experiments.isEmpty {
                conditions.append("1 = 0")
            } else {
                conditions.append("r.experiment_id IN (" + Self.placeholders(experiments.count) + ")")
                conditionArguments += experiments.map { .integer(Int64($0.value)) }
            }
        }
        switch query.lifecycle {
        case .active: conditions.append("r.deleted_at IS NULL")
        case .deleted: conditions.append("r.deleted_at IS NOT NULL")
        case .all: break
        }
        for condition in query.filter.conditions { add(condition) }
        var order: [String] = []
        for ordering in query.orderings { order += orderTerms(ordering) }
        order += ["r.start_time DESC", dialect.bytewise("r.id") + " ASC"]
        var text = "SELECT r.id FROM runs r"
        for join in joins { text += " " + join }
        if !conditions.isEmpty { text += " WHERE " + conditions.joined(separator: " AND ") }
        text += " ORDER BY " + order.joined(separator: ", ")
        var arguments = joinArguments + conditionArguments
        if let limit = query.limit {
            text += " LIMIT ?"
            arguments.append(.integer(Int64(limit)))
        } else if query.offset > 0 {
            text += " " + dialect.unlimited
        }
        if query.offset > 0 {
            text += " OFFSET ?"
            arguments.append(.integer(Int64(query.offset)))
        }
        sql = text
        self.arguments = arguments
    }

    package static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    // MARK: Fields

    /// The alias of a field's joined row, joining it first if needed.
    private mutating func alias(of field: FilterField, inner: Bool) -> String {
        if let alias = aliases[field] { return alias }
        let alias = "j\(aliases.count)"
        aliases[field] = alias
        let kind = inner ? "JOIN" : "LEFT JOIN"
        switch field {
        case .metric(let name):
            joins.append("\(kind) metrics \(alias) ON \(alias).run_id = r.id AND \(alias).name = ?")
            joinArguments.append(.text(name))
        case .param(let key):
            joins.append("\(kind) params \(alias) ON \(alias).run_id = r.id AND \(alias).key = ?")
            joinArguments.append(.text(key))
        case .tag(let key):
            joins.append("\(kind) tags \(alias) ON \(alias).run_id = r.id AND \(alias).key = ?")
            joinArguments.append(.text(key))
        case .checkpointMetric(let pointer, let key):
            joins.append("\(kind) checkpoint_metrics \(alias) ON \(alias).run_id = r.id AND \(alias).pointer = ? AND \(alias).key = ?")
            joinArguments += [.text(pointer.rawValue), .text(key)]
        case .attribute:
            break
        }
        return alias
    }

    private static func column(_ attribute: RunAttribute) -> String {
        switch attribute {
        case .runID: "r.id"
        case .runName: "r.name"
        case .status: "r.status"
        case .startTime: "r.start_time"
        case .endTime: "r.end_time"
        case .user: "r.user_name"
        case .experiment: "r.experiment"
        case .duration: "(r.end_time - r.start_time)"
        }
    }

    /// The expression of a field's value: a number for numeric comparisons, else text.
    private mutating func expression(_ field: FilterField, numeric: Bool, inner: Bool) -> String {
        if case .attribute(let attribute) = field { return Self.column(attribute) }
        let alias = self.alias(of: field, inner: inner)
        switch field {
        case .param: return numeric ? "\(alias).number" : "\(alias).value"
        default: return "\(alias).value"
        }
    }

    // MARK: Conditions

    private mutating func add(_ condition: FilterCondition) {
        let numeric = condition.comparesNumerically
        let expression = self.expression(condition.field, numeric: numeric, inner: true)
        if numeric {
            numericConditions.insert(condition.field)
            conditions.append("\(expression) \(condition.op.rawValue) ?")
            conditionArguments.append(.real(condition.value.numericValue ?? .nan))
            return
        }
        switch condition.op {
        case .like, .ilike:
            conditions.append(dialect.like(expression, condition.op == .ilike))
            conditionArguments.append(.text(condition.value.text))
        case .in, .notIn:
            conditions.append("\(dialect.bytewise(expression)) \(condition.op.rawValue) (" + Self.placeholders(condition.values.count) + ")")
            conditionArguments += condition.values.map { .text($0.text) }
        default:
            conditions.append("\(dialect.bytewise(expression)) \(condition.op.rawValue) ?")
            conditionArguments.append(.text(condition.value.text))
        }
    }

    // MARK: Order

    private mutating func orderTerms(_ ordering: RunOrdering) -> [String] {
        let direction = ordering.descending ? "DESC" : "ASC"
        let field = ordering.field
        if numericConditions.contains(field) {
            return ["\(expression(field, numeric: true, inner: true)) \(direction)"]
        }
        if case .param = field {
            let number = self.expression(field, numeric: true, inner: false)
            let text = self.expression(field, numeric: false, inner: false)
            return ["(\(text) IS NULL) ASC", "(\(number) IS NULL) ASC", "\(number) \(direction)",
                    "\(dialect.bytewise("CASE WHEN \(number) IS NULL THEN \(text) END")) \(direction)"]
        }
        let value = self.expression(field, numeric: field.isNumeric, inner: false)
        let sorted = field.isNumeric ? value : dialect.bytewise(value)
        return ["(\(value) IS NULL) ASC", "\(sorted) \(direction)"]
    }
}
