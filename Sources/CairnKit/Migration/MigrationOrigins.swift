import CairnCore
import CairnFormats

/// `.cairn/origins-LAYOUT.json`: where each file of the tree was when the tree last followed LAYOUT,
/// by its path now, for the files a migration moved out of it. A migration back to LAYOUT puts each
/// of them back where it was, so that a round trip through a layout that cannot say everything (a
/// prompt id, a log's own time) gives the tree back path for path. Kept current by each migration:
/// the paths are re-keyed as files move, and the file of the layout the tree is in is dropped.
struct MigrationOrigins: Codable, Equatable {
    var format = 1
    /// The layout the paths were in.
    var layout: String
    /// Each file's path in ``layout``, by its path now.
    var paths: [String: String]

    static let prefix = "origins-"
    static let suffix = ".json"

    static func fileName(_ layout: String) -> String { prefix + layout + suffix }

    /// The origins kept in `metaRoot` for `layout`, if any.
    static func read(metaRoot: String, layout: String) throws(CairnError) -> MigrationOrigins? {
        let path = Paths.join(metaRoot, fileName(layout))
        guard let bytes = try FileSystem.readIfPresent(path) else { return nil }
        return try JSONCoding.decode(MigrationOrigins.self, from: bytes, path: path)
    }

    /// Every origins file in `metaRoot`, by layout.
    static func readAll(metaRoot: String) throws(CairnError) -> [String: MigrationOrigins] {
        var out: [String: MigrationOrigins] = [:]
        for name in (try? FileSystem.list(metaRoot)) ?? [] where name.hasPrefix(prefix) && name.hasSuffix(suffix) {
            let layout = String(name.dropFirst(prefix.count).dropLast(suffix.count))
            if let origins = try read(metaRoot: metaRoot, layout: layout) { out[layout] = origins }
        }
        return out
    }

    /// The origins files (name → bytes) once `journal`'s moves are done: those of other layouts
    /// re-keyed by the files' new paths, one for the layout left (every moved file's path in it), none
    /// for the layout arrived in.
    static func after(_ journal: MigrationJournal, kept: [String: MigrationOrigins]) throws(CairnError) -> [String: [UInt8]] {
        var moved: [String: String] = [:]
        for move in journal.moves where move.source != move.target { moved[move.source] = move.target }
        var out: [String: [UInt8]] = [:]
        for (layout, origins) in kept where layout != journal.to && layout != journal.from {
            var rekeyed = origins
            rekeyed.paths = Dictionary(origins.paths.map { (moved[$0.key] ?? $0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            out[fileName(layout)] = try JSONCoding.encode(rekeyed)
        }
        let left = MigrationOrigins(layout: journal.from, paths: Dictionary(moved.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a }))
        if !left.paths.isEmpty { out[fileName(journal.from)] = try JSONCoding.encode(left) }
        return out
    }
}
