import CairnCore
import CairnFormats
import Glibc

extension Store {
    /// Writes runs to a gzip-compressed tar archive (`cairn archive create`): their folders, their
    /// registry entries and Cairn's own files of them, their experiments' records, and the manifest
    /// `cairn-archive.json` last (docs/FORMAT.md, *Archives*).
    ///
    /// The archive is written to a temporary file beside `output`, synced, read back and checked member
    /// by member against the manifest's SHA-256s (unless `verify` is false), and only then renamed to
    /// `output`: a killed create leaves no `output` and the store untouched. With `remove`, the runs
    /// are then removed for good, as `cairn trash empty` removes them.
    /// - Parameters:
    ///   - words: experiment names (all their runs) or run ids (or unique prefixes).
    ///   - output: the archive's path (`.tar.gz`); it must not exist.
    ///   - level: gzip's level, 0–9.
    ///   - remove: remove the runs from the store once the archive is verified.
    ///   - force: also archive (and remove) runs whose owner is alive.
    ///   - verify: read the archive back before renaming it into place.
    ///   - progress: called with the phase (`archive`, `verify`), the bytes done and the total.
    /// - Returns: what the archive holds and what was done.
    /// - Throws: `CairnError` of kind `.notFound` for a word that names nothing, `.conflict` for a run
    ///   whose owner is alive, `.alreadyExists` when `output` exists, `.unsupportedFormat` for a link
    ///   leading out of a run folder or a device in one; nothing is written then.
    @discardableResult
    public func createArchive(_ words: [String], at output: String, level: Int = 6, remove: Bool = false, force: Bool = false,
                              verify: Bool = true,
                              progress: ((_ phase: String, _ done: Int64, _ total: Int64) -> Void)? = nil) throws(CairnError) -> CairnAPI.Archive {
        guard (0...9).contains(level) else {
            throw CairnError(.invalidValue, "the compression level \(level) is not between 0 and 9", hint: "pass --level 0 to 9 (6 is gzip's default)")
        }
        let output = Paths.absolute(output)
        if FileSystem.exists(output) || FileSystem.isSymbolicLink(output) {
            throw CairnError(.alreadyExists, "'\(output)' exists", hint: "choose another file name, or remove the file first")
        }
        var (manifest, members) = try archivePlan(words, force: force)
        let total = members.reduce(0) { $0 + $1.size }
        let directory = Paths.parent(output)
        try FileSystem.checkWritable(directory)
        var random = SystemRandomNumberGenerator()
        let temporary = Paths.join(directory, AtomicFile.temporaryPrefix + "archive-\(getpid())-\(String(random.next() % 0xFFFF_FFFF, radix: 36))")
        let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw SystemError.make("create", path: temporary) }
        var closed = false
        var renamed = false
        defer {
            if !closed { close(fd) }
            if !renamed { unlink(temporary) }
        }
        let writer = GzipWriter(fd: fd, path: output, level: Int32(level))
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var done: Int64 = 0
        progress?("archive", 0, total)
        for member in members {
            try writer.write(TarHeader.encode(member.entry))
            var file = ArchiveManifest.File(path: member.path, kind: Self.kindName(member.kind), size: member.size, sha256: nil,
                                            mode: member.mode, target: member.kind == .symlink ? member.target : nil)
            if member.kind == .file {
                file.sha256 = try Self.copyFile(member, to: writer, buffer: &buffer) { count in
                    done += Int64(count)
                    progress?("archive", done, total)
                }
                try writer.write([UInt8](repeating: 0, count: TarHeader.padding(after: member.size)))
            }
            manifest.files.append(file)
        }
        let manifestBytes = try JSONCoding.encode(manifest)
        try writer.write(TarHeader.encode(TarEntry(path: ArchiveManifest.memberName, kind: .file, size: Int64(manifestBytes.count),
                                                   mode: 0o644, modificationTime: manifest.createdAt.millisecondsSinceEpoch / 1000)))
        try writer.write(manifestBytes)
        try writer.write([UInt8](repeating: 0, count: TarHeader.padding(after: Int64(manifestBytes.count))))
        try writer.write(TarHeader.endOfArchive)
        try writer.finish()
        if fsync(fd) != 0 { throw SystemError.make("sync", path: temporary) }
        closed = true
        if close(fd) != 0 { throw SystemError.make("write", path: temporary) }
        FaultInjection.point("archive-written")
        if verify {
            try Self.verifyArchive(at: temporary, name: output, against: manifest) { done, total in progress?("verify", done, total) }
        }
        FaultInjection.point("archive-verified")
        if rename(temporary, output) != 0 { throw SystemError.make("rename", path: output) }
        renamed = true
        FileSystem.syncDirectory(directory)
        FaultInjection.point("archive-renamed")
        var removedRuns: [RunID] = []
        if remove {
            let ids = manifest.runs.map(\.id)
            try moveToTrash(ids.map(\.value), force: force, dryRun: false)
            removedRuns = try emptyTrash(force: force, only: Set(ids)).runs.map(\.run)
        }
        return CairnAPI.Archive(action: "create", path: output, runs: manifest.runs.map(CairnAPI.ArchivedRun.init),
                                experiments: manifest.experiments.map(\.name), files: manifest.files.count,
                                bytes: total, compressedBytes: writer.compressedBytes, verified: verify, removed: removedRuns,
                                createdExperiments: [])
    }

    /// The manifest (without its files) and the members of the runs `words` name.
    private func archivePlan(_ words: [String], force: Bool) throws(CairnError) -> (ArchiveManifest, [ArchiveMember]) {
        var selected: [RunID: RunLocation] = [:]
        for word in words {
            switch try experimentOrRun(word) {
            case .experiment(let experiment):
                let ids = try registeredRunIDs(experiment.id)
                if ids.isEmpty {
                    throw CairnError(.notFound, "the experiment '\(experiment.name)' has no runs: there is nothing to archive", hint: "'cairn run ls' lists the runs")
                }
                for id in ids { if let entry = try registryEntry(experiment.id, id) { selected[id] = entry } }
            case .run(let run):
                if let entry = try registryEntry(run.record.experimentID, run.id) { selected[run.id] = entry }
            }
        }
        var manifest = ArchiveManifest(format: "cairn-archive", version: ArchiveManifest.currentVersion, createdAt: clock.now(),
                                       storeLayout: layout.name, experiments: [], runs: [], files: [])
        var members: [ArchiveMember] = []
        var experimentsSeen: Set<ExperimentID> = []
        for location in selected.values.sorted(by: { $0.id < $1.id }) {
            let registry = registryPath(location.experimentID, location.id)
            guard FileSystem.exists(registry) else {
                throw CairnError(.unsupportedFormat, "the run \(location.id) was adopted and is registered in the store's pack: it cannot be archived",
                                 hint: "archive the adopted tree's folders with tar")
            }
            let run = try run(at: location)
            if liveness(of: run.record) == .alive && !force {
                throw CairnError(.conflict, "the run \(run.id) is RUNNING and its owner is alive: it is not archived",
                                 hint: "end it first (its process, or 'cairn run finish \(run.id)'), or pass --force")
            }
            let folder = Paths.normalize(location.folder)
            if folder == "." || folder.hasPrefix("/") || folder.split(separator: "/").contains("..") || folder.hasPrefix(".cairn") {
                throw CairnError(.unsupportedFormat, "the folder of run \(run.id), '\(location.folder)', is the store's tree or outside it: it cannot be archived",
                                 hint: "archive the folder with tar")
            }
            let experiment = try self.experiment(id: location.experimentID)
            let experimentPath = ".cairn/experiments/\(experiment.id)"
            if experimentsSeen.insert(experiment.id).inserted {
                let record = Paths.join(experimentMetaFolder(experiment.id), "experiment.json")
                members.append(try Self.fileMember(record, as: experimentPath + "/experiment.json"))
                manifest.experiments.append(.init(id: experiment.id, name: experiment.name.description, record: experimentPath + "/experiment.json"))
            }
            let registryMember = "\(experimentPath)/runs/\(run.id).json"
            members.append(try Self.fileMember(registry, as: registryMember))
            let meta = runMetaFolder(run.id)
            for name in (try? FileSystem.list(meta).sorted()) ?? [] where name != "lock" && !name.hasPrefix(".") {
                let path = Paths.join(meta, name)
                var info = stat()
                guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
                members.append(try Self.fileMember(path, as: ".cairn/runs/\(run.id)/\(name)"))
            }
            let first = members.count
            try ArchiveMember.walk(absolute(folder), as: folder, runFolder: folder, run: run.id, into: &members)
            let own = members[first...].filter { $0.kind == .file }
            manifest.runs.append(.init(id: run.id, experimentID: experiment.id, experiment: experiment.name.description, folder: folder,
                                       layout: location.layout, name: run.record.name, status: run.record.status,
                                       startTime: run.record.startTime, registry: registryMember, files: own.count,
                                       bytes: own.reduce(0) { $0 + $1.size }))
        }
        return (manifest, members)
    }

    private static func fileMember(_ path: String, as name: String) throws(CairnError) -> ArchiveMember {
        var info = stat()
        guard stat(path, &info) == 0 else { throw SystemError.make("read", path: path) }
        return ArchiveMember(path: name, source: path, kind: .file, size: Int64(info.st_size), mode: UInt32(info.st_mode & 0o7777),
                             time: Int64(info.st_mtim.tv_sec))
    }

    /// Streams a file into the archive, hashing it as it goes.
    /// - Returns: its SHA-256, hex.
    /// - Throws: `CairnError` when it cannot be read or its size changed since it was listed.
    private static func copyFile(_ member: ArchiveMember, to writer: GzipWriter, buffer: inout [UInt8],
                                 progress: (Int) -> Void) throws(CairnError) -> String {
        let fd = Glibc.open(member.source, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 { throw SystemError.make("open", path: member.source) }
        defer { close(fd) }
        let hasher = SHA256Hasher()
        var left = member.size
        while left > 0 {
            let want = Int(min(Int64(buffer.count), left))
            let count = buffer.withUnsafeMutableBytes { raw in read(fd, raw.baseAddress!, want) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemError.make("read", path: member.source)
            }
            if count == 0 {
                throw CairnError(.conflict, "'\(member.source)' became shorter while it was archived",
                                 hint: "archive the run again once nothing writes to it")
            }
            try buffer.withUnsafeBytes { raw in
                Result { () throws(CairnError) in
                    let chunk = UnsafeRawBufferPointer(rebasing: raw[..<count])
                    hasher.update(chunk)
                    try writer.write(chunk)
                }
            }.get()
            left -= Int64(count)
            progress(count)
        }
        return hasher.finalizeHex()
    }

    static func kindName(_ kind: TarEntry.Kind) -> String {
        switch kind {
        case .file: "file"
        case .directory: "directory"
        case .symlink: "symlink"
        case .other(let byte): "type \(Character(Unicode.Scalar(byte)))"
        }
    }
}
