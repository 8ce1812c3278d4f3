import Glibc
import CairnCore

/// Moves one file so that a kill at any moment leaves a state the next run finishes: within a file
/// system, `link` then `unlink` (never replacing anything); across file systems, copy to a temporary
/// name while hashing, re-read and compare, link into place, then remove the source.
enum FileMover {
    /// Moves `source` to `target` (absolute), or finishes a move a killed process began.
    /// - Returns: the sha256 when the move read the file (a copy across file systems), else nil.
    @discardableResult
    static func move(_ source: String, to target: String) throws(CairnError) -> String? {
        var sourceInfo = stat(), targetInfo = stat()
        let hasSource = lstat(source, &sourceInfo) == 0
        let hasTarget = lstat(target, &targetInfo) == 0
        if hasTarget {
            // The target appears only once it is complete (a link of the source, or a verified copy),
            // so what is left is removing the source.
            if hasSource { try unlinkSource(source) }
            return nil
        }
        guard hasSource else {
            throw CairnError(.corrupt, "'\(source)' is missing and '\(target)' was never written",
                             hint: "the file was moved or deleted by something else; restore it, then run 'cairn migrate --resume' again")
        }
        let folder = Paths.parent(target)
        try FileSystem.makeDirectories(folder)
        var folderInfo = stat()
        guard stat(folder, &folderInfo) == 0 else { throw SystemError.make("read", path: folder) }
        if folderInfo.st_dev == sourceInfo.st_dev {
            if link(source, target) == 0 {
                try unlinkSource(source)
                return nil
            }
            let code = errno
            guard code == EPERM || code == ENOTSUP || code == EMLINK else { throw SystemError.make("move to", path: target, errno: code) }
            // A file system without hard links: rename, which is atomic, after checking the target is free.
            if lstat(target, &targetInfo) == 0 { throw CairnError(.alreadyExists, "'\(target)' exists", hint: "move it away, then resume") }
            if rename(source, target) != 0 { throw SystemError.make("move to", path: target) }
            FileSystem.syncDirectory(folder)
            return nil
        }
        let temp = Paths.join(folder, AtomicFile.temporaryPrefix + "migrate-" + Paths.lastComponent(target).prefix(100))
        unlink(temp)
        let copied = try FileDigest.copyHashing(from: source, to: temp)
        let (reread, _) = try FileDigest.sha256(ofFile: temp)
        guard reread == copied.hex else {
            unlink(temp)
            throw CairnError(.io, "the copy of '\(source)' at '\(temp)' does not read back the same (sha256 \(reread), expected \(copied.hex))",
                             hint: "check the target disk, then run 'cairn migrate --resume'")
        }
        if link(temp, target) != 0 {
            let code = errno
            unlink(temp)
            throw SystemError.make("move to", path: target, errno: code)
        }
        unlink(temp)
        FileSystem.syncDirectory(folder)
        try unlinkSource(source)
        return copied.hex
    }

    /// Makes the symbolic link at `path` read `to` when it reads `from`, atomically (a new link under a
    /// temporary name renamed over it). A link that reads `to` already (a killed migration's) or
    /// something else (changed since the plan) is left as it is.
    static func rewriteLink(_ path: String, from: String, to: String) throws(CairnError) {
        guard let text = FileSystem.linkText(path), text == from, from != to else { return }
        let folder = Paths.parent(path)
        // A rewrite killed before its rename left its new link under a temporary name.
        AbandonedTemporaries.remove(in: folder)
        var random = SystemRandomNumberGenerator()
        let temp = Paths.join(folder, AtomicFile.temporaryPrefix + "link-\(getpid())-\(String(random.next() % 0xFFFF_FFFF, radix: 36))")
        guard symlink(to, temp) == 0 else { throw SystemError.make("create a link beside", path: path) }
        guard rename(temp, path) == 0 else {
            let code = errno
            unlink(temp)
            throw SystemError.make("rewrite the link", path: path, errno: code)
        }
        FileSystem.syncDirectory(folder)
    }

    private static func unlinkSource(_ source: String) throws(CairnError) {
        if unlink(source) != 0, errno != ENOENT { throw SystemError.make("remove the moved", path: source) }
    }

    /// Removes `folder` and then each parent up to (not including) `stop` while they are empty.
    static func removeEmptyFolders(from folder: String, stop: String) {
        var current = folder
        while current.hasPrefix(stop + "/"), rmdir(current) == 0 { current = Paths.parent(current) }
    }
}
