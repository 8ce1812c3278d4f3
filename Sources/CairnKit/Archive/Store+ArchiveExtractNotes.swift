import CairnCore
import Glibc

extension Store {
    /// The folder of `extract`'s notes, `.cairn/extracts/`: one per extract while it renames runs into
    /// place, `<pid>-<random>.json`, naming the runs (as registry entries) it places.
    var extractNotesFolder: String { Paths.join(metaRoot, "extracts") }

    /// Writes the note of an extract about to rename `runs` into place.
    /// - Returns: its path.
    func writeExtractNote(_ runs: [RunLocation]) throws(CairnError) -> String {
        try FileSystem.makeDirectories(extractNotesFolder)
        var random = SystemRandomNumberGenerator()
        let path = Paths.join(extractNotesFolder, "\(getpid())-\(String(random.next() % 0xFFFF_FFFF, radix: 36)).json")
        try AtomicFile.write(try JSONCoding.encode(runs), to: path)
        return path
    }

    /// Undoes what extracts killed while renaming left (the caller holds the store's lock): of each run
    /// a note names, one whose registry entry was not published loses the folder and Cairn's files the
    /// extract had put in place, so every run is whole or absent; then the note goes.
    func rollBackAbandonedExtracts() throws(CairnError) {
        for name in try FileSystem.list(extractNotesFolder).sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            guard let pid = Int32(name.split(separator: "-").first ?? ""), pid != getpid(),
                  !HostInfo.processIsAlive(pid, startTicks: nil) else { continue }
            let path = Paths.join(extractNotesFolder, name)
            let runs = try JSONCoding.decode([RunLocation].self, from: try FileSystem.read(path), path: path)
            for run in runs where try registryEntry(anywhere: run.id) == nil {
                TreeCopy.remove(absolute(run.folder))
                TreeCopy.remove(runMetaFolder(run.id))
            }
            FileSystem.remove(path)
        }
    }

    /// What killed extracts left (`cairn doctor`), as abandoned temporaries: their staging folders under
    /// `.cairn/`, and run folders renamed into place whose registry entries were never published. With
    /// `fix`, both are removed (``rollBackAbandonedExtracts()``, under the store's lock).
    func doctorExtracts(fix: Bool) throws(CairnError) -> [CairnAPI.Doctor.Temporary] {
        var paths: [String] = []
        for name in ((try? FileSystem.list(metaRoot)) ?? []).sorted()
        where name.hasPrefix(AtomicFile.temporaryPrefix + "extract-") && AbandonedTemporaries.isAbandoned(name) {
            paths.append(Paths.join(metaRoot, name))
        }
        for name in ((try? FileSystem.list(extractNotesFolder)) ?? []).sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            guard let pid = Int32(name.split(separator: "-").first ?? ""), pid != getpid(), !HostInfo.processIsAlive(pid, startTicks: nil) else { continue }
            let path = Paths.join(extractNotesFolder, name)
            guard let bytes = try? FileSystem.read(path), let runs = try? JSONCoding.decode([RunLocation].self, from: bytes, path: path) else {
                paths.append(path)
                continue
            }
            for run in runs where try registryEntry(anywhere: run.id) == nil && FileSystem.exists(absolute(run.folder)) {
                paths.append(absolute(run.folder))
            }
        }
        guard !paths.isEmpty else { return [] }
        if fix {
            for path in paths where path.hasPrefix(Paths.join(metaRoot, AtomicFile.temporaryPrefix)) { TreeCopy.remove(path) }
            try FileLock.withLock(storeLockPath) { () throws(CairnError) in try rollBackAbandonedExtracts() }
        }
        return paths.map { .init(path: $0, fixed: fix && !FileSystem.exists($0)) }
    }
}
