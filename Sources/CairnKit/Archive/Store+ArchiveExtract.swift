import CairnCore
import CairnFormats
import Glibc

extension Store {
    /// Puts the runs of an archive back into the store (`cairn archive extract`) with their ids: run
    /// folders where their registry entries say, registry entries, Cairn's own files of the runs, and
    /// each experiment's record when the store lacks the experiment (same id and name).
    ///
    /// Everything is extracted into a hidden folder under `.cairn/` first and checked against the
    /// manifest (every member listed, with its size and SHA-256; no `..`, absolute path, link leading
    /// out of its run folder, device or fifo), then renamed into place, run folders first and the
    /// registry entries last, which make the runs visible. A failure or a kill leaves the store as it
    /// was: the hidden folder, and run folders renamed into place whose registry entries were not
    /// published yet (named in a note under `.cairn/extracts/`), are removed by the next extract.
    /// - Parameters:
    ///   - path: the archive (`.tar.gz`).
    ///   - progress: called with the compressed bytes read and the archive's size.
    /// - Returns: the runs restored and the experiments created.
    /// - Throws: `CairnError` of kind `.corrupt` for a damaged, truncated or tampered archive or a hostile
    ///   member, `.alreadyExists` for a run id or folder the store has, `.conflict` for an experiment
    ///   whose id or name the store gives to another; nothing is changed then.
    public func extractArchive(at path: String,
                               progress: ((_ done: Int64, _ total: Int64) -> Void)? = nil) throws(CairnError) -> CairnAPI.Archive {
        let path = Paths.absolute(path)
        guard FileSystem.exists(path) else {
            throw CairnError(.notFound, "the archive '\(path)' does not exist", hint: "check the path")
        }
        try checkWritable()
        AbandonedTemporaries.remove(in: metaRoot)
        var random = SystemRandomNumberGenerator()
        let staging = Paths.join(metaRoot, AtomicFile.temporaryPrefix + "extract-\(getpid())-\(String(random.next() % 0xFFFF_FFFF, radix: 36))")
        try FileSystem.makeDirectoryExclusively(staging)
        defer { TreeCopy.remove(staging) }
        var links: Set<String> = []
        let (manifest, files) = try ArchiveStream.read(path, name: path, progress: progress) { (entry, tar) throws(CairnError) in
            try Self.stage(entry, tar, archive: path, staging: staging, links: &links)
        }
        try ArchiveStream.check(files, against: manifest, name: path)
        try checkExtractable(manifest, files: files, archive: path, staging: staging)
        FaultInjection.point("extract-staged")
        let created = try FileLock.withLock(storeLockPath) { () throws(CairnError) -> [String] in
            try rollBackAbandonedExtracts()
            return try placeExtracted(manifest, archive: path, staging: staging)
        }
        for run in manifest.runs { index.mark(run.id) }
        return CairnAPI.Archive(action: "extract", path: path, runs: manifest.runs.map(CairnAPI.ArchivedRun.init),
                                experiments: manifest.experiments.map(\.name), files: manifest.files.count,
                                bytes: manifest.files.reduce(0) { $0 + $1.size }, compressedBytes: FileSystem.fileSize(path) ?? 0,
                                verified: true, removed: [], createdExperiments: created)
    }

    /// Where a member goes in the staging folder: `.cairn/…` under `meta/`, the rest under `tree/`.
    static func stagedPath(_ member: String, staging: String) -> String {
        member.hasPrefix(".cairn/") ? Paths.join(staging, "meta/" + member.dropFirst(7)) : Paths.join(staging, "tree/" + member)
    }

