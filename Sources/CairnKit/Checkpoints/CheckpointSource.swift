import CairnCore

/// Where a checkpoint's bytes come from.
public enum CheckpointSource: Sendable {
    /// How to register files a training script already wrote.
    public enum Transfer: String, Sendable, CaseIterable {
        /// Rename into the store (copy, verify and remove across file systems).
        case move
        /// Copy, hashing in the same pass; the source is left alone.
        case copy
        /// Hard-link (same file system only); the source stays and shares the bytes.
        case link
    }

    /// Existing files or folders: one file makes a file checkpoint; several paths, or one folder,
    /// make a folder checkpoint (each path goes in by its last component).
    case files([String], Transfer)
    /// Cairn gives `write` a temporary path (a file path that does not exist yet, or, for
    /// `folder: true`, an empty folder) and records whatever it wrote there.
    case writer(folder: Bool, fileExtension: String, write: @Sendable (String) throws -> Void)
}
