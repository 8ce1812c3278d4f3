import ArgumentParser
import CairnCore
import CairnKit
import Foundation

/// `--database URL` and `--database-pool N`: the index in PostgreSQL for this command (also
/// `$CAIRN_DATABASE`, or `index: database:` in `cairn.yaml`).
struct DatabaseOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The index's PostgreSQL database, postgresql://USER@HOST:PORT/DATABASE[?schema=NAME] (default: $CAIRN_DATABASE, else index.database in cairn.yaml, else .cairn/index.sqlite). The password comes from PGPASSWORD or the password file (PGPASSFILE, ~/.pgpass).",
                            valueName: "URL"))
    var database: String?
    @Option(help: ArgumentHelp("The most connections to the database this process opens (default: index.pool in cairn.yaml, else \(IndexDatabase.defaultPoolSize)).", valueName: "N"))
    var databasePool: Int?

    func validate() throws {
        if let databasePool, !(1...1_000).contains(databasePool) {
            throw ValidationError("--database-pool must be between 1 and 1000, not \(databasePool)")
        }
    }

    /// Points `store`'s index at the database these options name, if any.
    func apply(to store: Store) throws(CairnError) {
        let environment = ProcessInfo.processInfo.environment
        if let database {
            try store.useIndexDatabase(database, poolSize: databasePool, environment: environment)
        } else if let databasePool, store.indexIsDatabase, let url = store.indexDatabaseURL {
            try store.useIndexDatabase(url, poolSize: databasePool, environment: environment)
        }
    }
}
