import Glibc
import CairnCore

/// A checkpoint's bytes in place under a temporary name beside its final one, fsynced and hashed,
/// ready to be renamed into place.
struct StagedCheckpoint {
    /// The temporary path (absolute).
    var path: String
    var isFolder: Bool
    var bytes: Int64
    /// SHA-256 of the file; for a folder, of the sorted lines `RELPATH\0SHA256\n` of its files.
    var sha256: String
    /// For a folder: its files, relative to it, sorted.
    var files: [String]?
    /// The extension to name the checkpoint with (`.pt`), empty for folders.
    var fileExtension: String
    /// Sources to remove once the checkpoint is committed (a move across file systems).
    var sourcesToRemove: [String] = []

    /// Removes the staged bytes (after a failure).
    func discard() { TreeCopy.remove(path) }

    /// Checks that every source path is there and readable, before anything is written.
    static func checkSources(_ paths: [String]) throws(CairnError) {
        if paths.isEmpty {
            throw CairnError(.invalidValue, "no checkpoint files given", hint: "name the file (or files) to save")
        }
        var names = Set<String>()
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw CairnError(.notFound, "the checkpoint file '\(path)' does not exist", hint: "check the path given to cairn ckpt save")
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                for file in try TreeCopy.files(under: path) where access(Paths.join(path, file), R_OK) != 0 {
                    throw SystemError.make("read", path: Paths.join(path, file))
                }
            } else if access(path, R_OK) != 0 {
                throw SystemError.make("read", path: path)
            }
            let name = Paths.lastComponent(Paths.normalize(path))
            if paths.count > 1, !names.insert(name).inserted {
                throw CairnError(.conflict, "two checkpoint files are named '\(name)'", hint: "a folder checkpoint holds each file by its name; rename one")
            }
        }
    }

    /// The file extension of a path (`.pt`, `.tar.gz`), as the layouts' `{ext:ext}` field takes it.
    static func fileExtension(of path: String) -> String {
        let name = Paths.lastComponent(path)
        guard let dot = name.firstIndex(of: "."), dot != name.startIndex else { return "" }
        let ext = String(name[dot...])
        let allowed = ext.unicodeScalars.allSatisfy { $0 == "." || $0 == "_" || $0 == "-" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
        return allowed && !ext.contains("..") && !ext.hasSuffix(".") ? ext : ""
    }

    /// Stages `source` in `folder` (absolute, existing) under a temporary name derived from `name`.
    /// - Parameters:
    ///   - modes: the permissions the staged file, or the folder and everything in it, get (the store's).
    ///   - readme: for folder checkpoints, the text of a README.md to add (given the folder's files)
    ///     when the folder has none.
    static func stage(_ source: CheckpointSource, in folder: String, name: String, modes: FileModes,
                      readme: (([String]) -> String)? = nil,
                      progress: ((Int64) -> Void)? = nil) throws(CairnError) -> StagedCheckpoint {
        var random = SystemRandomNumberGenerator()
        let temp = Paths.join(folder, AtomicFile.temporaryPrefix + name.prefix(100) + "-\(getpid())-\(String(random.next() % 0xFFFF_FFFF, radix: 36))")
        do throws(CairnError) {
            switch source {
            case .files(let paths, let transfer):
                try checkSources(paths)
                let single = paths.count == 1 && !FileSystem.isDirectory(paths[0])
                if single {
                    var staged = try stageFile(paths[0], at: temp, transfer: transfer, modes: modes, progress: progress)
                    staged.fileExtension = fileExtension(of: paths[0])
                    return staged
                }
                if mkdir(temp, 0o755) != 0 { throw SystemError.make("create the folder", path: temp) }
                var moved: [String] = []
                for path in paths {
                    let normalized = Paths.normalize(path)
                    if paths.count == 1 {
                        // One folder: its content becomes the checkpoint folder.
                        for file in try TreeCopy.files(under: normalized) {
                            let destination = Paths.join(temp, file)
                            try FileSystem.makeDirectories(Paths.parent(destination))
                            moved += try transferFile(Paths.join(normalized, file), to: destination, transfer: transfer)
                        }
                        if transfer == .move { moved.append(normalized) }
                    } else if FileSystem.isDirectory(normalized) {
                        let base = Paths.join(temp, Paths.lastComponent(normalized))
                        for file in try TreeCopy.files(under: normalized) {
                            let destination = Paths.join(base, file)
                            try FileSystem.makeDirectories(Paths.parent(destination))
                            moved += try transferFile(Paths.join(normalized, file), to: destination, transfer: transfer)
                        }
                        if transfer == .move { moved.append(normalized) }
                    } else {
                        moved += try transferFile(normalized, to: Paths.join(temp, Paths.lastComponent(normalized)), transfer: transfer)
                    }
                }
                try addReadme(temp, readme)
                var staged = try sealFolder(temp, modes: modes, progress: progress)
                staged.sourcesToRemove = moved
                return staged
            case .writer(let isFolder, let ext, let write):
                if isFolder, mkdir(temp, 0o755) != 0 { throw SystemError.make("create the folder", path: temp) }
                do {
                    try write(temp)
                } catch let error as CairnError {
                    throw error
                } catch {
                    throw CairnError(.io, "the checkpoint writer failed", cause: "\(error)")
                }
                guard FileSystem.exists(temp) else {
                    throw CairnError(.invalidValue, "the checkpoint writer wrote nothing at the path it was given",
                                     hint: "write the checkpoint to the path passed to the closure")
                }
                if isFolder {
                    try addReadme(temp, readme)
                    return try sealFolder(temp, modes: modes, progress: progress)
                }
                var staged = try sealFile(temp, modes: modes, progress: progress)
                staged.fileExtension = ext
                return staged
            }
        } catch {
            TreeCopy.remove(temp)
            throw error
        }
    }

    private static func addReadme(_ folder: String, _ readme: (([String]) -> String)?) throws(CairnError) {
        guard let readme else { return }
        let files = try TreeCopy.files(under: folder)
        guard !files.contains("README.md") else { return }
        try AtomicFile.write(readme((files + ["README.md"]).sorted()), to: Paths.join(folder, "README.md"))
    }

    /// Stages one file; it gets the store's file mode (a hard link shares its mode with the source,
    /// which therefore gets it too).
    private static func stageFile(_ source: String, at temp: String, transfer: CheckpointSource.Transfer, modes: FileModes,
                                  progress: ((Int64) -> Void)?) throws(CairnError) -> StagedCheckpoint {
        switch transfer {
        case .copy:
            let (hex, bytes) = try FileDigest.copyHashing(from: source, to: temp, mode: modes.file, progress: progress)
            return StagedCheckpoint(path: temp, isFolder: false, bytes: bytes, sha256: hex, files: nil, fileExtension: "")
        case .link:
            try hardLink(source, to: temp)
            return try sealFile(temp, modes: modes, progress: progress)
        case .move:
            if rename(source, temp) == 0 {
                FileSystem.syncDirectory(Paths.parent(source))
                return try sealFile(temp, modes: modes, progress: progress)
            }
            guard errno == EXDEV else { throw SystemError.make("move", path: source) }
            // Across file systems: copy and verify now, remove the source once committed.
            let (hex, bytes) = try FileDigest.copyHashing(from: source, to: temp, mode: modes.file, progress: progress)
            return StagedCheckpoint(path: temp, isFolder: false, bytes: bytes, sha256: hex, files: nil, fileExtension: "",
                                    sourcesToRemove: [source])
        }
    }

    /// Puts one file of a folder checkpoint in place; returns sources to remove after commit.
    private static func transferFile(_ source: String, to destination: String,
                                     transfer: CheckpointSource.Transfer) throws(CairnError) -> [String] {
        switch transfer {
        case .copy:
            _ = try FileDigest.copyHashing(from: source, to: destination)
            return []
        case .link:
            try hardLink(source, to: destination)
            return []
        case .move:
            if rename(source, destination) == 0 { return [] }
            guard errno == EXDEV else { throw SystemError.make("move", path: source) }
            _ = try FileDigest.copyHashing(from: source, to: destination)
            return [source]
        }
    }

    /// Hard-links `source` at `destination` (same file system only).
    private static func hardLink(_ source: String, to destination: String) throws(CairnError) {
        guard link(source, destination) != 0 else { return }
        if errno == EXDEV {
            throw CairnError(.invalidValue, "cannot hard-link '\(source)' into the store: they are on different file systems",
                             hint: "use --copy or --move")
        }
        throw SystemError.make("link", path: source)
    }

    /// Gives a staged file its mode, hashes it and fsyncs it.
    ///
    /// A checkpoint a script has just written is usually still dirty in the page cache: its write-back
    /// starts first and runs while the file is hashed (``WriteBack``), so sealing costs the longer of
    /// hashing and writing back, not their sum.
    static func sealFile(_ path: String, modes: FileModes, progress: ((Int64) -> Void)?) throws(CairnError) -> StagedCheckpoint {
        try modes.apply(to: path, isDirectory: false)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.make("read", path: path) }
        defer { close(fd) }
        let writeBack = WriteBack.start(fd)
        let digest: (hex: String, bytes: Int64)
        do {
            digest = try FileDigest.sha256(ofFile: path, progress: progress)
        } catch {
            _ = writeBack.wait()
            throw error
        }
        if let code = writeBack.wait() { throw SystemError.make("write", path: path, errno: code) }
        return StagedCheckpoint(path: path, isFolder: false, bytes: digest.bytes, sha256: digest.hex, files: nil, fileExtension: "")
    }

    /// The digest of a file or folder checkpoint as recorded in the manifest (no fsync).
    static func digest(of path: String, isFolder: Bool) throws(CairnError) -> (sha256: String, bytes: Int64) {
        guard isFolder else {
            let (hex, bytes) = try FileDigest.sha256(ofFile: path)
            return (hex, bytes)
        }
        var listing: [UInt8] = []
        var total: Int64 = 0
        for file in try TreeCopy.files(under: path) {
            let (hex, bytes) = try FileDigest.sha256(ofFile: Paths.join(path, file))
            total += bytes
            listing += Array(file.utf8) + [0] + Array(hex.utf8) + [10]
        }
        return (FolderDigest.sha256(listing), total)
    }

    /// Gives every file of a staged folder and the folders themselves their modes, hashes and fsyncs them.
    static func sealFolder(_ path: String, modes: FileModes, progress: ((Int64) -> Void)?) throws(CairnError) -> StagedCheckpoint {
        let files = try TreeCopy.files(under: path)
        try modes.applyToTree(path, files: files)
        var listing: [UInt8] = []
        var total: Int64 = 0
        for file in files {
            let full = Paths.join(path, file)
            let (hex, bytes) = try FileDigest.sha256(ofFile: full) { done in progress?(total + done) }
            total += bytes
            let fd = open(full, O_RDONLY | O_CLOEXEC)
            if fd >= 0 { fsync(fd); close(fd) }
            listing += Array(file.utf8) + [0] + Array(hex.utf8) + [10]
        }
        var folders = Set(files.map { Paths.parent(Paths.join(path, $0)) })
        folders.insert(path)
        for folder in folders { FileSystem.syncDirectory(folder) }
        return StagedCheckpoint(path: path, isFolder: true, bytes: total, sha256: FolderDigest.sha256(listing),
                                files: files, fileExtension: "")
    }
}
