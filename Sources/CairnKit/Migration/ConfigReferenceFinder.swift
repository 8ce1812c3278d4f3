import CairnCore
import CairnFormats

/// Finds the values in runs' configs that name files a migration moves, and the rewritten texts.
struct ConfigReferenceFinder {
    let treeRoot: String
    let plan: MigrationPlan
    let targets: [String: String]
    let filesByFolder: [String: [String]]
    let movesInto: [String: Int]

    init(treeRoot: String, plan: MigrationPlan, files: [String]) {
        self.treeRoot = treeRoot
        self.plan = plan
        targets = Dictionary(plan.moves.filter { $0.source != $0.target }.map { ($0.source, $0.target) }, uniquingKeysWith: { a, _ in a })
        filesByFolder = WholeFolderMoves.byFolder(files)
        movesInto = WholeFolderMoves.byFolder(plan.moves.map(\.target)).mapValues(\.count)
    }

    /// The references in the configs of `recognition`'s runs, and each config's rewrite.
    func find(_ recognition: TreeRecognition) -> (references: [ConfigReference], rewrites: [ConfigRewrite]) {
        guard !targets.isEmpty else { return ([], []) }
        var references: [ConfigReference] = []
        var rewrites: [ConfigRewrite] = []
        for run in recognition.runs {
            for file in run.files where file.role == .config && !file.isInFolderItem {
                let path = run.folder + "/" + file.path
                let absolute = Paths.join(treeRoot, path)
                guard FileSystem.fileSize(absolute).map({ $0 <= 16 << 20 }) == true,
                      let text = try? FileSystem.readText(absolute),
                      let value = try? (path.hasSuffix(".json") ? ConfigJSON.parse(text, fileName: absolute) : ConfigFile.parse(text, fileName: absolute))
                else { continue }
                let config = targets[path] ?? path
                var found: [ConfigReference] = []
                for (key, item) in value.flattened() {
                    guard case .string(let written) = item, let new = newValue(written, runFolder: run.folder) else { continue }
                    found.append(ConfigReference(config: config, key: key, old: written, new: new))
                }
                guard !found.isEmpty else { continue }
                references += found.sorted { $0.key < $1.key }
                var after = text
                for reference in Set(found.map { [$0.old, $0.new] }).sorted(by: { $0[0].count > $1[0].count }) {
                    after = after.replacing(reference[0], with: reference[1])
                }
                if after != text { rewrites.append(ConfigRewrite(path: config, before: text, after: after)) }
            }
        }
        return (references, rewrites)
    }

    /// The value naming the same file or folder after the migration, when `written` names one that moves.
    func newValue(_ written: String, runFolder: String) -> String? {
        guard !written.isEmpty, written.utf8.count < 4096 else { return nil }
        if written.hasPrefix("/") {
            guard written.hasPrefix(treeRoot + "/"), let path = TreePath.resolve(String(written.dropFirst(treeRoot.count + 1)), in: "."),
                  let moved = destination(path) else { return nil }
            return Paths.join(treeRoot, moved)
        }
        if let path = TreePath.resolve(written, in: "."), let moved = destination(path) { return moved }
        if let path = TreePath.resolve(written, in: runFolder), let moved = destination(path) {
            return TreePath.relative(from: plan.runFolders[runFolder] ?? runFolder, to: moved)
        }
        return nil
    }

    /// Where a file or folder of the tree goes, if it moves.
    func destination(_ path: String) -> String? {
        if let moved = targets[path] { return moved }
        guard filesByFolder[path] != nil,
              let folder = WholeFolderMoves.target(path, targets: targets, filesByFolder: filesByFolder, movesInto: movesInto),
              folder != path else { return nil }
        return folder
    }
}
