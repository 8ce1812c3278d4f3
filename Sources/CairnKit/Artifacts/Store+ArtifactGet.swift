import Glibc
import CairnCore

extension Store {
    /// Copies the artifact at `location` to `destination`, atomically: into a temporary file beside it,
    /// hashed on the way and synced; renamed into place only when its sha256 and size match the file's
    /// record in `artifacts.jsonl` (a file without a record is copied as it is); then the folder is synced.
    /// - Parameters:
    ///   - run: the run.
    ///   - location: the artifact.
    ///   - destination: the copy's path (replaced if it is a file); ending in `/`, the folder to copy it into.
    ///   - progress: called with the bytes copied so far.
    /// - Returns: what was copied, and whether it was checked against a record.
    /// - Throws: `CairnError` of kind `.notFound` for a missing artifact or destination folder,
    ///   `.invalidValue` for a destination that is a folder (without the `/`), `.corrupt` when the bytes
    ///   do not match the record (nothing is written then).
    public func copyArtifact(of run: Run, at location: ArtifactLocation, to destination: String,
                             progress: ((Int64) -> Void)? = nil) throws(CairnError) -> CairnAPI.ArtifactCopy {
        let (file, _) = try artifactFile(of: run, at: location)
        var target = Paths.absolute(destination)
        if destination.hasSuffix("/") { target = Paths.join(target, location.path.components.last ?? "artifact") }
        let folder = Paths.parent(target)
        guard FileSystem.isDirectory(folder) else {
            throw CairnError(.notFound, "no folder '\(folder)' to copy the artifact into", hint: "make the folder first, or give another destination")
        }
        if FileSystem.isDirectory(target) {
            throw CairnError(.invalidValue, "the destination '\(destination)' is a folder",
                             hint: "end it with '/' to copy the file into that folder, or give a file's path")
        }
        let record = try artifactRecord(of: run, at: location)
        let temporary = Self.temporaryPath(besides: target)
        let copied: (hex: String, bytes: Int64)
        do {
            copied = try FileDigest.copyHashing(from: file, to: temporary, progress: progress)
            if let record { try Self.check(copied, against: record, location: location, run: run) }
        } catch {
            unlink(temporary)
            throw error
        }
        if rename(temporary, target) != 0 {
            let code = errno
            unlink(temporary)
            throw SystemError.make("write", path: target, errno: code)
        }
        FileSystem.syncDirectory(folder)
        return CairnAPI.ArtifactCopy(run: run.id, location: location, source: file, destination: target, bytes: copied.bytes,
                                     sha256: copied.hex, verified: record != nil)
    }

    /// Writes the artifact at `location` to a file descriptor (stdout), after checking its sha256 and size
    /// against its record in `artifacts.jsonl`, if it has one: nothing is written when they do not match.
    /// - Parameters:
    ///   - run: the run.
    ///   - location: the artifact.
    ///   - descriptor: where to write.
    ///   - progress: called with the bytes written so far.
    /// - Returns: what was written (``CairnAPI/ArtifactCopy/destination`` nil).
    /// - Throws: `CairnError` of kind `.notFound` for a missing artifact, `.corrupt` on a mismatch, `.io`
    ///   when writing fails.
    public func writeArtifact(of run: Run, at location: ArtifactLocation, to descriptor: Int32,
                              progress: ((Int64) -> Void)? = nil) throws(CairnError) -> CairnAPI.ArtifactCopy {
        let (file, _) = try artifactFile(of: run, at: location)
        let record = try artifactRecord(of: run, at: location)
        let digest = try FileDigest.sha256(ofFile: file)
        if let record { try Self.check(digest, against: record, location: location, run: run) }
        let input = Glibc.open(file, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw SystemError.make("read", path: file) }
        defer { close(input) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        defer { buffer.deallocate() }
        var done: Int64 = 0
        while true {
            let count = read(input, buffer.baseAddress!, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemError.make("read", path: file)
            }
            if count == 0 { break }
            if let code = FileSystem.writeAll(descriptor, UnsafeRawBufferPointer(rebasing: buffer[0..<count])) {
                throw SystemError.make("write", path: "the output", errno: code)
            }
            done += Int64(count)
            progress?(done)
        }
        return CairnAPI.ArtifactCopy(run: run.id, location: location, source: file, destination: nil, bytes: done,
                                     sha256: digest.hex, verified: record != nil)
    }

    static func check(_ read: (hex: String, bytes: Int64), against record: ArtifactRecord, location: ArtifactLocation,
                              run: Run) throws(CairnError) {
        guard read.hex != record.sha256 || read.bytes != record.bytes else { return }
        throw CairnError(.corrupt, "the artifact '\(location)' of run \(run.id) does not match its record in artifacts.jsonl: "
                            + "sha256 \(read.hex.prefix(12))… (\(read.bytes) bytes) read, \(record.sha256.prefix(12))… (\(record.bytes) bytes) recorded",
                         hint: "it was changed after it was written: put it again if the change is wanted, else restore it from a copy")
    }
}
