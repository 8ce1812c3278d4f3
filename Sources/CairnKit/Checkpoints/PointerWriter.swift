import Glibc
import Foundation
import CairnCore

/// Replaces a stable name (`best`, `last`…) so that it resolves to a checkpoint, atomically: a
/// relative symlink where the file system allows it, else a hard link (files), else a copy. The new
/// pointer is made under a temporary name and renamed over the old one, so a reader sees either the
/// old or the new checkpoint, never nothing and never a partial file.
enum PointerWriter {
    enum Mechanism: String, Sendable {
        case symlink, hardlink, copy
    }

    /// Set `CAIRN_POINTER_MECHANISM` to `hardlink` or `copy` to skip the better mechanisms (tests of
    /// file systems without symlinks use it).
    static var floor: Mechanism {
        Mechanism(rawValue: ProcessInfo.processInfo.environment["CAIRN_POINTER_MECHANISM"] ?? "") ?? .symlink
    }

    /// Points `pointer` at `target` (both absolute; `target` is a file or a folder).
    /// - Parameter floor: the best mechanism to try; worse ones are tried when it fails.
    @discardableResult
    static func point(_ pointer: String, to target: String, isFolder: Bool,
                      floor: Mechanism = PointerWriter.floor) throws(CairnError) -> Mechanism {
        let folder = Paths.parent(pointer)
        try FileSystem.makeDirectories(folder)
        var random = SystemRandomNumberGenerator()
        let temp = Paths.join(folder, AtomicFile.temporaryPrefix + Paths.lastComponent(pointer).prefix(100)
            + "-\(getpid())-\(String(random.next() % 0xFFFF_FFFF, radix: 36))")
        var mechanism = floor
        if mechanism == .symlink {
            if symlink(TreePath.relative(from: folder, to: target), temp) != 0 {
                guard [EPERM, EOPNOTSUPP, ENOSYS].contains(errno) else { throw SystemError.make("create a link at", path: pointer) }
                mechanism = .hardlink
            }
        }
        if mechanism == .hardlink {
            if isFolder || link(target, temp) != 0 {
                guard isFolder || [EPERM, EOPNOTSUPP, EXDEV, EMLINK, ENOSYS].contains(errno) else {
                    throw SystemError.make("create a link at", path: pointer)
                }
                mechanism = .copy
            }
        }
        if mechanism == .copy {
            do {
                try TreeCopy.copy(target, to: temp)
            } catch {
                TreeCopy.remove(temp)
                throw error
            }
        }
        try replace(pointer, with: temp)
        return mechanism
    }

    /// Renames `temp` over `pointer`. rename(2) cannot put a folder (a copy) over anything but an
    /// empty folder, nor a file over a folder: then the two are swapped atomically (``exchange(_:_:)``)
    /// and the old one removed, so a reader never finds the pointer missing. Where swapping is not
    /// supported, the old pointer is moved aside first (put back if the rename fails).
    private static func replace(_ pointer: String, with temp: String) throws(CairnError) {
        var old = stat(), new = stat()
        let isFolder = { (info: stat) in (info.st_mode & S_IFMT) == S_IFDIR }
        if lstat(pointer, &old) == 0, isFolder(old) || (lstat(temp, &new) == 0 && isFolder(new)) {
            if exchange(temp, pointer) {
                TreeCopy.remove(temp)
            } else {
                let aside = temp + "-old"
                if rename(pointer, aside) != 0 { TreeCopy.remove(temp); throw SystemError.make("replace", path: pointer) }
                if rename(temp, pointer) != 0 {
                    let code = errno
                    _ = rename(aside, pointer)
                    TreeCopy.remove(temp)
                    throw SystemError.make("replace", path: pointer, errno: code)
                }
                TreeCopy.remove(aside)
            }
        } else if rename(temp, pointer) != 0 {
            let code = errno
            TreeCopy.remove(temp)
            throw SystemError.make("replace", path: pointer, errno: code)
        }
        FileSystem.syncDirectory(Paths.parent(pointer))
    }

    /// Swaps two existing paths in one atomic step (`renameat2(RENAME_EXCHANGE)`); false where the
    /// kernel, glibc or file system does not support it.
    static func exchange(_ a: String, _ b: String) -> Bool {
        guard let renameat2 = renameat2Function else { return false }
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, 2 /* RENAME_EXCHANGE */) == 0
    }

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    /// glibc's `renameat2` (2.28+), looked up at run time: the Swift Glibc module does not export it.
    private static let renameat2Function: RenameAt2? = dlsym(nil, "renameat2").map { unsafeBitCast($0, to: RenameAt2.self) }

    /// Removes a pointer (a link, or a copied file or folder).
    static func remove(_ pointer: String) {
        TreeCopy.remove(pointer)
        FileSystem.syncDirectory(Paths.parent(pointer))
    }

    /// The absolute path a pointer leads to (following a symlink), or the pointer itself for a hard
    /// link or copy; nil if nothing is there.
    static func resolve(_ pointer: String) -> String? {
        var info = stat()
        guard lstat(pointer, &info) == 0 else { return nil }
        guard (info.st_mode & S_IFMT) == S_IFLNK else { return pointer }
        guard let text = FileSystem.linkText(pointer) else { return nil }
        let resolved = text.hasPrefix("/") ? text : Paths.normalize(Paths.join(Paths.parent(pointer), text))
        return FileSystem.exists(resolved) ? resolved : nil
    }

}
