import CairnCore

/// The records `cairn adopt` writes for one run it found: its registry entry, `run.json`, params and
/// checkpoint manifest, all under `.cairn/`.
struct AdoptedRun {
    var location: RunLocation
    var record: RunRecord
    var params: [String: String]
    var tags: [String: String] = [:]
    var manifest: [ManifestEvent]
    /// How many checkpoints (files and folders) the manifest records.
    var checkpoints: Int
}
