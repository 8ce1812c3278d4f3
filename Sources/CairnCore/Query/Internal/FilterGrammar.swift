/// The filter and ordering grammar (see ``RunFilter``): a hand-written reader that never recurses, so
/// its cost is linear in the text and a hostile filter cannot exhaust the stack.
enum FilterGrammar {
    static let fieldExample = "a field such as metrics.loss, params.lr, tags.team, attributes.status or checkpoints.best.loss"

    static func conditions(_ text: String) throws(FilterError) -> [FilterCondition] {
        var scanner = try checkedScanner(text)
        var conditions: [FilterCondition] = []
        scanner.skipSpace()
        guard !scanner.atEnd else { return [] }
        while true {
            if conditions.count == RunFilter.maximumConditions {
                throw FilterError(column: scanner.column, "a filter holds at most \(RunFilter.maximumConditions) conditions")
            }
            conditions.append(try condition(&scanner))
            scanner.skipSpace()
            if scanner.atEnd { return conditions }
            let column = scanner.column
            switch scanner.peekKeyword() {
            case "AND":
                _ = scanner.word()
                scanner.skipSpace()
                if scanner.atEnd { throw FilterError(column: scanner.column, "expected a condition after AND") }
            case "OR":
                throw FilterError(column: column, "OR is not supported: MLflow's filter syntax joins conditions with AND only (run two searches instead)")
            default:
                throw FilterError(column: column, "expected AND or the end of the filter, found \(scanner.found)")
            }
        }
    }

    static func ordering(_ text: String) throws(FilterError) -> RunOrdering {
        var scanner = try checkedScanner(text)
        scanner.skipSpace()
        let (field, _) = try self.field(&scanner)
        scanner.skipSpace()
        var descending = false
        let column = scanner.column
        switch scanner.peekKeyword() {
        case "ASC": _ = scanner.word()
        case "DESC": _ = scanner.word(); descending = true
        case nil where scanner.atEnd: break
        default: throw FilterError(column: column, "expected ASC, DESC or the end, found \(scanner.found)")
        }
        scanner.skipSpace()
        guard scanner.atEnd else {
            throw FilterError(column: scanner.column, "expected the end after the direction, found \(scanner.found) (give each key its own --order-by)")
        }
        return RunOrdering(field, descending: descending)
    }

    private static func checkedScanner(_ text: String) throws(FilterError) -> FilterScanner {
        let scanner = FilterScanner(text)
        if scanner.scalars.count > RunFilter.maximumLength {
            throw FilterError(column: RunFilter.maximumLength + 1, "the text is \(scanner.scalars.count) characters long; at most \(RunFilter.maximumLength) are read")
        }
        if let bad = scanner.scalars.firstIndex(where: { $0.properties.generalCategory == .control && !$0.properties.isWhitespace }) {
            throw FilterError(column: bad + 1, "a control character (U+\(String(scanner.scalars[bad].value, radix: 16, uppercase: true))) is not allowed")
        }
        return scanner
    }

    // MARK: Conditions

    private static func condition(_ scanner: inout FilterScanner) throws(FilterError) -> FilterCondition {
        let (field, _) = try self.field(&scanner)
        scanner.skipSpace()
        let opColumn = scanner.column
        let op = try self.op(&scanner, after: field)
        scanner.skipSpace()
        let valueColumn = scanner.column
        let values: [FilterLiteral]
        switch op {
        case .in, .notIn: values = try list(&scanner)
        default: values = [try literal(&scanner, for: field)]
        }
        try check(field: field, op: op, values: values, opColumn: opColumn, valueColumn: valueColumn)
        return FilterCondition(field: field, op: op, values: values)
    }

    static func field(_ scanner: inout FilterScanner) throws(FilterError) -> (FilterField, Int) {
        let start = scanner.column
        let entity: String
        if let quoted = try scanner.quoted("`") {
            entity = quoted
        } else if let word = scanner.word() {
            entity = word
        } else {
            throw FilterError(column: start, "expected \(fieldExample), found \(scanner.found)")
        }
        guard scanner.take(".") else {
            guard let attribute = RunAttribute(key: entity) else {
                throw FilterError(column: start, "'\(entity)' is not a field: expected \(fieldExample)")
            }
            return (.attribute(attribute), start)
        }
        switch entity {
        case "metric", "metrics":
            return (.metric(try key(&scanner, of: "metrics")), start)
        case "param", "params", "parameter", "parameters":
            return (.param(try key(&scanner, of: "params")), start)
        case "tag", "tags":
            return (.tag(try key(&scanner, of: "tags")), start)
        case "attribute", "attributes", "attr", "run":
            let column = scanner.column
            let name = try key(&scanner, of: "attributes")
            guard let attribute = RunAttribute(key: name) else {
                throw FilterError(column: column, "'\(name)' is not an attribute: expected one of \(RunAttribute.names)")
            }
            return (.attribute(attribute), start)
        case "checkpoint", "checkpoints":
            let column = scanner.column
            let pointer = scanner.word().flatMap(FilterField.CheckpointPointer.init(rawValue:))
            guard let pointer, scanner.take(".") else {
                throw FilterError(column: column, "expected best.KEY or last.KEY after checkpoints. (the metrics recorded with the run's best or last checkpoint)")
            }
            return (.checkpointMetric(pointer, try key(&scanner, of: "checkpoints.\(pointer.rawValue)")), start)
        case "dataset", "datasets":
            throw FilterError(column: start, "Cairn does not record datasets; expected \(fieldExample)")
        default:
            throw FilterError(column: start, "'\(entity)' is not a kind of field: expected metrics, params, tags, attributes or checkpoints")
        }
    }

