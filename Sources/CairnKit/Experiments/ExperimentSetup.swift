import CairnCore

/// How `cairn exp new` makes a new experiment's `config.yaml` (`<experiment folder>/config.yaml`, which
/// `cairn exec` and `cairn run new -e EXP` snapshot when no `--config` is given), and which experiment it
/// continues from.
public struct ExperimentSetup: Sendable {
    /// Where the config comes from.
    public enum Source: Sendable, Equatable {
        /// No config file (unless `overrides` or `parent` make one).
        case none
        /// A template of the store (`.cairn/templates/NAME.yaml`).
        case template(String)
        /// Another experiment's config (its `config.yaml`, else its latest run's config).
        case experiment(ExperimentName)
    }

    /// Where the config comes from.
    public var source: Source
    /// `--set a.b.c=VALUE` overrides (`+a.b.c=VALUE` adds a key), applied in order; with no source every
    /// key is new.
    public var overrides: [String]
    /// The experiment whose best checkpoint seeds this one (a fine-tuning's pre-training): recorded as
    /// `parent_experiment_id`, and named in the config's `pretrained_experiment` section.
    public var parent: ExperimentName?

    /// A setup.
    public init(source: Source = .none, overrides: [String] = [], parent: ExperimentName? = nil) {
        self.source = source
        self.overrides = overrides
        self.parent = parent
    }

    /// True when it makes neither a config nor a link (a plain `cairn exp new NAME`).
    public var isEmpty: Bool { source == .none && overrides.isEmpty && parent == nil }
}
