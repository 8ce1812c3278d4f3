import CairnCore
import Glibc

/// Finds a PostgreSQL password as `psql` does: `PGPASSWORD`, else the password file (`PGPASSFILE`,
/// else `~/.pgpass`): lines `HOST:PORT:DATABASE:USER:PASSWORD`, `*` matching anything, `\` escaping
/// `:` and `\`, `#` starting a comment. Like libpq, a file that others can read is ignored.
public enum PasswordFile {
    /// The password for `url`, or nil when none is configured (the server may not ask for one).
    /// - Throws: `permission-denied` when `PGPASSFILE` names a file others can read or that cannot be read.
    public static func password(for url: DatabaseURL, environment: [String: String]) throws(CairnError) -> String? {
        if let password = environment["PGPASSWORD"] { return password }
        let explicit = environment["PGPASSFILE"]
        guard let path = explicit ?? environment["HOME"].map({ $0 + "/.pgpass" }) else { return nil }
        var info = stat()
        guard stat(path, &info) == 0 else {
            if explicit != nil {
                throw CairnError(.notFound, "the password file '\(path)' (PGPASSFILE) does not exist", hint: "create it, or unset PGPASSFILE")
            }
            return nil
        }
        if info.st_mode & 0o077 != 0 {
            throw CairnError(.permissionDenied, "the password file '\(path)' can be read by others (mode \(String(info.st_mode & 0o777, radix: 8)))",
                             hint: "run 'chmod 600 \(path)', as PostgreSQL's own tools require")
        }
        guard let text = readText(path) else {
            throw CairnError(.permissionDenied, "could not read the password file '\(path)'", hint: "check its permissions")
        }
        return lookup(text, for: url)
    }

    /// The password the first matching line of a password file's text gives, or nil.
    public static func lookup(_ text: String, for url: DatabaseURL) -> String? {
        let wanted = [url.host, String(url.port), url.database, url.user]
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            guard !line.hasPrefix("#") else { continue }
            let fields = self.fields(line)
            guard fields.count == 5 else { continue }
            var matches = true
            for (field, value) in zip(fields.prefix(4), wanted) where field != "*" && field != value {
                // libpq also matches "localhost" for a Unix socket; Cairn connects over TCP only.
                matches = false
            }
            if matches { return fields[4] }
        }
        return nil
    }

    /// A line's fields, split at unescaped `:` with `\` escapes removed.
    private static func fields(_ line: Substring) -> [String] {
        var fields: [String] = [], current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }

    private static func readText(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 { if errno == EINTR { continue }; return nil }
            if count == 0 { break }
            bytes += buffer[0..<count]
            if bytes.count > 1 << 20 { return nil }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
