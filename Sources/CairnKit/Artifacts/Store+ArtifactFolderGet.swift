import Glibc
import CairnCore

extension Store {
    /// True when `location` names a folder inside `artifacts/` (a role's place is always a file).
    /// - Throws: `CairnError` of kind `.invalidValue` when the path leads out of the folder.
    public func isArtifactFolder(of run: Run, at location: ArtifactLocation) throws(CairnError) -> Bool {
        guard location.role == nil, let resolved = try resolvedArtifact(of: run, location.path) else { return false }
        return FileSystem.isDirectory(resolved)
    }

    /// The bytes of the file at `location`, or of every file under it when it is a folder.
    /// - Throws: `CairnError` of kind `.notFound` when there is nothing there.
    public func artifactBytes(of run: Run, at location: ArtifactLocation) throws(CairnError) -> Int64 {
        guard try isArtifactFolder(of: run, at: location) else { return try artifactFile(of: run, at: location).bytes }
        var total: Int64 = 0
        for relative in try artifactFiles(of: run, under: location.path) {
            total += FileSystem.fileSize(Paths.join(artifactsFolder(of: run), relative)) ?? 0
        }
        return total
    }

    /// Copies every file under the folder `path` of the run's `artifacts/` to `destination`, keeping their
    /// paths below it: each into a temporary file beside its place, hashed as it is copied and checked
    /// against its record; only when all are copied and match are they renamed into place (a mismatch
    /// leaves nothing, not even the folders made for them).
    /// - Parameters:
    ///   - run: the run.
    ///   - path: the folder inside `artifacts/`.
    ///   - destination: the folder to copy into (made if missing; its parent must exist); ending in `/`,
    ///     the folder in which a folder of `path`'s name is made.
    ///   - progress: called with the bytes copied so far.
    /// - Returns: what was copied, file by file.
    /// - Throws: `CairnError` of kind `.notFound` when the folder holds no files or the destination's
    ///   parent is missing, `.invalidValue` when the destination (or a place in it) is a file where a
    ///   folder is needed or a folder where a file is, `.corrupt` when a file does not match its record.
    public func copyArtifactFolder(of run: Run, at path: ArtifactPath, to destination: String,
                                   progress: ((Int64) -> Void)? = nil) throws(CairnError) -> [CairnAPI.ArtifactCopy] {
        let files = try artifactFiles(of: run, under: path)
        guard !files.isEmpty else {
            throw CairnError(.notFound, "the artifact folder '\(path)' of run \(run.id) holds no files", hint: "list the run's artifacts")
        }
        var root = Paths.absolute(destination)
        if destination.hasSuffix("/") { root = Paths.join(root, path.components.last ?? "artifacts") }
        guard FileSystem.isDirectory(Paths.parent(root)) else {
            throw CairnError(.notFound, "no folder '\(Paths.parent(root))' to copy the artifacts into", hint: "make the folder first, or give another destination")
        }
        let prefix = path.components.count
        var places: [(location: ArtifactLocation, target: String)] = []
        for file in files {
            let inside = try ArtifactPath(file)
            let target = inside.components.dropFirst(prefix).reduce(root) { Paths.join($0, $1) }
            // Every folder on the way must be a folder (or missing), the place itself not a folder.
            var above = Paths.parent(target)
            while above.count >= root.count {
                if FileSystem.exists(above) && !FileSystem.isDirectory(above) {
                    throw CairnError(.invalidValue, "'\(above)' is a file, where the artifacts' folder '\(path)' needs a folder",
                                     hint: "move it away, or copy to another destination")
                }
                above = Paths.parent(above)
            }
            if FileSystem.isDirectory(target) {
                throw CairnError(.invalidValue, "'\(target)' is a folder, where the artifact '\(inside)' goes", hint: "move it away, or copy to another destination")
            }
            places.append((ArtifactLocation(inside), target))
        }
        var made: [String] = []
        var temporaries: [(temporary: String, target: String)] = []
        var copies: [CairnAPI.ArtifactCopy] = []
        func undo() {
            for entry in temporaries { unlink(entry.temporary) }
            for folder in made.reversed() { rmdir(folder) }
        }
        var done: Int64 = 0
        for place in places {
            do throws(CairnError) {
                for folder in Self.missingFolders(above: place.target, downTo: Paths.parent(root)) {
                    if mkdir(folder, 0o755) != 0 && errno != EEXIST { throw SystemError.make("create", path: folder) }
                    made.append(folder)
                }
                let (file, _) = try artifactFile(of: run, at: place.location)
                let temporary = Self.temporaryPath(besides: place.target)
                temporaries.append((temporary, place.target))
                let base = done
                let copied = try FileDigest.copyHashing(from: file, to: temporary) { progress?(base + $0) }
                done += copied.bytes
                let record = try artifactRecord(of: run, at: place.location)
                if let record { try Self.check(copied, against: record, location: place.location, run: run) }
                copies.append(CairnAPI.ArtifactCopy(run: run.id, location: place.location, source: file, destination: place.target,
                                                    bytes: copied.bytes, sha256: copied.hex, verified: record != nil))
            } catch {
                undo()
                throw error
            }
        }
        for entry in temporaries where rename(entry.temporary, entry.target) != 0 {
            let code = errno
            undo()
            throw SystemError.make("write", path: entry.target, errno: code)
        }
        for folder in Set(temporaries.map { Paths.parent($0.target) }) { FileSystem.syncDirectory(folder) }
        return copies
    }

    /// The folders between `stop` (exclusive) and the file `path` that do not exist yet, outermost first.
    private static func missingFolders(above path: String, downTo stop: String) -> [String] {
        var missing: [String] = []
        var folder = Paths.parent(path)
        while folder.count > stop.count && !FileSystem.exists(folder) {
            missing.insert(folder, at: 0)
            folder = Paths.parent(folder)
        }
        return missing
    }

    /// A temporary file's path beside `target`, named as Cairn names its temporaries.
    static func temporaryPath(besides target: String) -> String {
        var random = SystemRandomNumberGenerator()
        return Paths.join(Paths.parent(target), AtomicFile.temporaryPrefix + Paths.lastComponent(target).prefix(100)
            + "-\(getpid())-\(String(random.next() % 0xFFFF_FFFF, radix: 36))")
    }
}
