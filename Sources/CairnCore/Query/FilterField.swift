/// What a condition or an ordering looks at in a run.
public enum FilterField: Sendable, Hashable, CustomStringConvertible {
    /// `metrics.NAME`: the metric's value at its highest step (``MetricName`` names it).
    case metric(String)
    /// `params.KEY`: a param's text (numbers compare as numbers where Cairn allows it).
    case param(String)
    /// `tags.KEY`: a tag's text.
    case tag(String)
    /// `attributes.NAME`: a field of the run's record.
    case attribute(RunAttribute)
    /// `checkpoints.best.NAME` / `checkpoints.last.NAME`: a metric recorded with the run's best or last
    /// checkpoint (Cairn's extension).
    case checkpointMetric(CheckpointPointer, String)

    /// The checkpoint a `checkpoints.` field reads.
    public enum CheckpointPointer: String, Sendable, Hashable {
        case best
        case last
    }

    /// True when the field's values are numbers (metrics, times, checkpoint metrics).
    public var isNumeric: Bool {
        switch self {
        case .metric, .checkpointMetric: true
        case .attribute(let attribute): attribute.isNumeric
        case .param, .tag: false
        }
    }

    /// The field as a filter spells it, keys in backquotes when they need them.
    public var description: String {
        switch self {
        case .metric(let name): "metrics." + Self.quoted(name)
        case .param(let key): "params." + Self.quoted(key)
        case .tag(let key): "tags." + Self.quoted(key)
        case .attribute(let attribute): "attributes." + attribute.rawValue
        case .checkpointMetric(let pointer, let name): "checkpoints.\(pointer.rawValue)." + Self.quoted(name)
        }
    }

    /// `key`, in backquotes unless every character may stand bare.
    static func quoted(_ key: String) -> String {
        let bare = !key.isEmpty && key.unicodeScalars.allSatisfy { FilterScanner.isBareKeyScalar($0) && $0 != "/" }
        return bare ? key : "`" + key.replacingAll("`", with: "``") + "`"
    }
}
