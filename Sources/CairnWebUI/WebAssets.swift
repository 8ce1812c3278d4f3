/// The web UI's files as the binary embeds them (Sources/CairnWebUI/assets, turned into byte arrays at
/// build time by the EmbedWebAssets plugin). `cairn serve --ui-dir DIR` reads them from disk instead
/// (``WebAsset/init(path:bytes:)`` over the file's bytes).
public enum WebAssets {
    /// The embedded asset at `path` (relative to `assets/`, such as `app.js`), or nil when none.
    public static func asset(_ path: String) -> WebAsset? {
        embedded[path].map { WebAsset(path: path, bytes: $0) }
    }

    /// The paths of every embedded asset, sorted.
    public static var paths: [String] { embedded.keys.sorted() }
}
