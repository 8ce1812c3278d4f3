import CairnCore
import CairnIndex
import CairnIndexPostgres
import CairnTestSupport
import Foundation
import Testing

/// The index contract on PostgreSQL (the throw-away cluster scripts/test starts), and what only a
/// server database has: a store's id, a schema of a newer cairn, an unreachable or lost server.
@Suite(.enabled(if: TestDatabase.isAvailable, Comment(rawValue: TestDatabase.skipReason)))
struct PostgresRunIndexTests {
    /// An index in a schema of its own.
    private func fresh(storeID: String? = "store-a") throws -> (url: DatabaseURL, contract: RunIndexContract) {
        let url = try DatabaseURL(parsing: try #require(TestDatabase.freshURL()))
        return (url, RunIndexContract { PostgresRunIndex(url: url, password: nil, storeID: storeID) })
    }

    @Test func answersEveryGeneratedQueryAsTheFilterDefinesIt() async throws {
        try await fresh().contract.answersEveryGeneratedQueryAsTheFilterDefinesIt()
    }

    @Test func givesBackWhatItWasGiven() async throws {
        try await fresh().contract.givesBackWhatItWasGiven()
    }

    @Test func takesRunsLargerThanOneStatement() async throws {
        try await fresh().contract.takesRunsLargerThanOneStatement()
    }

    @Test func readsThePartsAskedFor() async throws {
        try await fresh().contract.readsThePartsAskedFor()
    }

    @Test func keepsExperiments() async throws {
        try await fresh().contract.keepsExperiments()
    }

    @Test func valuesAreBoundNeverSpliced() async throws {
        try await fresh().contract.valuesAreBoundNeverSpliced()
    }

    @Test func keepsTheLaterReadOfARun() async throws {
        try await fresh().contract.keepsTheLaterReadOfARun()
    }

    @Test func takesConcurrentWriters() async throws {
        try await fresh().contract.takesConcurrentWriters()
    }

    @Test func refusesTheIndexOfAnotherStore() async throws {
        let (url, _) = try fresh(storeID: "store-a")
        try await PostgresRunIndex(url: url, password: nil, storeID: "store-a").check()
        let other = PostgresRunIndex(url: url, password: nil, storeID: "store-b")
        await #expect {
            _ = try await other.search(RunQuery())
        } throws: { error in
            let error = error as? CairnError
            return error?.kind == .conflict && error?.message.contains("store-a") == true && error?.message.contains("store-b") == true
        }
        // The same store opens it again.
        #expect(try await PostgresRunIndex(url: url, password: nil, storeID: "store-a").search(RunQuery()).runs.isEmpty)
    }

    @Test func refusesASchemaOfANewerCairn() async throws {
        let (url, _) = try fresh()
        try await PostgresRunIndex(url: url, password: nil, storeID: "store-a").check()
        let psql = try TestProcess.run("/usr/bin/env", ["psql", try #require(TestDatabase.url), "-v", "ON_ERROR_STOP=1", "-c",
                                                        "INSERT INTO \(try #require(url.schema)).cairn_schema (version) VALUES (99)"])
        try #require(psql.status == 0, "\(psql.stderr) \(psql.stdout)")
        await #expect {
            _ = try await PostgresRunIndex(url: url, password: nil, storeID: "store-a").search(RunQuery())
        } throws: { ($0 as? CairnError)?.kind == .unsupportedFormat && "\($0)".contains("newer cairn") }
    }

    @Test func anUnreachableServerIsOneClearError() async throws {
        // A port nothing listens on.
        let url = try DatabaseURL(parsing: "postgresql://cairn@127.0.0.1:1/cairn")
        await #expect {
            _ = try await PostgresRunIndex(url: url, password: nil, storeID: nil).search(RunQuery())
        } throws: { error in
            let error = error as? CairnError
            return error?.kind == .unavailable && error?.message.contains("127.0.0.1:1") == true && error?.message.contains("connection refused") == true
        }
    }

    @Test func aMissingDatabaseIsNamed() async throws {
        var url = try DatabaseURL(parsing: try #require(TestDatabase.url))
        url.database = "no_such_database"
        await #expect {
            _ = try await PostgresRunIndex(url: url, password: nil, storeID: nil).search(RunQuery())
        } throws: { ($0 as? CairnError)?.kind == .notFound && "\($0)".contains("no_such_database") }
    }
}

