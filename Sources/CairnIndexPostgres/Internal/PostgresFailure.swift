import CairnCore
import NIOCore
import PostgresNIO

/// CairnErrors for PostgreSQL's failures: what failed, on which server, and what to do.
enum PostgresFailure {
    /// True when the connection itself failed (the server went away or restarted), not the statement.
    static func isConnectionLost(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return error is ChannelError || error is IOError }
        switch error.code {
        case .serverClosedConnection, .connectionError, .uncleanShutdown, .clientClosedConnection: return true
        case .server: return sqlState(error).map(isUnavailableState) ?? false
        default: return false
        }
    }

    static func error(_ error: any Error, url: DatabaseURL, doing what: String) -> CairnError {
        let rebuild = "the index is a cache of the store's files: once the database is back, searches use it again ('cairn reindex --database …' refills it)"
        if let error = error as? PSQLError {
            switch error.code {
            case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
                let cause = error.underlying.map { "\($0)" } ?? error.code.description
                // The short reason says it; the NIO error's text would only repeat it at length.
                return CairnError(.unavailable, "could not \(what): the database server \(url.server) cannot be reached (\(Self.short(cause)))",
                                  hint: "start PostgreSQL there, or check index.database (--database, CAIRN_DATABASE); " + rebuild)
            case .sslUnsupported:
                return CairnError(.unavailable, "could not \(what): the database server \(url.server) does not offer TLS, which sslmode=require asks for",
                                  hint: "enable TLS on the server, or use sslmode=prefer or disable in the URL")
            case .authMechanismRequiresPassword:
                return CairnError(.permissionDenied, "could not \(what): the database server \(url.server) asks user '\(url.user)' for a password",
                                  hint: "set PGPASSWORD, or add a line for it to the password file (PGPASSFILE, ~/.pgpass, mode 600)")
            case .server:
                let state = sqlState(error) ?? ""
                let message = error.serverInfo?[.message] ?? "\(error)"
                if isUnavailableState(state) {
                    return CairnError(.unavailable, "could not \(what): the database server \(url.server) is not accepting work (\(message))",
                                      hint: "try again when it is back; " + rebuild, cause: message)
                }
                if state == "28P01" || state == "28000" {
                    return CairnError(.permissionDenied, "could not \(what): the database server \(url.server) refused user '\(url.user)' (\(message))",
                                      hint: "check the user and the password (PGPASSWORD, or the password file PGPASSFILE, ~/.pgpass)", cause: message)
                }
                if state == "3D000" {
                    return CairnError(.notFound, "could not \(what): the database '\(url.database)' does not exist on \(url.server)",
                                      hint: "create it ('createdb \(url.database)'), or fix the URL", cause: message)
                }
                if state.hasPrefix("42501") {
                    return CairnError(.permissionDenied, "could not \(what) in \(url): \(message)",
                                      hint: "grant user '\(url.user)' the rights to create tables in the database (or its schema)", cause: message)
                }
                if state == "53100" {
                    return CairnError(.io, "could not \(what) in \(url): the database server's disk is full", hint: "free some space on \(url.server)", cause: message)
                }
                return CairnError(.io, "could not \(what) in \(url): \(message) (SQLSTATE \(state))", cause: "\(error)")
            default:
                return CairnError(.io, "could not \(what) in \(url): \(error.code)", cause: "\(error)")
            }
        }
        if error is ChannelError || error is IOError {
            return CairnError(.unavailable, "could not \(what): the database server \(url.server) cannot be reached (\(Self.short("\(error)")))",
                              hint: "start PostgreSQL there, or check index.database (--database, CAIRN_DATABASE); " + rebuild)
        }
        return CairnError(.io, "could not \(what) in \(url)", cause: "\(error)")
    }

    /// SQLSTATEs of a server that is shutting down, starting up or out of connections: try again.
    private static func isUnavailableState(_ state: String) -> Bool {
        ["57P01", "57P02", "57P03", "53300", "08006", "08001", "08004"].contains(state)
    }

    private static func sqlState(_ error: PSQLError) -> String? {
        error.serverInfo?[.sqlState]
    }

    /// The first line of an error's text, without NIO's type names where a plain reason exists.
    private static func short(_ text: String) -> String {
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("connectTimeout") { return "no answer within 5 s" }
        return String(text.prefix(while: { $0 != "\n" }).prefix(200))
    }
}
