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
}