    /// Extracts one member into the staging folder, refusing hostile ones.
    private static func stage(_ entry: TarEntry, _ tar: TarReader, archive: String, staging: String,
                              links: inout Set<String>) throws(CairnError) -> ArchiveManifest.File {
        let parts = entry.path.split(separator: "/", omittingEmptySubsequences: false)
        if entry.path.hasPrefix("/") || parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) || entry.path == ".cairn" {
            throw refusal(archive, "its member '\(entry.path)' is an absolute path or holds '..', '.' or an empty name")
        }
        for count in 1..<max(1, parts.count) where links.contains(parts[..<count].joined(separator: "/")) {
            throw refusal(archive, "its member '\(entry.path)' lies under the link '\(parts[..<count].joined(separator: "/"))'")
        }
        let destination = stagedPath(entry.path, staging: staging)
        switch entry.kind {
        case .file:
            try FileSystem.makeDirectories(Paths.parent(destination))
            let fd = Glibc.open(destination, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd < 0 {
                if errno == EEXIST { throw refusal(archive, "its member '\(entry.path)' appears twice") }
                throw SystemError.make("create", path: destination)
            }
            defer { close(fd) }
            let file = try ArchiveStream.hashing(entry, tar, also: { (chunk) throws(CairnError) in
                if FileSystem.writeAll(fd, chunk) != nil { throw SystemError.make("write", path: destination) }
            })
            fchmod(fd, mode_t(entry.mode & 0o7777))
            if fdatasync(fd) != 0 { throw SystemError.make("sync", path: destination) }
            return file
        case .directory:
            try FileSystem.makeDirectories(destination)
            chmod(destination, mode_t(entry.mode & 0o7777) | 0o700)
            return try ArchiveStream.hashing(entry, tar)
        case .symlink:
            guard ArchiveMember.staysInside(link: entry.path, target: entry.linkTarget) else {
                throw refusal(archive, "its link '\(entry.path)' leads out of the archive (to '\(entry.linkTarget)')")
            }
            try FileSystem.makeDirectories(Paths.parent(destination))
            if symlink(entry.linkTarget, destination) != 0 {
                if errno == EEXIST { throw refusal(archive, "its member '\(entry.path)' appears twice") }
                throw SystemError.make("create the link", path: destination)
            }
            links.insert(entry.path)
            return try ArchiveStream.hashing(entry, tar)
        case .other(let type):
            throw refusal(archive, "its member '\(entry.path)' is a hard link, device or fifo (tar type '\(Character(Unicode.Scalar(type)))'): Cairn archives hold files, folders and links only")
        }
    }

