import CairnCore

/// `.cairn/migration.json`: a migration's plan, written durably before the first file moves, and
/// removed when the store records the new layout. Progress is not journaled: where each file is
/// (source, target, or both as one hard-linked inode) says how far a move got.
struct MigrationJournal: Codable, Equatable {
    /// The journal's format version.
    var format = 1
    /// The layouts moved from and to.
    var from: String
    var to: String
    /// The field renames given (`--map`), as SOURCE=TARGET.
    var map: [String]
    /// Every move, in order.
    var moves: [MigrationMove]
    /// `moving` while files move, `rolling-back` while they move back, `recorded` once `.cairn/`
    /// describes the tree in its new layout (only `cairn.yaml` is left to update).
    var phase: String
    /// sha256 known before the migration (of files and folder checkpoints), by the tree path each has after it.
    var knownDigests: [String: String]
    /// Epochs and steps known before the migration that the new layout's paths may not say (a folder
    /// checkpoint's epoch read from a file inside it), by the tree path each checkpoint has after it.
    var knownPositions: [String: KnownPosition]? = nil
    /// Each run folder's new place, by its old one (runs keep their id when their folder moves).
    var runFolders: [String: String]? = nil
    /// Configs rewritten once the files are in place (`--rewrite-configs`).
    var configRewrites: [ConfigRewrite]? = nil

    static let fileName = "migration.json"

    /// The journal that undoes this one: the moves reversed, in reverse order, and the known sha256
    /// by the paths the files and folders get back.
    func reversed() -> MigrationJournal {
        let sources = Dictionary(moves.map { ($0.target, $0.source) }, uniquingKeysWith: { a, _ in a })
        // A move under each folder a file moves into, to find where a moved folder comes from.
        var underFolder: [String: MigrationMove] = [:]
        for move in moves {
            var folder = Paths.parent(move.target)
            while folder != "." && folder != "/" && underFolder[folder] == nil {
                underFolder[folder] = move
                folder = Paths.parent(folder)
            }
        }
        // Where a file or folder at `path` after the moves was before them.
        func before(_ path: String) -> String? {
            if let source = sources[path] { return source }
            if let move = underFolder[path] {
                let relative = move.target.dropFirst(path.count)  // "/..." below the folder
                return move.source.hasSuffix(relative) ? String(move.source.dropLast(relative.count)) : nil
            }
            return path
        }
        var digests: [String: String] = [:]
        for (path, sha) in knownDigests { if let back = before(path) { digests[back] = sha } }
        let positions = knownPositions.map { known in
            Dictionary(known.compactMap { entry in before(entry.key).map { ($0, entry.value) } }, uniquingKeysWith: { a, _ in a })
        }
        return MigrationJournal(from: to, to: from, map: [], moves: moves.reversed().map(\.reversed),
                                phase: "rolling-back", knownDigests: digests, knownPositions: positions,
                                runFolders: runFolders.map { Dictionary($0.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a }) },
                                configRewrites: configRewrites.map { $0.map { $0.reversed(to: sources[$0.path] ?? $0.path) } })
    }

    enum CodingKeys: String, CodingKey {
        case format, from, to, map, moves, phase
        case knownDigests = "known_sha256"
        case knownPositions = "known_positions"
        case runFolders = "run_folders"
        case configRewrites = "config_rewrites"
    }
}

/// A checkpoint's epoch and step as the store knew them before a migration.
struct KnownPosition: Codable, Equatable {
    var epoch: Int?
    var step: Int?
}
