/// The tool whose own files a layout reads beside its paths (`tool:` in a layout): what its
/// ``LayoutRole/toolRecord`` and ``LayoutRole/toolMetrics`` files hold and how to read them.
public enum ToolFormat: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Sacred's FileStorageObserver: `run.json` (status, start and stop time, host, command, git
    /// repositories) and `metrics.json` (`{name: {steps, values, timestamps}}`).
    case sacred
    /// Hydra's job folders: `.hydra/overrides.yaml` (the command-line overrides) and `.hydra/hydra.yaml`
    /// (Hydra's own config: the job's name, the overrides again); the job's `config.yaml` keeps its
    /// `${…}` interpolations, which are resolved in the params.
    case hydra
    /// MLflow's file store (`mlruns/`): each run's `meta.yaml` (name, status, times, user, lifecycle
    /// stage), its `params/<key>` and `tags/<key>` files (a `/` in a key nests folders), its
    /// `metrics/<key>` files (lines `timestamp value step`), and each experiment's `meta.yaml` (its name,
    /// id and lifecycle stage) and `tags/<key>` files.
    case mlflow

    public var description: String { rawValue }
}