/// The URL and the password file, which need no server.
@Suite struct DatabaseURLTests {
    @Test func parsesWhatPsqlTakes() throws {
        let url = try DatabaseURL(parsing: "postgresql://ml@db.lab:6543/runs?schema=team_a&sslmode=require")
        #expect(url == DatabaseURL(user: "ml", host: "db.lab", port: 6543, database: "runs", schema: "team_a", tls: .require))
        #expect(url.description == "postgresql://ml@db.lab:6543/runs?schema=team_a&sslmode=require")
        let defaults = try DatabaseURL(parsing: "postgres://db", environment: ["USER": "me"])
        #expect(defaults == DatabaseURL(user: "me", host: "db", port: 5432, database: "me"))
        let v6 = try DatabaseURL(parsing: "postgresql://u@[::1]:7000/d")
        #expect(v6.host == "::1" && v6.port == 7000 && v6.server == "[::1]:7000")
        #expect(try DatabaseURL(parsing: "postgresql://a%40b@h/d%2Fx").user == "a@b")
    }

    @Test(arguments: [
        ("postgresql://u:secret@h/d", "password"), ("postgresql://u@h/d?password=x", "password"), ("mysql://u@h/d", "postgresql://"),
        ("postgresql://u@h:0/d", "port"), ("postgresql://u@h:99999/d", "port"), ("postgresql://u@/d", "host"),
        ("postgresql://u@h/d?schema=Bad-Name", "schema"), ("postgresql://u@h/d?color=1", "option"), ("postgresql://u@h/d?sslmode=maybe", "sslmode"),
        ("postgresql://u@h/d%zz", "escape"), ("postgresql://u@h/d%0a", "invalid characters"), ("db.lab:5432", "postgresql://"),
    ])
    func refusesWhatIsNotAURL(text: String, says: String) {
        #expect { try DatabaseURL(parsing: text) } throws: { error in
            let error = error as? CairnError
            return error?.kind == .invalidValue && "\(error!)".contains(says) && !"\(error!)".contains("secret")
        }
    }

    @Test func findsThePasswordAsPsqlDoes() throws {
        let url = DatabaseURL(user: "ml", host: "db.lab", port: 5432, database: "runs")
        let text = """
            # comment
            other:5432:runs:ml:wrong
            db.lab:5432:runs:nobody:wrong
            db.lab:*:runs:ml:pa\\:ss\\\\word
            *:*:*:*:fallback
            """
        #expect(PasswordFile.lookup(text, for: url) == "pa:ss\\word")
        #expect(PasswordFile.lookup(text, for: DatabaseURL(user: "x", host: "y", database: "z")) == "fallback")
        #expect(PasswordFile.lookup("", for: url) == nil)
        #expect(try PasswordFile.password(for: url, environment: ["PGPASSWORD": "env"]) == "env")
        let folder = try TemporaryDirectory()
        let file = folder.path + "/pgpass"
        try "db.lab:5432:runs:ml:fromfile\n".write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o644)
        #expect { try PasswordFile.password(for: url, environment: ["PGPASSFILE": file]) } throws: {
            ($0 as? CairnError)?.kind == .permissionDenied && "\($0)".contains("chmod 600")
        }
        chmod(file, 0o600)
        #expect(try PasswordFile.password(for: url, environment: ["PGPASSFILE": file]) == "fromfile")
        #expect { try PasswordFile.password(for: url, environment: ["PGPASSFILE": folder.path + "/none"]) } throws: {
            ($0 as? CairnError)?.kind == .notFound
        }
    }
}
