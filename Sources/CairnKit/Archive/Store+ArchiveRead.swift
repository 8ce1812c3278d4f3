import CairnCore
import CairnFormats

extension Store {
    /// Reads an archive back and checks every member against its manifest (what `create` does before
    /// renaming the archive into place).
    /// - Throws: `CairnError` of kind `.corrupt` naming the first member that differs.
    static func verifyArchive(at path: String, name: String, against manifest: ArchiveManifest,
                              progress: ((Int64, Int64) -> Void)?) throws(CairnError) {
        let (read, files) = try ArchiveStream.read(path, name: name, progress: progress) { (entry, tar) throws(CairnError) in
            try ArchiveStream.hashing(entry, tar)
        }
        guard read.files == manifest.files, read.runs.map(\.id) == manifest.runs.map(\.id) else { throw ArchiveStream.corrupt(name, "its manifest was not written as planned") }
        try ArchiveStream.check(files, against: read, name: name)
    }

    /// What an archive holds (`cairn archive ls`), from its manifest; with `verify`, every member is
    /// also hashed and checked against it.
    /// - Parameters:
    ///   - path: the archive.
    ///   - verify: check the members too.
    ///   - progress: the compressed bytes read and the file's size.
    /// - Returns: the archive's runs, experiments, files and bytes.
    /// - Throws: `CairnError` of kind `.corrupt` for a damaged or truncated archive, `.unsupportedFormat`
    ///   for a tar archive that is not Cairn's.
    public static func listArchive(at path: String, verify: Bool = false,
                                   progress: ((_ done: Int64, _ total: Int64) -> Void)? = nil) throws(CairnError) -> CairnAPI.Archive {
        let path = Paths.absolute(path)
        let (manifest, files) = try ArchiveStream.read(path, name: path, progress: progress) { (entry, tar) throws(CairnError) in
            if verify { return try ArchiveStream.hashing(entry, tar) }
            return ArchiveManifest.File(path: entry.path, kind: kindName(entry.kind), size: entry.size, sha256: nil, mode: entry.mode, target: nil)
        }
        if verify { try ArchiveStream.check(files, against: manifest, name: path) }
        return CairnAPI.Archive(action: "list", path: path, runs: manifest.runs.map(CairnAPI.ArchivedRun.init),
                                experiments: manifest.experiments.map(\.name), files: manifest.files.count,
                                bytes: manifest.files.reduce(0) { $0 + $1.size }, compressedBytes: FileSystem.fileSize(path) ?? 0,
                                verified: verify, removed: [], createdExperiments: [])
    }
}
