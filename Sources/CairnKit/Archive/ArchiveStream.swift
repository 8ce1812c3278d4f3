import CairnCore
import CairnFormats
import Glibc

/// Reads a Cairn archive from start to end: each member to a handler, the manifest (the member
/// `cairn-archive.json`) decoded, and what the members were checked against it.
enum ArchiveStream {
    /// The manifest's largest size read.
    static let manifestLimit = 256 << 20

    /// Reads the archive at `path`.
    /// - Parameters:
    ///   - name: what errors call the archive.
    ///   - progress: the compressed bytes read and the file's size.
    ///   - member: called for every member but the manifest, with the reader positioned at its data;
    ///     returns what the member is (for the check against the manifest).
    /// - Returns: the manifest and the members, in archive order.
    /// - Throws: `CairnError` of kind `.corrupt` for a damaged, truncated or non-Cairn archive; what `member` throws.
    static func read(_ path: String, name: String, progress: ((Int64, Int64) -> Void)?,
                     member: (TarEntry, TarReader) throws(CairnError) -> ArchiveManifest.File) throws(CairnError) -> (ArchiveManifest, [ArchiveManifest.File]) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw SystemError.make("open", path: name) }
        defer { close(fd) }
        let size = FileSystem.fileSize(path) ?? 0
        let gzip = GzipReader(fd: fd, path: name)
        let tar = TarReader(gzip, name: name)
        var files: [ArchiveManifest.File] = []
        var manifest: ArchiveManifest?
        progress?(0, size)
        while let entry = try tar.next() {
            if entry.path == ArchiveManifest.memberName {
                guard manifest == nil, entry.kind == .file, entry.size <= Int64(manifestLimit) else {
                    throw corrupt(name, "its manifest '\(ArchiveManifest.memberName)' is not one file of at most 256 MiB")
                }
                var bytes: [UInt8] = []
                try tar.readData { chunk in bytes += chunk }
                manifest = try decode(bytes, name: name)
            } else {
                if manifest != nil { throw corrupt(name, "the member '\(entry.path)' follows the manifest (a Cairn archive ends with it)") }
                files.append(try member(entry, tar))
            }
            progress?(gzip.compressedBytes, size)
        }
        guard let manifest else {
            throw CairnError(.unsupportedFormat, "'\(name)' is a tar archive but not a Cairn archive: it has no '\(ArchiveManifest.memberName)'",
                             hint: "extract it with tar")
        }
        return (manifest, files)
    }

    /// Checks the members read against the manifest: the same members in the same order, each with
    /// the manifest's kind, size, SHA-256, mode and link target.
    static func check(_ files: [ArchiveManifest.File], against manifest: ArchiveManifest, name: String) throws(CairnError) {
        var listed: [String: ArchiveManifest.File] = [:]
        for file in manifest.files { listed[file.path] = file }
        var seen: Set<String> = []
        for file in files {
            guard let expected = listed[file.path] else {
                throw corrupt(name, "the member '\(file.path)' is not listed in its manifest")
            }
            guard seen.insert(file.path).inserted else { throw corrupt(name, "the member '\(file.path)' appears twice") }
            if expected.kind != file.kind || expected.size != file.size || expected.sha256 != file.sha256 || expected.target != file.target {
                throw corrupt(name, "the member '\(file.path)' differs from its manifest (\(file.kind), \(file.size) bytes, sha256 \(file.sha256 ?? "-"); "
                                  + "the manifest says \(expected.kind), \(expected.size) bytes, sha256 \(expected.sha256 ?? "-"))")
            }
        }
        if let missing = manifest.files.first(where: { !seen.contains($0.path) }) {
            throw corrupt(name, "the member '\(missing.path)' listed in its manifest is missing")
        }
    }

    /// A member's description with its data hashed (files), for ``check(_:against:name:)``.
    static func hashing(_ entry: TarEntry, _ tar: TarReader, also sink: ((UnsafeRawBufferPointer) throws(CairnError) -> Void)? = nil,
                        progress: ((Int) -> Void)? = nil) throws(CairnError) -> ArchiveManifest.File {
        var file = ArchiveManifest.File(path: entry.path, kind: Store.kindName(entry.kind), size: entry.size, sha256: nil, mode: entry.mode,
                                        target: entry.kind == .symlink ? entry.linkTarget : nil)
        if entry.kind == .file {
            let hasher = SHA256Hasher()
            try tar.readData { (chunk) throws(CairnError) in
                hasher.update(chunk)
                try sink?(chunk)
                progress?(chunk.count)
            }
            file.sha256 = hasher.finalizeHex()
        }
        return file
    }

    private static func decode(_ bytes: [UInt8], name: String) throws(CairnError) -> ArchiveManifest {
        let manifest = try JSONCoding.decode(ArchiveManifest.self, from: bytes, path: name + ":" + ArchiveManifest.memberName)
        guard manifest.format == "cairn-archive" else { throw corrupt(name, "its manifest's format is '\(manifest.format)', not 'cairn-archive'") }
        guard manifest.version <= ArchiveManifest.currentVersion else {
            throw CairnError(.unsupportedFormat, "the archive '\(name)' has manifest version \(manifest.version); this cairn reads up to \(ArchiveManifest.currentVersion)",
                             hint: "extract it with a newer cairn")
        }
        return manifest
    }

    static func corrupt(_ name: String, _ what: String) -> CairnError {
        CairnError(.corrupt, "the archive '\(name)' is not as its manifest says: \(what)", hint: "make the archive again from its source")
    }
}