    /// Checks that every member belongs where the manifest says: in a run's folder (links staying in
    /// it), or one of Cairn's own files of the archive's runs and experiments, each consistent with it.
    private func checkExtractable(_ manifest: ArchiveManifest, files: [ArchiveManifest.File], archive: String, staging: String) throws(CairnError) {
        let experiments = Dictionary(manifest.experiments.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for experiment in manifest.experiments where experiment.record != ".cairn/experiments/\(experiment.id)/experiment.json" {
            throw Self.refusal(archive, "the manifest places the record of experiment \(experiment.id) at '\(experiment.record)'")
        }
        var folders: [String] = []
        for run in manifest.runs {
            let folder = run.folder
            if Paths.normalize(folder) != folder || folder == "." || folder.hasPrefix("/") || folder.hasPrefix(".cairn") || folder.split(separator: "/").contains("..") {
                throw Self.refusal(archive, "the folder of run \(run.id), '\(folder)', is not a folder inside a store's tree")
            }
            guard experiments[run.experimentID] != nil, run.registry == ".cairn/experiments/\(run.experimentID)/runs/\(run.id).json" else {
                throw Self.refusal(archive, "the manifest's run \(run.id) has no experiment record or registry entry")
            }
            if let other = folders.first(where: { $0 == folder || $0.hasPrefix(folder + "/") || folder.hasPrefix($0 + "/") }) {
                throw Self.refusal(archive, "the folders of two runs overlap ('\(other)' and '\(folder)')")
            }
            folders.append(folder)
            guard FileSystem.isDirectory(Self.stagedPath(folder, staging: staging)) else {
                throw Self.refusal(archive, "the folder of run \(run.id), '\(folder)', is missing")
            }
            let entryPath = Self.stagedPath(run.registry, staging: staging)
            guard let bytes = try FileSystem.readIfPresent(entryPath) else { throw Self.refusal(archive, "the registry entry '\(run.registry)' is missing") }
            let entry = try JSONCoding.decode(RunLocation.self, from: bytes, path: archive + ":" + run.registry)
            guard entry.id == run.id, entry.experimentID == run.experimentID, Paths.normalize(entry.folder) == folder else {
                throw Self.refusal(archive, "the registry entry '\(run.registry)' does not match the manifest's run \(run.id)")
            }
        }
        for experiment in manifest.experiments {
            let recordPath = Self.stagedPath(experiment.record, staging: staging)
            guard let bytes = try FileSystem.readIfPresent(recordPath) else { throw Self.refusal(archive, "the record '\(experiment.record)' is missing") }
            let record = try JSONCoding.decode(ExperimentRecord.self, from: bytes, path: archive + ":" + experiment.record)
            guard record.id == experiment.id, record.name.description == experiment.name else {
                throw Self.refusal(archive, "the record '\(experiment.record)' does not match the manifest's experiment \(experiment.id)")
            }
        }
        let allowed = Set(manifest.experiments.map(\.record) + manifest.runs.map(\.registry))
        let runIDs = Set(manifest.runs.map(\.id.value))
        for file in files {
            if allowed.contains(file.path) { continue }
            if file.path.hasPrefix(".cairn/runs/") {
                let rest = file.path.dropFirst(12).split(separator: "/", omittingEmptySubsequences: false)
                if rest.count == 2, runIDs.contains(String(rest[0])), file.kind == "file", rest[1] != "lock" { continue }
                throw Self.refusal(archive, "its member '\(file.path)' is not a file of the archive's runs")
            }
            guard let folder = folders.first(where: { file.path == $0 || file.path.hasPrefix($0 + "/") }) else {
                throw Self.refusal(archive, "its member '\(file.path)' is in none of the archive's run folders")
            }
            if file.kind == "symlink", !ArchiveMember.staysInside(link: String(file.path.dropFirst(folder.count + 1)), target: file.target ?? "") {
                throw Self.refusal(archive, "its link '\(file.path)' leads out of its run folder (to '\(file.target ?? "")')")
            }
        }
    }

    /// Renames the staged runs into place (the caller holds the store's lock).
    /// - Returns: the names of the experiments created.
    private func placeExtracted(_ manifest: ArchiveManifest, archive: String, staging: String) throws(CairnError) -> [String] {
        var create: [ArchiveManifest.Experiment] = []
        for experiment in manifest.experiments {
            if let existing = try? self.experiment(id: experiment.id) {
                guard existing.name.description == experiment.name else {
                    throw CairnError(.conflict, "the archive's experiment '\(experiment.name)' has id \(experiment.id), which this store gives to '\(existing.name)'",
                                     hint: "extract it into another store (cairn init), or archive and remove '\(existing.name)' first")
                }
            } else {
                if let named = try experiments().first(where: { $0.name.description == experiment.name }) {
                    throw CairnError(.conflict, "the archive's experiment '\(experiment.name)' has id \(experiment.id), but this store's '\(experiment.name)' has id \(named.id)",
                                     hint: "extract it into another store (cairn init)")
                }
                create.append(experiment)
            }
        }
        for run in manifest.runs {
            if try registryEntry(anywhere: run.id) != nil {
                throw CairnError(.alreadyExists, "the run \(run.id) of the archive '\(archive)' is already in the store",
                                 hint: "remove it first ('cairn rm \(run.id)' and 'cairn trash empty') to restore the archived copy")
            }
            if FileSystem.exists(absolute(run.folder)) || FileSystem.isSymbolicLink(absolute(run.folder)) {
                throw CairnError(.alreadyExists, "the folder of the archive's run \(run.id), '\(absolute(run.folder))', exists",
                                 hint: "move it away, then extract again")
            }
        }
        // A note first, so that a kill from here on is rolled back by the next extract.
        let note = try writeExtractNote(manifest.runs.map { RunLocation(id: $0.id, experimentID: $0.experimentID, folder: $0.folder, layout: $0.layout) })
        // Run folders and Cairn's own files of the runs: unregistered, they are not runs yet.
        for run in manifest.runs {
            let folder = absolute(run.folder)
            try FileSystem.makeDirectories(Paths.parent(folder))
            if rename(Self.stagedPath(run.folder, staging: staging), folder) != 0 { throw SystemError.make("move into place", path: folder) }
            FileSystem.syncDirectory(Paths.parent(folder))
            let meta = Self.stagedPath(".cairn/runs/\(run.id)", staging: staging)
            if FileSystem.isDirectory(meta) {
                TreeCopy.remove(runMetaFolder(run.id))  // an unregistered run's leftovers
                try FileSystem.makeDirectories(runsMetaRoot)
                if rename(meta, runMetaFolder(run.id)) != 0 { throw SystemError.make("move into place", path: runMetaFolder(run.id)) }
            }
        }
        FileSystem.syncDirectory(runsMetaRoot)
        FaultInjection.point("extract-folders-placed")
        // Then the registry: a new experiment's folder with its entries in one rename, else entry by entry.
        for experiment in create {
            let staged = Self.stagedPath(".cairn/experiments/\(experiment.id)", staging: staging)
            try FileSystem.makeDirectories(Paths.join(staged, "runs"))
            if rename(staged, experimentMetaFolder(experiment.id)) != 0 { throw SystemError.make("create", path: experimentMetaFolder(experiment.id)) }
            FileSystem.syncDirectory(experimentsRoot)
        }
        let created = Set(create.map(\.id))
        for run in manifest.runs where !created.contains(run.experimentID) {
            try withExperimentLock(run.experimentID) { () throws(CairnError) in
                let entry = registryPath(run.experimentID, run.id)
                try FileSystem.makeDirectories(registryFolder(run.experimentID))
                if rename(Self.stagedPath(run.registry, staging: staging), entry) != 0 { throw SystemError.make("create", path: entry) }
                FileSystem.syncDirectory(registryFolder(run.experimentID))
            }
        }
        FaultInjection.point("extract-registered")
        FileSystem.remove(note)
        for id in Set(manifest.runs.map(\.experimentID)).sorted() { _ = try repairLatest(id) }
        return create.map(\.name)
    }

    private static func refusal(_ archive: String, _ what: String) -> CairnError {
        CairnError(.corrupt, "the archive '\(archive)' is refused: \(what)", hint: "nothing was extracted; make the archive again with 'cairn archive create'")
    }
}
