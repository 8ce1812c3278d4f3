import Foundation
import PackagePlugin

/// The build-tool plugin that embeds the web UI: every file under the target's `assets/` folder becomes
/// a Swift `[UInt8]` in a generated source file (one file per asset, so they compile in parallel), and
/// one more file maps each asset's path to its bytes (`WebAssets.embedded`).
///
/// SwiftPM's `resources:` would put the files in a bundle folder beside the binary on Linux, which an
/// install that copies the binary alone loses; embedded, the binary is the whole UI.
@main
struct EmbedWebAssets: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let assets = target.directoryURL.appending(path: "assets")
        let names = try Self.files(under: assets)
        let work = context.pluginWorkDirectoryURL
        let outputs = names.indices.map { work.appending(path: "WebAsset\($0).swift") } + [work.appending(path: "WebAssets+Embedded.swift")]
        return [.buildCommand(displayName: "Embedding \(names.count) web UI assets from \(assets.path)",
                              executable: try context.tool(named: "cairn-embed-assets").url,
                              arguments: [assets.path, work.path] + names,
                              inputFiles: names.map { assets.appending(path: $0) },
                              outputFiles: outputs)]
    }

    /// The regular files under `folder`, as paths relative to it, sorted; hidden files skipped.
    static func files(under folder: URL) throws -> [String] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else { return [] }
        var names: [String] = []
        let prefix = folder.standardizedFileURL.path + "/"
        for case let url as URL in walker where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            let path = url.standardizedFileURL.path
            if path.hasPrefix(prefix) { names.append(String(path.dropFirst(prefix.count))) }
        }
        return names.sorted()
    }
}