    private static func key(_ scanner: inout FilterScanner, of entity: String) throws(FilterError) -> String {
        let column = scanner.column
        let key = try scanner.quoted("`\"") ?? scanner.bareKey()
        guard !key.isEmpty else {
            throw FilterError(column: column, "expected a key after \(entity). (in backquotes if it holds spaces or other signs), found \(scanner.found)")
        }
        return key
    }

    private static func op(_ scanner: inout FilterScanner, after field: FilterField) throws(FilterError) -> FilterOperator {
        for (text, op) in [("!=", FilterOperator.notEqual), ("<=", .lessOrEqual), (">=", .greaterOrEqual),
                           ("<", .less), (">", .greater), ("=", .equal)] where scanner.take(text) {
            if op == .equal, scanner.peek == "=" {
                throw FilterError(column: scanner.column - 1, "expected = (one equals sign), found '=='")
            }
            return op
        }
        let column = scanner.column
        switch scanner.peekKeyword() {
        case "LIKE": _ = scanner.word(); return .like
        case "ILIKE": _ = scanner.word(); return .ilike
        case "IN": _ = scanner.word(); return .in
        case "NOT":
            _ = scanner.word()
            scanner.skipSpace()
            guard scanner.peekKeyword() == "IN" else {
                throw FilterError(column: scanner.column, "expected IN after NOT, found \(scanner.found)")
            }
            _ = scanner.word()
            return .notIn
        default:
            throw FilterError(column: column, "expected an operator (\(FilterOperator.names)) after \(field), found \(scanner.found)")
        }
    }

    private static func literal(_ scanner: inout FilterScanner, for field: FilterField) throws(FilterError) -> FilterLiteral {
        let column = scanner.column
        if let text = try scanner.quoted("'\"") { return .string(text) }
        if let (value, text) = scanner.number() { return .number(value, text: text) }
        let example = field.isNumeric ? "a number such as 0.5" : "a quoted string such as 'adam'"
        throw FilterError(column: column, "expected \(example) after the operator, found \(scanner.found)")
    }

    private static func list(_ scanner: inout FilterScanner) throws(FilterError) -> [FilterLiteral] {
        guard scanner.take("(") else {
            throw FilterError(column: scanner.column, "expected ( and a list of quoted strings after IN, found \(scanner.found)")
        }
        var values: [FilterLiteral] = []
        while true {
            scanner.skipSpace()
            let column = scanner.column
            if let text = try scanner.quoted("'\"") {
                values.append(.string(text))
            } else if let (value, text) = scanner.number() {
                values.append(.number(value, text: text))
            } else {
                throw FilterError(column: column, "expected a quoted string in the IN list, found \(scanner.found)")
            }
            if values.count > RunFilter.maximumListLength {
                throw FilterError(column: column, "an IN list holds at most \(RunFilter.maximumListLength) values")
            }
            scanner.skipSpace()
            if scanner.take(")") { return values }
            guard scanner.take(",") else {
                throw FilterError(column: scanner.column, "expected , or ) in the IN list, found \(scanner.found)")
            }
        }
    }

    // MARK: Types

    private static func check(field: FilterField, op: FilterOperator, values: [FilterLiteral],
                              opColumn: Int, valueColumn: Int) throws(FilterError) {
        switch field {
        case .metric, .checkpointMetric, .attribute(.startTime), .attribute(.endTime), .attribute(.duration):
            if !(op.isOrdering || op == .equal || op == .notEqual) {
                throw FilterError(column: opColumn, "\(field) is a number: compare it with =, !=, <, <=, > or >= (\(op.rawValue) is for text)")
            }
            if case .string(let text) = values[0] {
                throw FilterError(column: valueColumn, "\(field) is a number: compare it with a number, not the string '\(text)'")
            }
        case .tag, .attribute:
            if op.isOrdering {
                throw FilterError(column: opColumn, "\(field) is text: compare it with =, !=, LIKE, ILIKE, IN or NOT IN (\(op.rawValue) is for numbers)")
            }
            if let index = values.firstIndex(where: { if case .number = $0 { true } else { false } }) {
                throw FilterError(column: valueColumn, "\(field) is text: write the value \(values[index].text) in quotes ('\(values[index].text)')")
            }
        case .param:
            if op.isOrdering, values[0].numericValue == nil {
                throw FilterError(column: valueColumn, "\(field) \(op.rawValue) compares numbers: '\(values[0].text)' is not a number")
            }
            if op == .like || op == .ilike || op == .in || op == .notIn,
               let index = values.firstIndex(where: { if case .number = $0 { true } else { false } }) {
                throw FilterError(column: valueColumn, "\(op.rawValue) compares text: write the value \(values[index].text) in quotes ('\(values[index].text)')")
            }
        }
    }
}
