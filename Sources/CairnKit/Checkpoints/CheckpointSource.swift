import CairnCore

/// Where a checkpoint's bytes come from.
///
/// ```swift
/// // Files the script already wrote; two paths make one folder checkpoint.
/// let written: CheckpointSource = .files(at: ["model.pth", "optimizer.pth"], .copy)
/// // Or let Cairn hand out the path: write the file there, Cairn hashes it and names it.
/// let writer: CheckpointSource = .writer(folder: false, fileExtension: ".safetensors") { path in
///     try bytes.write(to: URL(fileURLWithPath: path))
/// }
/// ```
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
    /// make a folder checkpoint (each path goes in by its last component). ``files(at:_:)`` makes
    /// relative paths absolute.
    case files([String], Transfer)
    /// Cairn gives `write` a temporary path (a file path that does not exist yet, or, for
    /// `folder: true`, an empty folder) and records whatever it wrote there. `fileExtension` (`.pt`,
    /// with its dot) names a file checkpoint. An error the closure throws fails the save (a
    /// `CairnError` as it is, any other as `.io`), and so does a closure that writes nothing.
    case writer(folder: Bool, fileExtension: String, write: @Sendable (String) throws -> Void)
}
