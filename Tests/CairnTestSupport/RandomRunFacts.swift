import CairnCore

/// Random runs and random filters over them, for property tests of filters, orderings and the index.
///
/// Keys and values come from small pools, so that generated filters often hit, often miss and often name
/// a field a run lacks; texts include LIKE's wildcards, quotes, non-ASCII letters and numbers in several
/// spellings.
public struct RandomRunFacts {
    public var random: SeededGenerator

    public init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    public static let paramKeys = ["lr", "training.lr", "batch", "optimizer", "name with space", "é"]
    public static let tagKeys = ["team", "note", "stage"]
    public static let metricNames = ["loss", "eval/loss", "acc", "test/acc"]
    public static let texts = ["adam", "Adam", "sgd", "a_b", "a%b", "it's", "ß", "0.001", "1e-3", "64", "", "vision", "VISION", "x y"]
    public static let numbers: [Double] = [-1, 0, 0.001, 0.5, 1, 2.5, 64, 1e-3, .infinity, -.infinity]

    public mutating func text() -> String { Self.texts.randomElement(using: &random)! }

    public mutating func number() -> Double {
        random.next() % 4 == 0 ? Self.numbers.randomElement(using: &random)! : Double(Int(random.next() % 2001) - 1000) / 1000
    }

    /// A run with a random subset of params, tags and metrics.
    public mutating func run(index: Int) -> RunFacts {
        let start = Timestamp(millisecondsSinceEpoch: 1_790_000_000_000 + Int64(random.next() % 50) * 1000)
        let id = RunID.generate(at: start, using: &random)
        var record = RunRecord(id: id, name: random.next() % 5 == 0 ? nil : text(), experiment: ["vae/a", "vae/b", "gan"].randomElement(using: &random)!,
                               experimentID: ExperimentID(Int(random.next() % 3) + 1),
                               status: RunStatus.allCases.randomElement(using: &random)!, startTime: start,
                               host: "h", user: ["ana", "bo"].randomElement(using: &random)!, pid: 1, command: [],
                               workingDirectory: nil, git: nil, configSource: nil, configOverrides: [], layout: "cairn")
        if record.status.isTerminal {
            record.endTime = Timestamp(millisecondsSinceEpoch: start.millisecondsSinceEpoch + Int64(random.next() % 100_000))
        }
        var summary = RunFacts(record: record, folder: "runs/\(index)")
        for key in Self.paramKeys where random.next() % 3 != 0 {
            summary.params[key] = random.next() % 2 == 0 ? text() : Self.spell(number(), using: &random)
        }
        for key in Self.tagKeys where random.next() % 2 == 0 { summary.tags[key] = text() }
        for name in Self.metricNames where random.next() % 4 != 0 {
            let split = name.contains("/") ? String(name.split(separator: "/")[0]) : MetricName.defaultSplit
            let key = name.contains("/") ? String(name.split(separator: "/")[1]) : name
            var metric = MetricSummary(MetricPoint(key: key, value: number(), step: 0))
            for step in 1..<Int64(random.next() % 4 + 1) {
                metric.add(MetricPoint(key: key, value: random.next() % 10 == 0 ? .nan : number(), step: step))
            }
            summary.metrics[MetricName.of(split: split, key: key)] = metric
        }
        if random.next() % 2 == 0 {
            let best = RunFacts.CheckpointSummary(seq: 1, path: "ckpt/1", step: 1, epoch: nil, metrics: ["loss": number()])
            summary.bestCheckpoint = best
            summary.lastCheckpoint = random.next() % 2 == 0 ? best
                : RunFacts.CheckpointSummary(seq: 2, path: "ckpt/2", step: 2, epoch: 1, metrics: ["loss": number(), "acc": number()])
            summary.keptCheckpoints = summary.bestCheckpoint == summary.lastCheckpoint ? 1 : 2
        }
        // Every seventh run is deleted (softly); chosen by index, so the random sequence stays as it was.
        if index % 7 == 3 { summary.deletedAt = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000 + Int64(index)) }
        return summary
    }

    /// A random filter of up to three conditions, well typed.
    public mutating func filter() -> RunFilter {
        RunFilter(conditions: (0..<Int(random.next() % 4)).map { _ in condition() })
    }

    public mutating func condition() -> FilterCondition {
        let numericOps: [FilterOperator] = [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual]
        let textOps: [FilterOperator] = [.equal, .notEqual, .like, .ilike, .in, .notIn]
        switch random.next() % 6 {
        case 0:
            return FilterCondition(field: .metric(Self.metricNames.randomElement(using: &random)!),
                                   op: numericOps.randomElement(using: &random)!, values: [numberLiteral()])
        case 1:
            let op = (numericOps + textOps).randomElement(using: &random)!
            let field = FilterField.param(Self.paramKeys.randomElement(using: &random)!)
            if op.isOrdering || (random.next() % 2 == 0 && (op == .equal || op == .notEqual)) {
                return FilterCondition(field: field, op: op, values: [numberLiteral()])
            }
            return FilterCondition(field: field, op: op, values: textValues(op))
        case 2:
            let op = textOps.randomElement(using: &random)!
            return FilterCondition(field: .tag(Self.tagKeys.randomElement(using: &random)!), op: op, values: textValues(op))
        case 3:
            let op = textOps.randomElement(using: &random)!
            let attribute: RunAttribute = [.runName, .status, .user, .experiment, .runID].randomElement(using: &random)!
            var values = textValues(op)
            if attribute == .status { values = values.map { _ in .string(RunStatus.allCases.randomElement(using: &random)!.rawValue) } }
            return FilterCondition(field: .attribute(attribute), op: op, values: values)
        case 4:
            let attribute: RunAttribute = [.startTime, .endTime, .duration][Int(random.next() % 3)]
            let ms = (attribute == .duration ? 0 : 1_790_000_000_000) + Int64(random.next() % 60) * 1000
            return FilterCondition(field: .attribute(attribute), op: numericOps.randomElement(using: &random)!,
                                   values: [.number(Double(ms), text: String(ms))])
        default:
            let pointer: FilterField.CheckpointPointer = random.next() % 2 == 0 ? .best : .last
            return FilterCondition(field: .checkpointMetric(pointer, ["loss", "acc"].randomElement(using: &random)!),
                                   op: numericOps.randomElement(using: &random)!, values: [numberLiteral()])
        }
    }

    /// A random ordering key.
    public mutating func ordering() -> RunOrdering {
        let fields: [FilterField] = [.metric(Self.metricNames.randomElement(using: &random)!),
                                     .param(Self.paramKeys.randomElement(using: &random)!),
                                     .tag(Self.tagKeys.randomElement(using: &random)!),
                                     .attribute(RunAttribute.allCases.randomElement(using: &random)!),
                                     .checkpointMetric(.best, "loss")]
        return RunOrdering(fields.randomElement(using: &random)!, descending: random.next() % 2 == 0)
    }

    private mutating func numberLiteral() -> FilterLiteral {
        let text = Self.spell(Double(Int(random.next() % 2001) - 1000) / 1000, using: &random)
        return .number(Double(text)!, text: text)
    }

    private mutating func textValues(_ op: FilterOperator) -> [FilterLiteral] {
        switch op {
        case .in, .notIn: return (0...Int(random.next() % 3)).map { _ in .string(text()) }
        case .like, .ilike: return [.string(["%a%", "a_b", "%", "_", "ADAM", "a%", "%1e%", "x y"].randomElement(using: &random)!)]
        default: return [.string(text())]
        }
    }

    /// A number in one of the spellings a person or a config writes.
    public static func spell(_ value: Double, using random: inout SeededGenerator) -> String {
        guard value.isFinite else { return value > 0 ? "inf" : "-inf" }
        switch random.next() % 3 {
        case 0: return "\(value)"
        case 1 where value == value.rounded() && abs(value) < 1e15: return String(Int64(value))
        default: return value == 0 ? "0.0" : "\(value * 10)e-1"
        }
    }
}
