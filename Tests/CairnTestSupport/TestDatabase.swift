import Foundation

/// The PostgreSQL server the tests of the PostgreSQL index use: `$CAIRN_TEST_DATABASE`, a throw-away
/// cluster that `bash scripts/test` starts (scripts/postgres-cluster). Each test takes a schema of its own.
public enum TestDatabase {
    /// The server's URL, nil when there is none.
    public static var url: String? {
        ProcessInfo.processInfo.environment["CAIRN_TEST_DATABASE"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// True when a server is there to test against.
    public static var isAvailable: Bool { url != nil }

    /// Why the PostgreSQL tests are skipped, shown beside each of them.
    public static var skipReason: String {
        let reason = ProcessInfo.processInfo.environment["CAIRN_TEST_DATABASE_SKIP"]
            ?? "CAIRN_TEST_DATABASE is not set (bash scripts/test starts a throw-away PostgreSQL cluster)"
        return "no PostgreSQL server for the tests: \(reason)"
    }

    /// The server's URL with a new schema of its own (`?schema=t_…`), so tests never see each other's rows.
    public static func freshURL() -> String? {
        freshSchema()?.url
    }

    /// A new schema of the test server: the URL Cairn takes, and for `psql` the URL without its query
    /// and the schema's name.
    public struct FreshSchema: Sendable {
        public let url: String
        public let database: String
        public let schema: String
    }

    /// A new schema of its own (see ``freshURL()``), with what `psql` needs to look into it.
    public static func freshSchema() -> FreshSchema? {
        guard let url else { return nil }
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        let database = String(url.split(separator: "?", maxSplits: 1)[0])
        return FreshSchema(url: url + (url.contains("?") ? "&" : "?") + "schema=\(schema)", database: database, schema: String(schema))
    }

    /// Runs `pg_ctl ARGS…` on the test cluster (stop, start: the tests of a lost database), when the
    /// cluster is the one scripts/test started.
    public static func pgCtl(_ arguments: [String]) throws -> TestProcess.Result {
        let environment = ProcessInfo.processInfo.environment
        guard let script = environment["CAIRN_TEST_PG_CTL"], let dir = environment["CAIRN_TEST_PG_DIR"] else {
            throw TestDatabaseError.noCluster
        }
        return try TestProcess.run("/usr/bin/env", ["bash", script, "pg_ctl", dir] + arguments)
    }

    /// The test cluster is not one these tests may stop.
    public enum TestDatabaseError: Error { case noCluster }
}
