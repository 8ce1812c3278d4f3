import CairnCore
import Glibc

/// What the mount a store lives on guarantees to several hosts sharing it: run creation between hosts
/// relies on exclusive creates and `flock` reaching the file server, which an NFS mount with `nolock`
/// (or `local_lock=flock`/`all`) keeps on each host.
enum SharedStorage {
    /// A mount from `/proc/self/mountinfo`.
    struct Mount: Equatable {
        var point: String
        var type: String
        var options: Set<String>
    }

    /// The mount holding `path` (the longest mount point that is a prefix of it), from mountinfo's text.
    static func mount(of path: String, in mountinfo: String) -> Mount? {
        var best: Mount?
        for line in mountinfo.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard fields.count >= 9, let dash = fields.firstIndex(of: "-"), dash >= 6, dash + 1 < fields.count else { continue }
            let point = unescaped(fields[4])
            guard path == point || point == "/" || path.hasPrefix(point.hasSuffix("/") ? point : point + "/") else { continue }
            if let best, best.point.count > point.count { continue }
            var options = Set(fields[5].split(separator: ",").map(String.init))
            if dash + 3 < fields.count { options.formUnion(fields[dash + 3].split(separator: ",").map(String.init)) }
            best = Mount(point: point, type: fields[dash + 1], options: options)
        }
        return best
    }

    /// Refuses a mount whose locks stay on each host, for a store several servers share.
    static func check(_ mount: Mount?, store: String) throws(CairnError) {
        guard let mount, mount.type.hasPrefix("nfs") else { return }
        let local = mount.options.contains("nolock") || mount.options.contains("local_lock=all") || mount.options.contains("local_lock=flock")
        guard local else { return }
        throw CairnError(.conflict, "the store '\(store)' is on an NFS mount of '\(mount.point)' whose locks stay on this host (\(mount.options.contains("nolock") ? "nolock" : "local_lock")): servers on several hosts would not exclude each other when they create runs",
                         hint: "mount it with locking (drop 'nolock' and 'local_lock'; NFSv4 locks on the server by default), or serve the store from one host")
    }

    /// mountinfo escapes space, tab, newline and backslash as `\NNN` (octal).
    private static func unescaped(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == 92, utf8.count >= 3, let value = UInt8(String(decoding: utf8.prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(value)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Store {
    /// For `cairn serve` on a database index (servers on several hosts): refuses a store on an NFS
    /// mount without server-side locks. What cannot be checked from here (the file server's own
    /// consistency, close-to-open caching) is described in the README.
    /// - Throws: `conflict` naming the mount and the option.
    public func checkSharedStorage() throws(CairnError) {
        guard let text = try? FileSystem.readIfPresent("/proc/self/mountinfo") else { return }
        var path = root
        if let real = realpath(root, nil) {
            path = String(cString: real)
            free(real)
        }
        try SharedStorage.check(SharedStorage.mount(of: path, in: String(decoding: text, as: UTF8.self)), store: root)
    }
}
