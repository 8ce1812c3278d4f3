#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
    @discardableResult
    static func point(_ pointer: String, to target: String, isFolder: Bool) throws(CairnError) -> Mechanism {
        let folder = Paths.parent(pointer)
        try FileSystem.makeDirectories(folder)
        var random = SystemRandomNumberGenerator()
        let temp = Paths.join(folder, AtomicFile.temporaryPrefix + Paths.lastComponent(pointer).prefix(100)
            + "-\(getpid())-\(String(random.next() % 0xFFFF_FFFF, radix: 36))")
        var mechanism = floor
        if mechanism == .symlink {
            if symlink(relativePath(from: folder, to: target), temp) != 0 {
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

    /// Renames `temp` over `pointer`; a pointer that is a real folder (a copy) is moved aside first.
    private static func replace(_ pointer: String, with temp: String) throws(CairnError) {
        var info = stat()
        if lstat(pointer, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            let aside = temp + "-old"
            if rename(pointer, aside) != 0 { TreeCopy.remove(temp); throw SystemError.make("replace", path: pointer) }
            if rename(temp, pointer) != 0 { TreeCopy.remove(temp); throw SystemError.make("replace", path: pointer) }
            TreeCopy.remove(aside)
        } else if rename(temp, pointer) != 0 {
            let code = errno
            TreeCopy.remove(temp)
            throw SystemError.make("replace", path: pointer, errno: code)
        }
        FileSystem.syncDirectory(Paths.parent(pointer))
    }

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
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(pointer, &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let resolved = text.hasPrefix("/") ? text : Paths.normalize(Paths.join(Paths.parent(pointer), text))
        return FileSystem.exists(resolved) ? resolved : nil
    }

    /// `target` relative to the folder `from` (both absolute, normalized).
    static func relativePath(from folder: String, to target: String) -> String {
        let a = folder.split(separator: "/"), b = target.split(separator: "/")
        var common = 0
        while common < a.count, common < b.count, a[common] == b[common] { common += 1 }
        let up = Array(repeating: "..", count: a.count - common)
        return (up + b[common...].map(String.init)).joined(separator: "/")
    }
}
