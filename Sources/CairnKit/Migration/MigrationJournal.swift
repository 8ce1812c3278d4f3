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
    /// sha256 known before the migration, by the tree path each file has after it.
    var knownDigests: [String: String]

    static let fileName = "migration.json"

    enum CodingKeys: String, CodingKey {
        case format, from, to, map, moves, phase
        case knownDigests = "known_sha256"
    }
}
