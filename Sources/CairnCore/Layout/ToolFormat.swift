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

    public var description: String { rawValue }
}
