import Glibc
import CairnCore

extension Store {
    /// Checks what putting `source` at `location` would write, without writing anything: the source
    /// exists and is a file or a folder of files, every name in it is a valid artifact path, and no
    /// place is a folder or goes through a file.
    /// - Parameters:
    ///   - run: the run.
    ///   - source: a file, or a folder (its files go under `location`, keeping their relative paths).
    ///   - location: where the file goes, or the folder under which a folder's files go.
    /// - Returns: the plan, for ``putArtifacts(_:_:removingSources:progress:)``.
    /// - Throws: `CairnError` of kind `.notFound` for a missing source, `.invalidValue` for a bad name,
    ///   a link to a folder inside the source, a role's place given a folder, or a place that is a folder.
    public func planArtifactPut(_ run: Run, from source: String, at location: ArtifactLocation) throws(CairnError) -> ArtifactPutPlan {
        let absolute = Paths.absolute(source)
        var info = stat()
        guard stat(absolute, &info) == 0 else {
            throw CairnError(.notFound, "no file or folder at '\(source)'", hint: "check the path")
        }
        var files: [ArtifactPutPlan.File] = []
        let isFolder = (info.st_mode & S_IFMT) == S_IFDIR
        if isFolder {
            if let role = location.role {
                throw CairnError(.invalidValue, "'\(source)' is a folder, and the place of \(role) is one file",
                                 hint: "give the file, or put the folder by path (without --role)")
            }
            for relative in try Self.sourceFiles(under: absolute, shown: source) {
                let file = Paths.join(absolute, relative)
                let place = ArtifactLocation(try location.path.appending(relative))
                files.append(.init(source: file, location: place, bytes: FileSystem.fileSize(file) ?? 0))
            }
            if files.isEmpty {
                throw CairnError(.invalidValue, "the folder '\(source)' holds no files", hint: "put a folder that holds files")
            }
        } else {
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                throw CairnError(.invalidValue, "'\(source)' is neither a file nor a folder", hint: "give a regular file or a folder")
            }
            guard !location.path.components.isEmpty else {
                throw CairnError(.invalidValue, "no file name given for the artifact", hint: "give a path like 'plots/loss.png'")
            }
            files.append(.init(source: absolute, location: location, bytes: Int64(info.st_size)))
        }
        for file in files { try checkPlace(of: run, file) }
        return ArtifactPutPlan(files: files, source: absolute, sourceIsFolder: isFolder)
    }

    /// Copies the plan's files among the run's artifacts, each written atomically and recorded with its
    /// sha256 in `artifacts.jsonl` (``beginArtifact(_:at:)``). Files already written stay if a later one fails.
    /// - Parameters:
    ///   - run: the run.
    ///   - plan: what ``planArtifactPut(_:from:at:)`` checked.
    ///   - removingSources: remove each source file once every file is recorded (and then the source
    ///     folder's emptied folders): a move.
    ///   - progress: called with the bytes copied so far.
    /// - Returns: the files written, as listed.
    /// - Throws: `CairnError` when a source cannot be read or the store cannot be written.
    public func putArtifacts(_ run: Run, _ plan: ArtifactPutPlan, removingSources: Bool = false,
                             progress: ((Int64) -> Void)? = nil) throws(CairnError) -> [CairnAPI.Artifact] {
        var done: Int64 = 0
        var written: [CairnAPI.Artifact] = []
        for file in plan.files {
            let input = Glibc.open(file.source, O_RDONLY | O_CLOEXEC)
            guard input >= 0 else { throw SystemError.make("read", path: file.source) }
            defer { close(input) }
            _ = posix_fadvise(input, 0, 0, POSIX_FADV_SEQUENTIAL)
            let upload = try beginArtifact(run, at: file.location)
            try Self.copy(from: input, named: file.source, to: upload, done: done, progress: progress)
            done += upload.byteCount
            let record = try upload.finish()
            written.append(artifact(of: run, at: file.location, file: upload.file, bytes: record.bytes, record: record))
        }
        if removingSources {
            for file in plan.files { unlink(file.source) }
            if plan.sourceIsFolder { Self.removeEmptyFolders(plan.source) }
        }
        return written
    }

    /// Writes what a file descriptor yields (stdin) at `location`, atomically, and records it: nothing is
    /// visible until the stream ends; a failed read leaves nothing.
    /// - Parameters:
    ///   - run: the run.
    ///   - descriptor: where to read from, to its end.
    ///   - location: where the file goes.
    ///   - progress: called with the bytes written so far.
    /// - Returns: the file written, as listed.
    /// - Throws: `CairnError` as ``beginArtifact(_:at:)`` does, or when reading fails.
    public func putArtifact(_ run: Run, reading descriptor: Int32, at location: ArtifactLocation,
                            progress: ((Int64) -> Void)? = nil) throws(CairnError) -> CairnAPI.Artifact {
        let upload = try beginArtifact(run, at: location)
        try Self.copy(from: descriptor, named: "the input", to: upload, progress: progress)
        let record = try upload.finish()
        return artifact(of: run, at: location, file: upload.file, bytes: record.bytes, record: record)
    }

    /// Copies what `descriptor` yields into `upload` (aborted when a read fails).
    private static func copy(from descriptor: Int32, named name: String, to upload: ArtifactUpload, done: Int64 = 0,
                             progress: ((Int64) -> Void)?) throws(CairnError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        defer { buffer.deallocate() }
        var done = done
        while true {
            let count = read(descriptor, buffer.baseAddress!, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                let code = errno
                upload.abort()
                throw SystemError.make("read", path: name, errno: code)
            }
            if count == 0 { break }
            try upload.write(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            done += Int64(count)
            progress?(done)
        }
    }

    /// An artifact as listed: with its record and, for a tensor file, what it holds.
    func artifact(of run: Run, at location: ArtifactLocation, file: String, bytes: Int64, record: ArtifactRecord?,
                  fields: [String: String]? = nil) -> CairnAPI.Artifact {
        CairnAPI.Artifact(run: run.id, location: location, path: file, bytes: bytes, record: record,
                          fields: fields ?? roleFields(of: run, at: location),
                          inspection: try? TensorFileInspector.inspect(file))
    }

    /// Refuses a place that is a folder, goes through a file, or is the source itself.
    private func checkPlace(of run: Run, _ file: ArtifactPutPlan.File) throws(CairnError) {
        let root: String
        let inside: String
        if file.location.role != nil {
            root = try runFolderRoot(of: run)
            inside = Self.runFolderName
        } else {
            guard let real = realpath(artifactsFolder(of: run), nil) else { return }  // nothing there yet
            root = String(cString: real)
            free(real)
            inside = Self.artifactsFolderName
        }
        let components = file.location.path.components
        for count in 1...components.count {
            let prefix = try ArtifactPath(components.prefix(count).joined(separator: "/"))
            guard let resolved = try Self.resolved(root: root, prefix, inside: inside) else { return }
            if count < components.count && !FileSystem.isDirectory(resolved) {
                throw CairnError(.invalidValue, "the artifact path '\(file.location.path)' goes through the file '\(prefix)'",
                                 hint: "choose another folder")
            }
            if count == components.count {
                if FileSystem.isDirectory(resolved) {
                    throw CairnError(.invalidValue, "the artifact path '\(file.location.path)' is a folder",
                                     hint: "give a file's path (end it with '/' to put the file into that folder)")
                }
                if let source = realpath(file.source, nil) {
                    defer { free(source) }
                    if String(cString: source) == resolved {
                        throw CairnError(.invalidValue, "'\(file.source)' is the artifact '\(file.location.path)' itself",
                                         hint: "give another source or another path")
                    }
                }
            }
        }
    }

    /// The regular files under a source folder, relative to it, sorted; links to files are followed.
    private static func sourceFiles(under folder: String, shown: String, prefix: String = "") throws(CairnError) -> [String] {
        var out: [String] = []
        for name in try FileSystem.list(folder).sorted() {
            let path = Paths.join(folder, name)
            let relative = prefix.isEmpty ? name : prefix + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                out += try sourceFiles(under: path, shown: shown, prefix: relative)
            } else if (info.st_mode & S_IFMT) == S_IFREG || FileSystem.fileSize(path) != nil {
                out.append(relative)
            } else {
                throw CairnError(.invalidValue, "'\(Paths.join(shown, relative))' is neither a file nor a folder (a link to a folder, a device or a broken link)",
                                 hint: "put only regular files and folders, or put that one separately")
            }
        }
        return out
    }

    /// Removes the empty folders under `folder`, and it when it ends up empty.
    private static func removeEmptyFolders(_ folder: String) {
        for name in (try? FileSystem.list(folder)) ?? [] {
            let path = Paths.join(folder, name)
            if FileSystem.isDirectory(path) && !FileSystem.isSymbolicLink(path) { removeEmptyFolders(path) }
        }
        rmdir(folder)
    }
}
