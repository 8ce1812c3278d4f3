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
        var digests: [String: String] = [:]
        for (path, sha) in knownDigests {
            if let source = sources[path] {
                digests[source] = sha
            } else if let move = underFolder[path] {
                let relative = move.target.dropFirst(path.count)  // "/..." below the folder
                if move.source.hasSuffix(relative) { digests[String(move.source.dropLast(relative.count))] = sha }
            } else {
                digests[path] = sha
            }
        }
        return MigrationJournal(from: to, to: from, map: [], moves: moves.reversed().map { MigrationMove(source: $0.target, target: $0.source) },
                                phase: "rolling-back", knownDigests: digests)
    }

    enum CodingKeys: String, CodingKey {
        case format, from, to, map, moves, phase
        case knownDigests = "known_sha256"
    }
}
