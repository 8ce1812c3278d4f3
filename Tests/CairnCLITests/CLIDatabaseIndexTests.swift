import CairnTestSupport
import Foundation
import Testing

/// The CLI on a store whose index is a PostgreSQL database (`index: database:` in `cairn.yaml`): the
/// commands a training host runs write what they changed straight into the database, so that every
/// server sharing it answers with it at once; with the database unreachable they still succeed, and
/// leave notes that the next update takes in.
@Suite(.serialized) struct CLIDatabaseIndexTests {
    /// A store whose `cairn.yaml` names a fresh schema of the test database, and a way to query it.
    struct Scene {
        let store: CLITestStore
        let database: String
        let schema: String

        init() throws {
            store = try CLITestStore()
            let fresh = try #require(TestDatabase.freshSchema())
            database = fresh.database
            schema = fresh.schema
            let yaml = store.path + "/cairn.yaml"
            let text = try String(contentsOfFile: yaml, encoding: .utf8) + "index:\n  database: \"\(fresh.url)\"\n"
            try text.write(toFile: yaml, atomically: true, encoding: .utf8)
        }

        /// One value from the database, straight, without any cairn command first.
        func query(_ sql: String) throws -> String {
            let result = try TestProcess.run("/usr/bin/env", ["psql", database, "-tAc", "SET search_path TO \"\(schema)\"; " + sql])
            try #require(result.status == 0, "psql: \(result.stderr)")
            return result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        }

        var notes: [String] {
            (try? FileManager.default.contentsOfDirectory(atPath: store.path + "/.cairn/index.changes")) ?? []
        }
    }

    @Test(.enabled(if: TestDatabase.isAvailable, Comment(rawValue: TestDatabase.skipReason)))
    func aTrainingHostsCommandsWriteTheDatabaseBeforeTheyEnd() throws {
        let scene = try Scene()
        let run = try scene.store.newRun("team/job")
        #expect(try scene.query("SELECT count(*) FROM runs WHERE id = '\(run)'") == "1")
        try scene.store.output("metric", "log", run, "loss=0.5", "--step", "1")
        try scene.store.output("metric", "log", run, "loss=0.25", "--step", "2")
        #expect(try scene.query("SELECT count || ' ' || value FROM metrics WHERE run_id = '\(run)' AND name = 'loss'") == "2 0.25")
        let file = scene.store.path + "/model.bin"
        try Data(repeating: 7, count: 1000).write(to: URL(fileURLWithPath: file))
        try scene.store.output("ckpt", "save", run, file, "--epoch", "1", "--metric", "val_loss=0.125")
        #expect(try scene.query("SELECT value FROM checkpoint_metrics WHERE run_id = '\(run)' AND pointer = 'last' AND key = 'val_loss'") == "0.125")
        // A job under exec: its run is in the database when exec returns.
        let exec = try scene.store.cairn(["exec", "-e", "team/job", "--no-git", "--", "true"])
        #expect(exec.status == 0, "\(exec.stderr)")
        #expect(try scene.query("SELECT count(*) FROM runs") == "2")
        #expect(scene.notes.isEmpty, "\(scene.notes)")
    }

    @Test(.enabled(if: TestDatabase.isAvailable, Comment(rawValue: TestDatabase.skipReason)))
    func withTheDatabaseUnreachableCommandsLeaveNotesTakenInLater() throws {
        let scene = try Scene()
        let run = try scene.store.newRun("team/job")
        let offline = ["CAIRN_DATABASE": "postgresql://cairn@127.0.0.1:1/cairn"]
        let logged = try scene.store.cairn(["metric", "log", run, "loss=0.5", "--step", "1"], environment: offline)
        #expect(logged.status == 0 && logged.stderr.isEmpty, "\(logged.stderr)")
        #expect(scene.notes == [run])
        #expect(try scene.query("SELECT count(*) FROM metrics WHERE run_id = '\(run)'") == "0")
        // The next update that reaches the database (a search here) takes the note in.
        try scene.store.output("run", "ls", "-e", "team/job")
        #expect(try scene.query("SELECT count FROM metrics WHERE run_id = '\(run)' AND name = 'loss'") == "1")
        #expect(scene.notes.isEmpty)
    }
}
