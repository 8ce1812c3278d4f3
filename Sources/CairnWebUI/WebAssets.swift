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

    /// A version of the embedded files as a whole (16 hex digits of FNV-1a over every path and its
    /// bytes): it changes whenever any file does, so URLs carrying it can be cached for good.
    public static let version: String = {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for path in paths {
            for byte in Array(path.utf8) + [0] + (embedded[path] ?? []) + [0] { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }()
}
