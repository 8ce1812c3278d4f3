import CairnCore
import CairnFormats

extension RunCheckpoints {
    /// The checkpoints the folder of an adopted store's run holds that its manifest file does not
    /// record (the training script kept saving after adoption, and something — `ckpt verify`, a save —
    /// wrote the manifest since): a `begin` and a `commit` for each, numbered after the manifest's, and
    /// the folder's own pointers (`last`, `best`…) that name one of them. Empty for a run of a native
    /// store, or one whose manifest was just read from its folder whole.
    func adoptedAdditions(to state: ManifestState) throws(CairnError) -> [ManifestEvent] {
        guard store.settings.adopted else { return [] }
        if adoptedManifest != nil, !FileSystem.exists(manifest.path), try store.adoptedPack?.bytes(.manifest, of: run.id) == nil { return [] }
        let scanned = try ManifestCodec.decode(try store.scannedManifest(of: run), path: manifest.path).events
        // The pointers' own files (a hard link or copy Cairn made) are not checkpoints of their own.
        var known = Set(state.pointers.values.map(\.path))
        for entry in state.entries {
            switch entry.status {
            case .kept, .pending: known.insert(entry.path)
            case .pruned, .aborted, .replaced: continue
            }
        }
        var renumbered: [Int: Int] = [:]
        var events: [ManifestEvent] = []
        var next = state.nextSeq
        for event in scanned {
            switch event {
            case .begin(var begin) where !known.contains(begin.path):
                renumbered[begin.seq] = next
                begin.seq = next
                next += 1
                events.append(.begin(begin))
            case .commit(var commit):
                guard let seq = renumbered[commit.seq] else { continue }
                commit.seq = seq
                events.append(.commit(commit))
            case .pointer(var pointer):
                guard let seq = renumbered[pointer.seq] else { continue }
                pointer.seq = seq
                events.append(.pointer(pointer))
            default:
                continue
            }
        }
        return events
    }
}
