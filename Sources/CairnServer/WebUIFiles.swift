import CairnCore
import CairnWebUI
import Foundation

/// Where the web UI's files come from: the ones embedded in the binary, or a folder on disk
/// (`cairn serve --ui-dir DIR`, read on every request so an edit shows on reload).
public enum WebUIFiles: Sendable {
    case embedded
    case folder(String)

    /// The asset at `path` (relative, `/`-separated), or nil when there is none. A path with an empty,
    /// `.`, `..` or hidden component, a backslash or a control character is never looked up, and a file
    /// of the folder reached through a link leading out of it is not served.
    func asset(_ path: String) -> WebAsset? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.allSatisfy({ part in
            !part.isEmpty && !part.hasPrefix(".") && !part.unicodeScalars.contains { $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F }
        }) else { return nil }
        switch self {
        case .embedded:
            return WebAssets.asset(path)
        case .folder(let root):
            let rootURL = URL(fileURLWithPath: root).resolvingSymlinksInPath()
            let file = rootURL.appending(path: path).resolvingSymlinksInPath()
            guard file.path.hasPrefix(rootURL.path + "/"), let data = FileManager.default.contents(atPath: file.path) else { return nil }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isFolder), !isFolder.boolValue else { return nil }
            return WebAsset(path: path, bytes: Array(data))
        }
    }

    /// Checks that a `--ui-dir` folder holds the UI (its `index.html`).
    /// - Throws: `CairnError` naming the folder when it does not.
    public func validate() throws(CairnError) {
        guard case .folder(let root) = self else { return }
        guard asset("index.html") != nil else {
            throw CairnError(.notFound, "'\(root)' holds no index.html: it is not a folder of the web UI's files",
                             hint: "give --ui-dir the repository's Sources/CairnWebUI/assets (or leave it out to serve the embedded UI)")
        }
    }
}
