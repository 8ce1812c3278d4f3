import CairnCore
import CairnFormats
import Glibc

/// A member `cairn archive create` writes: where it is in the archive and where its bytes come from.
struct ArchiveMember {
    /// The path in the archive (relative to the store's tree, or `.cairn/…` for Cairn's own files).
    var path: String
    /// The file's absolute path (files only).
    var source: String
    var kind: TarEntry.Kind
    var size: Int64
    var mode: UInt32
    var target: String = ""
    /// The modification time, seconds since the epoch.
    var time: Int64 = 0

    /// The members of a run folder, the folder first, then what it holds in name order: folders,
    /// files, and links whose target stays inside the run folder. A link leading out of it (or an
    /// absolute one), a device, a fifo or a socket is refused: the archive holds the run and nothing else.
    static func walk(_ folder: String, as path: String, runFolder: String, run: RunID, into members: inout [ArchiveMember]) throws(CairnError) {
        var info = stat()
        guard lstat(folder, &info) == 0 else { throw SystemError.make("read", path: folder) }
        members.append(ArchiveMember(path: path, source: folder, kind: .directory, size: 0, mode: UInt32(info.st_mode & 0o7777), time: Int64(info.st_mtim.tv_sec)))
        for name in try FileSystem.list(folder).sorted() {
            let child = Paths.join(folder, name)
            let childPath = path + "/" + name
            guard lstat(child, &info) == 0 else { throw SystemError.make("read", path: child) }
            let mode = UInt32(info.st_mode & 0o7777)
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                try walk(child, as: childPath, runFolder: runFolder, run: run, into: &members)
            case S_IFREG:
                members.append(ArchiveMember(path: childPath, source: child, kind: .file, size: Int64(info.st_size), mode: mode, time: Int64(info.st_mtim.tv_sec)))
            case S_IFLNK:
                let target = FileSystem.linkText(child) ?? ""
                guard Self.staysInside(link: String(childPath.dropFirst(runFolder.count + 1)), target: target) else {
                    throw CairnError(.unsupportedFormat, "the link '\(child)' of run \(run) leads out of its run folder (to '\(target)'): it cannot be archived",
                                     hint: "replace the link by the file it names (or remove it), then archive again")
                }
                members.append(ArchiveMember(path: childPath, source: child, kind: .symlink, size: 0, mode: 0o777, target: target,
                                             time: Int64(info.st_mtim.tv_sec)))
            default:
                throw CairnError(.unsupportedFormat, "'\(child)' in run \(run) is not a file, a folder or a link (a device, fifo or socket): it cannot be archived",
                                 hint: "remove it from the run folder, then archive again")
            }
        }
    }

    /// Whether a link at `link` (relative to its run folder) to `target` stays inside the run folder.
    static func staysInside(link: String, target: String) -> Bool {
        guard !target.isEmpty, !target.hasPrefix("/") else { return false }
        let resolved = Paths.normalize(Paths.join(Paths.parent("./" + link), target))
        return resolved != ".." && !resolved.hasPrefix("../")
    }

    /// The tar header of this member.
    var entry: TarEntry {
        TarEntry(path: path, kind: kind, size: kind == .file ? size : 0, mode: mode, modificationTime: time, linkTarget: target)
    }
}
