/// A field of a run's record that a filter or an ordering can name (`attributes.status`).
///
/// The names are MLflow's (`run_id`, `run_name`, `status`, `start_time`, `end_time`, `user_id`), with
/// MLflow's aliases (`created` and `Created` for `start_time`; `run name` for `run_name`) and Cairn's
/// `experiment` (the experiment's name) and `duration` (milliseconds from start to end; none while a run
/// is RUNNING). Times compare as milliseconds since the Unix epoch, as in MLflow.
public enum RunAttribute: String, Sendable, Hashable, CaseIterable {
    case runID = "run_id"
    case runName = "run_name"
    case status
    case startTime = "start_time"
    case endTime = "end_time"
    case user = "user_id"
    case experiment
    case duration

    /// The attribute a filter's key names, aliases included; nil for an unknown key.
    public init?(key: String) {
        switch key {
        case "created", "Created": self = .startTime
        case "run name", "Run name", "Run Name": self = .runName
        default: self.init(rawValue: key)
        }
    }

    /// True for the times and the duration, which compare as numbers; the others are text.
    public var isNumeric: Bool { self == .startTime || self == .endTime || self == .duration }

    /// The names a filter accepts, for error messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
