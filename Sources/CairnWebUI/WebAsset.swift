/// One file of the web UI: its path under the assets folder, its bytes, the content type its extension
/// names and an entity tag that changes with its bytes.
public struct WebAsset: Sendable, Equatable {
    /// The path under the assets folder (`app.js`, `images/logo.svg`).
    public let path: String
    /// The file's bytes.
    public let bytes: [UInt8]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    /// The `Content-Type` for the file's extension (`application/octet-stream` when unknown).
    public var contentType: String {
        let name = path.split(separator: "/").last ?? Substring(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "application/octet-stream" }
        return Self.contentTypes[name[name.index(after: dot)...].lowercased()] ?? "application/octet-stream"
    }

    /// A strong entity tag: FNV-1a (64 bits) of the bytes, quoted, for `ETag` and `If-None-Match`.
    public var entityTag: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        let hex = String(hash, radix: 16)
        return "\"" + String(repeating: "0", count: 16 - hex.count) + hex + "\""
    }

    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
        "mjs": "text/javascript; charset=utf-8", "json": "application/json", "svg": "image/svg+xml", "png": "image/png",
        "ico": "image/x-icon", "txt": "text/plain; charset=utf-8", "woff2": "font/woff2",
    ]
}
