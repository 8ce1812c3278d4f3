/// What a migration's planner knows of a tree beyond its paths, gathered by the store: fields read
/// from files, what the store's records say of each run, where files were before, the tree's links,
/// and what files hold.
public struct MigrationContext {
    /// Fields read from inside folder checkpoints, by run folder + "/" + item.
    public var itemFields: [String: LayoutFields] = [:]
    /// Fields of each run the store knows though the source layout's paths may not say them (`run_id`,
    /// `experiment`, the start time), by source run folder: used where the target needs them.
    public var runFields: [String: LayoutFields] = [:]
    /// Where each file was when the tree last followed the target layout, by its path now: a file
    /// that has one goes back there.
    public var origins: [String: String] = [:]
    /// The tree's symbolic links (to files, to folders, dangling), by path: their text, and what they
    /// name relative to the tree's root (nil for an absolute link or one that leaves the tree).
    public var links: [String: (text: String, target: String?)] = [:]
    /// What the file or folder at a path holds (asked only for files whose extension would change).
    public var contentKind: (String) -> ContentKind = { _ in .other }
    /// Why a folder checkpoint (its path) lacks a field its layout reads from a file inside it, if
    /// that is the reason (`its config.json has no 'model_type'`).
    public var missingFieldCause: (String, String) -> String? = { _, _ in nil }

    public init() {}
}
