import CairnCore

/// A value in a run's config that names a file or folder a migration moves (`checkpoint_path:
/// checkpoints/…/checkpoint_3_300.pt`): listed with every migration, rewritten with `--rewrite-configs`.
public struct ConfigReference: Sendable, Equatable, Codable {
    /// The config file, relative to the tree, where it is after the migration.
    public var config: String
    /// The value's flattened key (`training.checkpoint_path`).
    public var key: String
    /// The value as written, and the value that names the same file after the migration (in the same
    /// form: absolute, relative to the tree, or relative to the run folder).
    public var old: String
    public var new: String

    public init(config: String, key: String, old: String, new: String) {
        self.config = config
        self.key = key
        self.old = old
        self.new = new
    }
}

/// One config file a migration rewrites: its text before and after, so that the rewrite is done once
/// (only while the file still reads `before`) and undone exactly by a rollback.
struct ConfigRewrite: Codable, Equatable {
    /// The file, relative to the tree, where it is once the journal's moves are done.
    var path: String
    var before: String
    var after: String

    /// The rewrite that undoes this one, for a file that moves back from `path` to `source`.
    func reversed(to source: String) -> ConfigRewrite { ConfigRewrite(path: source, before: after, after: before) }
}
