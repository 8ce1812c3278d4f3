import Glibc
import CairnCore

/// Where `cairn exec` puts a run's agent socket: `$XDG_RUNTIME_DIR/cairn/`, else `/tmp/cairn-UID/`,
/// a folder of this user's with mode 0700 (a run folder's path may be longer than the 107 bytes a
/// socket's path can hold, and a shared folder would let another user connect).
enum AgentSocketPath {
    /// The longest path a Unix domain socket takes (`sun_path` less its terminating zero).
    static let maximumBytes = 107

    /// A new socket path for `run`, its folder made (or checked) first.
    /// - Throws: `CairnError` when the folder cannot be made, belongs to another user, or lets others in.
    static func make(for run: RunID, environment: [String: String]) throws(CairnError) -> String {
        let folder: String
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty, FileSystem.isDirectory(runtime) {
            folder = Paths.join(runtime, "cairn")
        } else {
            folder = "/tmp/cairn-\(getuid())"
        }
        try ensurePrivateFolder(folder)
        var random = SystemRandomNumberGenerator()
        let path = Paths.join(folder, "\(run.value.prefix(40))-\(getpid())-\(String(random.next() % 0xFFFFFF, radix: 36)).sock")
        guard path.utf8.count <= maximumBytes else {
            throw CairnError(.invalidValue, "the agent socket path '\(path)' is longer than \(maximumBytes) bytes",
                             hint: "set XDG_RUNTIME_DIR to a shorter folder")
        }
        return path
    }

    /// Makes `folder` with mode 0700, or checks that the one there is a folder (not a link) of this user's
    /// that no one else can enter.
    static func ensurePrivateFolder(_ folder: String) throws(CairnError) {
        if mkdir(folder, 0o700) != 0, errno != EEXIST {
            throw SystemError.make("create the agent's socket folder", path: folder)
        }
        var info = stat()
        guard lstat(folder, &info) == 0 else { throw SystemError.make("read the agent's socket folder", path: folder) }
        guard info.st_mode & S_IFMT == S_IFDIR, info.st_uid == getuid(), info.st_mode & 0o077 == 0 else {
            throw CairnError(.permissionDenied, "the agent's socket folder '\(folder)' is not a private folder of this user (it must be a folder owned by uid \(getuid()) with mode 0700)",
                             hint: "remove it, or set XDG_RUNTIME_DIR to a private folder")
        }
    }
}
