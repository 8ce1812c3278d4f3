#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import CairnTestSupport

/// A tmpfs mounted for a test, when the process may mount (root with CAP_SYS_ADMIN).
struct TmpfsMount {
    let path: String

    static let isAvailable: Bool = {
        guard geteuid() == 0, let dir = try? TemporaryDirectory("cairn-mount-probe") else { return false }
        let result = try? TestProcess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir.path])
        guard result?.status == 0 else { return false }
        _ = try? TestProcess.run("/bin/umount", [dir.path])
        return true
    }()

    init(at url: URL, size: String) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let result = try TestProcess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", url.path])
        try #require(result.status == 0, "mount failed: \(result.stderr)")
        path = url.path
    }

    func unmount() { _ = try? TestProcess.run("/bin/umount", ["-l", path]) }
}
