/// What a path of a ``Layout`` is for.
///
/// ``experimentName`` parses an experiment's name into fields; ``experiment`` and ``run`` are folders
/// relative to the store root; every other role is relative to the run folder.
public enum LayoutRole: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// The shape of an experiment's name, e.g. `{arch}/{exp_tag}`, parsed into fields.
    case experimentName = "experiment_name"
    /// The experiment folder, relative to the store root.
    case experiment
    /// The run folder, relative to the store root.
    case run
    /// Cairn's record of the run (`run.json`).
    case runRecord = "run_record"
    case params
    case tags
    case gitDiff = "git_diff"
    /// The config snapshot.
    case config
    /// The training log.
    case log
    /// A CSV of metrics (usually per `{split}`).
    case metrics
    /// A TensorBoard event file.
    case events
    /// The run's checkpoint manifest (an append-only JSON Lines record of every save).
    case checkpointManifest = "checkpoint_manifest"
    /// A checkpoint saved at some epoch or step.
    case checkpoint
    case best
    case last
    /// A best checkpoint whose name holds its score.
    case bestScore = "best_score"
    /// A checkpoint averaged over epochs.
    case average
    case embeddings
    case predictions
    /// Another tool's own record of the run (Sacred's `run.json`), read by the layout's ``Layout/tool``
    /// reader for the run's status, times, host, command and git state.
    case toolRecord = "tool_record"
    /// Another tool's metrics file (Sacred's `metrics.json`), read by the layout's ``Layout/tool`` reader.
    case toolMetrics = "tool_metrics"
    /// Any other file the run keeps (`{path:path}` under an artifacts folder).
    case artifact
    /// Where a migration puts the files of a run that the layout has no other name for (a stray note,
    /// a checkpoint kind the layout lacks), by their path in the run folder (`{path:path}`: the same
    /// place, by default). Never used to recognize files: they stay unexplained, listed as the run's extras.
    case extra

    /// True for roles whose templates are relative to the run folder (all but the first three).
    public var isRelativeToRunFolder: Bool {
        switch self {
        case .experimentName, .experiment, .run: false
        default: true
        }
    }

    /// The name used in `cairn.yaml` (the raw value).
    public var description: String { rawValue }
}
