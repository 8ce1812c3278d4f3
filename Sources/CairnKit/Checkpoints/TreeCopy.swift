import Glibc
import CairnCore

/// Copies and removes files and folder trees, fsyncing what it writes.
enum TreeCopy {
    /// Copies a file or a folder tree to `destination` (which must not exist).
    static func copy(_ source: String, to destination: String) throws(CairnError) {
        var info = stat()
        guard stat(source, &info) == 0 else { throw SystemError.make("read", path: source) }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            if mkdir(destination, 0o755) != 0 { throw SystemError.make("create the folder", path: destination) }
            for name in try FileSystem.list(source).sorted() {
                try copy(Paths.join(source, name), to: Paths.join(destination, name))
            }
            FileSystem.syncDirectory(destination)
        } else {
            _ = try FileDigest.copyHashing(from: source, to: destination)
        }
    }

    /// Removes a file, link or folder tree; missing paths are fine.
    static func remove(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            // Best effort, as documented: what cannot be listed stays (rmdir then fails too), and the
            // callers' recovery removes it on a later pass.
            for name in (try? FileSystem.list(path)) ?? [] { remove(Paths.join(path, name)) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// Every regular file under a folder, as paths relative to it, sorted.
    static func files(under folder: String, prefix: String = "") throws(CairnError) -> [String] {
        var out: [String] = []
        for name in try FileSystem.list(folder).sorted() {
            let path = Paths.join(folder, name)
            let relative = prefix.isEmpty ? name : prefix + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: out += try files(under: path, prefix: relative)
            case S_IFREG: out.append(relative)
            default:
                throw CairnError(.invalidValue, "'\(path)' is neither a file nor a folder (a link or a device)",
                                 hint: "checkpoint folders may hold only regular files and folders")
            }
        }
        return out
    }
}
