import Glibc
import CairnCore

/// Reads what a file holds from its first bytes (``ContentKind``), for a migration about to give it
/// another extension.
enum ContentSniffer {
    /// The kind of the file or folder at `path` (absolute); `.other` when it cannot be read.
    static func kind(atPath path: String) -> ContentKind {
        var info = stat()
        guard stat(path, &info) == 0 else { return .other }
        if info.st_mode & S_IFMT == S_IFDIR { return .folder }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .other }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 16)
        let count = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 16, 0) }
        guard count > 0 else { return .other }
        return ContentKind.sniff(Array(head.prefix(count)), size: Int(info.st_size))
    }
}
