import CairnCore
import Foundation

/// Where a PostgreSQL index lives: `postgresql://USER@HOST:PORT/DATABASE?schema=NAME&sslmode=MODE`.
///
/// The password is never part of it (a URL ends up in `cairn.yaml`, shell history and process lists):
/// it comes from `PGPASSWORD` or the password file (``PasswordFile``), as with `psql`. `schema` puts
/// the index's tables in a schema of their own (several stores in one database); `sslmode` is
/// `disable`, `prefer` (the default) or `require`.
public struct DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    /// The user to connect as.
    public var user: String
    /// The server's host name or address.
    public var host: String
    /// The server's port.
    public var port: Int
    /// The database.
    public var database: String
    /// The schema holding the index's tables; nil for the user's default (`public`).
    public var schema: String?
    /// Whether to use TLS.
    public var tls: TLSMode

    /// `sslmode`: whether the connection uses TLS.
    public enum TLSMode: String, Sendable, Hashable {
        /// Never.
        case disable
        /// When the server offers it.
        case prefer
        /// Always; refuse a server without it.
        case require
    }

    /// The URL without a password: `postgresql://USER@HOST:PORT/DATABASE` and its options.
    public var description: String {
        var options: [String] = []
        if let schema { options.append("schema=\(schema)") }
        if tls != .prefer { options.append("sslmode=\(tls.rawValue)") }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "postgresql://\(user)@\(hostPart):\(port)/\(database)" + (options.isEmpty ? "" : "?" + options.joined(separator: "&"))
    }

    /// `HOST:PORT`, for messages about the server.
    public var server: String { (host.contains(":") ? "[\(host)]" : host) + ":\(port)" }

    /// A location given field by field.
    public init(user: String, host: String, port: Int = 5432, database: String, schema: String? = nil, tls: TLSMode = .prefer) {
        self.user = user
        self.host = host
        self.port = port
        self.database = database
        self.schema = schema
        self.tls = tls
    }

    /// Parses a URL. The user defaults to `$PGUSER`, else `$USER`; the port to 5432; the database to the user.
    /// - Throws: `invalid-value` naming what is wrong: another scheme, a password in the URL, a bad
    ///   port, an unknown option, a schema that is not a plain identifier.
    public init(parsing text: String, environment: [String: String] = [:]) throws(CairnError) {
        func invalid(_ what: String, hint: String = "write it as postgresql://USER@HOST:PORT/DATABASE") -> CairnError {
            CairnError(.invalidValue, "the database '\(Self.redacted(text))' \(what)", hint: hint)
        }
        var rest = Substring(text)
        guard let scheme = rest.range(of: "://") else { throw invalid("is not a postgresql:// URL") }
        guard ["postgresql", "postgres"].contains(rest[..<scheme.lowerBound].lowercased()) else {
            throw invalid("is not a postgresql:// URL (Cairn's index is SQLite, the default, or PostgreSQL)")
        }
        rest = rest[scheme.upperBound...]
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var user: String?
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            if credentials.contains(":") {
                throw invalid("holds a password", hint: "leave the password out of the URL: set PGPASSWORD, or put it in the password file (PGPASSFILE, ~/.pgpass)")
            }
            user = try Self.decoded(credentials, in: text)
            rest = rest[rest.index(after: at)...]
        }
        var host = String(rest)
        var port = 5432
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw invalid("has an unclosed '[' in its host") }
            let after = host[host.index(after: close)...]
            let address = String(host[host.index(after: host.startIndex)..<close])
            if after.hasPrefix(":") {
                guard let number = Int(after.dropFirst()), (1...65535).contains(number) else { throw invalid("has an invalid port '\(after.dropFirst())'") }
                port = number
            } else if !after.isEmpty {
                throw invalid("has text after its host's ']'")
            }
            host = address
        } else if let colon = host.lastIndex(of: ":") {
            let portText = host[host.index(after: colon)...]
            guard let number = Int(portText), (1...65535).contains(number) else { throw invalid("has an invalid port '\(portText)'") }
            port = number
            host = String(host[..<colon])
        }
        guard !host.isEmpty else { throw invalid("names no host") }
        let resolvedUser = user ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        guard !resolvedUser.isEmpty else { throw invalid("names no user") }
        let database = path.isEmpty ? resolvedUser : try Self.decoded(path, in: text)
        var schema: String?
        var tls = TLSMode.prefer
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1)
            let key = String(parts[0]), value = parts.count > 1 ? try Self.decoded(parts[1], in: text) : ""
            switch key {
            case "schema", "currentSchema":
                guard Self.isIdentifier(value) else {
                    throw invalid("has an invalid schema '\(value)'", hint: "a schema is letters, digits and '_', starting with a letter or '_' (at most 63)")
                }
                schema = value
            case "sslmode":
                switch value {
                case "disable", "allow": tls = .disable
                case "prefer": tls = .prefer
                case "require", "verify-ca", "verify-full": tls = .require
                default: throw invalid("has an unknown sslmode '\(value)'", hint: "use disable, prefer or require")
                }
            case "password":
                throw invalid("holds a password", hint: "leave the password out of the URL: set PGPASSWORD, or put it in the password file (PGPASSFILE, ~/.pgpass)")
            default:
                throw invalid("has an unknown option '\(key)'", hint: "the options are schema and sslmode")
            }
        }
        self.init(user: resolvedUser, host: host, port: port, database: database, schema: schema, tls: tls)
    }

    /// True for a name PostgreSQL takes unquoted: lower-case letters, digits and `_`, not starting with
    /// a digit, at most 63 bytes.
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63, !(48...57).contains(first) else { return false }
        return name.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 95 }
    }

    /// Percent-decoding of a URL part.
    private static func decoded(_ part: Substring, in text: String) throws(CairnError) -> String {
        var bytes: [UInt8] = []
        var iterator = part.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == 37 else { bytes.append(byte); continue }  // "%"
            guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue) else {
                throw CairnError(.invalidValue, "the database '\(redacted(text))' has an invalid %-escape in '\(part)'",
                                 hint: "write a byte as % and two hexadecimal digits")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self), !decoded.utf8.contains(where: { $0 < 32 }) else {
            throw CairnError(.invalidValue, "the database '\(redacted(text))' has invalid characters in '\(part)'",
                             hint: "names in the URL are UTF-8 text without control characters")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 65...70: byte - 55
        case 97...102: byte - 87
        default: nil
        }
    }

    /// A URL with any password in it replaced by `***`, for messages.
    public static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://") else { return text }
        let afterScheme = text[scheme.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        var result = text
        if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
            result = String(text[..<authority.index(after: colon)]) + "***" + String(text[at...])
        }
        if let password = result.range(of: "password=") {
            let end = result[password.upperBound...].firstIndex(of: "&") ?? result.endIndex
            result.replaceSubrange(password.upperBound..<end, with: "***")
        }
        return result
    }
}
