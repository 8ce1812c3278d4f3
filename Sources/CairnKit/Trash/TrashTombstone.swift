import Glibc
import CairnCore

/// The note `trash empty` writes before it removes a run for good, `.cairn/trash/<run id>.json`: the
/// run, where its folder was and the hidden name it is renamed to (`.cairn-tmp-trash-<run id>-<pid>-<random>`,
/// beside it). Whoever finds a note finishes the removal (``Store/finishEmptyingTrash()``), so a kill at
/// any step leaves the run whole (still deleted) or nothing visible.
struct TrashTombstone: Codable, Sendable, Equatable {
    var run: RunID
    var experimentID: ExperimentID
    /// The run folder, relative to the store's tree.
    var folder: String
    /// The hidden name the folder is renamed to, relative to the store's tree.
    var tombstone: String

    enum CodingKeys: String, CodingKey {
        case run, folder, tombstone
        case experimentID = "experiment_id"
    }

    /// A note for removing the run at `location`: a fresh hidden name beside its folder.
    init(_ location: RunLocation) {
        run = location.id
        experimentID = location.experimentID
        folder = location.folder
        var random = SystemRandomNumberGenerator()
        let name = AtomicFile.temporaryPrefix + "trash-\(location.id)-\(getpid())-\(String(random.next() % 0xFFFF_FFFF, radix: 36))"
        let parent = Paths.parent(location.folder)
        tombstone = parent.isEmpty || parent == "." ? name : Paths.join(parent, name)
    }
}
