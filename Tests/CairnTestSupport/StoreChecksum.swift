#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A checksum of a whole folder tree: every entry's path, type, size and modification time (to the
/// nanosecond), links not followed. Equal before and after a command proves the command wrote, touched,
/// created and removed nothing (a rewrite with the same bytes still changes the mtime).
public struct StoreChecksum: Equatable, CustomStringConvertible {
    /// Each entry's `type size mtime`, by path relative to the root.
    public let entries: [String: String]

    public init(_ root: String) {
        var entries: [String: String] = [:]
        var pending = [""]
        while let relative = pending.popLast() {
            let path = relative.isEmpty ? root : root + "/" + relative
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            let type = info.st_mode & S_IFMT
            entries[relative.isEmpty ? "." : relative] = "\(type) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
            guard type == S_IFDIR, let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { continue }
            for name in names { pending.append(relative.isEmpty ? name : relative + "/" + name) }
        }
        self.entries = entries
    }

    /// The entries that differ between two checksums, for a readable failure.
    public func difference(from other: StoreChecksum) -> [String] {
        Set(entries.keys).union(other.entries.keys).sorted().filter { entries[$0] != other.entries[$0] }
    }

    public var description: String { "\(entries.count) entries" }
}
