#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CairnCore

/// Writes the demo's checkpoint bytes to the path Cairn hands the writer.
enum DemoFiles {
    static func save(_ bytes: [UInt8], to path: String) throws(CairnError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError.make("write", path: path) }
        defer { close(fd) }
        if let code = FileSystem.writeAll(fd, bytes) { throw SystemError.make("write", path: path, errno: code) }
    }
}
