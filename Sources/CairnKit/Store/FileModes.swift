import Glibc
import CairnCore

/// The permission bits of the checkpoints a store holds: files get ``file`` (`file_mode` in
/// `cairn.yaml`, else what the process's umask leaves of 0666), folders ``directory`` (the same bits,
/// with x wherever r is set: 0644 gives 0755). So a checkpoint written by `tempfile.mkstemp` (0600)
/// is as readable in the store as any file the user creates.
struct FileModes: Sendable, Equatable {
    /// The mode of checkpoint files.
    var file: mode_t

    /// The mode of folders in folder checkpoints: ``file`` plus x wherever r is set.
    var directory: mode_t { file | ((file & 0o444) >> 2) }

    /// The modes of a store whose `cairn.yaml` sets `file_mode`, else the umask's.
    init(setting: Int?) {
        file = setting.map { mode_t($0) } ?? (0o666 & ~Self.umask())
    }

    /// The process's umask, read from /proc (reading it with umask(2) would change it for a moment
    /// under other threads); 022 where /proc does not say.
    static func umask() -> mode_t {
        guard let status = try? FileSystem.readText("/proc/self/status") else { return 0o022 }
        for line in status.split(separator: "\n") where line.hasPrefix("Umask:") {
            if let value = mode_t(String(line.dropFirst("Umask:".count).filter { $0 != " " && $0 != "\t" }), radix: 8) {
                return value & 0o777
            }
        }
        return 0o022
    }

    /// Gives a stored file, or a folder, its mode.
    /// - Throws: `CairnError` when the mode cannot be set (the path is not the caller's, say).
    func apply(to path: String, isDirectory: Bool) throws(CairnError) {
        if chmod(path, isDirectory ? directory : file) != 0 { throw SystemError.make("set the permissions of", path: path) }
    }

    /// Gives a staged folder checkpoint and everything in it their modes.
    func applyToTree(_ folder: String, files: [String]) throws(CairnError) {
        var folders: Set<String> = [folder]
        for file in files {
            let path = Paths.join(folder, file)
            try apply(to: path, isDirectory: false)
            var parent = Paths.parent(path)
            while parent.count > folder.count, folders.insert(parent).inserted { parent = Paths.parent(parent) }
        }
        for path in folders { try apply(to: path, isDirectory: true) }
    }
}
