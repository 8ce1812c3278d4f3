import Glibc
import CairnCore

extension CheckpointSource {
    /// Splits the words of `cairn ckpt save [RUN] PATH...`: the first word is the run when more words
    /// follow and it is not an existing path; otherwise the run is `$CAIRN_RUN_ID` and every word is a
    /// path.
    /// - Parameter words: the command's positional words.
    /// - Returns: the run reference and the paths to save.
    public static func runAndPaths(_ words: [String]) -> (run: RunReference, paths: [String]) {
        let (run, rest) = RunReference.leading(words) { first in words.count >= 2 && !FileSystem.exists(first) }
        return (run, rest)
    }

    /// Files or folders a script wrote, to be taken in with `transfer`; relative paths are taken from
    /// the current folder.
    /// - Parameters:
    ///   - paths: the files or folders, absolute or relative to the current folder.
    ///   - transfer: how to take them in: ``Transfer/move``, ``Transfer/copy`` or ``Transfer/link``.
    /// - Returns: a ``files(_:_:)`` source with absolute paths.
    public static func files(at paths: [String], _ transfer: Transfer) -> CheckpointSource {
        .files(paths.map { Paths.absolute($0) }, transfer)
    }

    /// How many bytes the source holds (a file's size, or the sum over a folder's files), for
    /// progress; 0 for a writer, which has not written yet, and for paths that cannot be read.
    public var byteCount: Int64 {
        guard case .files(let paths, _) = self else { return 0 }
        return paths.reduce(0) { $0 + Self.bytes(under: $1) }
    }

    /// Sizes files, and folders file by file without following links to folders (no cycles).
    private static func bytes(under path: String, top: Bool = true) -> Int64 {
        var info = stat()
        guard lstat(path, &info) == 0 else { return 0 }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return Int64(info.st_size)
        case S_IFLNK: return top && FileSystem.isDirectory(path) ? folderBytes(path) : FileSystem.fileSize(path) ?? 0
        case S_IFDIR: return folderBytes(path)
        default: return 0
        }
    }

    private static func folderBytes(_ path: String) -> Int64 {
        guard let names = try? FileSystem.list(path) else { return 0 }  // unreadable: the save itself reports it
        return names.reduce(0) { $0 + bytes(under: Paths.join(path, $1), top: false) }
    }
}
