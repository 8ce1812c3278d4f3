import Foundation
import Testing
import CairnTestSupport

@Suite struct CLILogsTests {
    @Test func printsAndFollowsTheLog() throws {
        let store = try CLITestStore()
        let done = try store.cairn("exec", "-e", "logs/x", "--no-git", "--", "/bin/sh", "-c", "echo first; echo second >&2")
        #expect(done.status == 0)
        let id = try store.output("latest", "logs/x")
        let log = try store.output("logs", id)
        let lines = log.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.contains { $0.hasSuffix(" out first") } && lines.contains { $0.hasSuffix(" err second") })

        // --follow prints lines as they come and stops when the run ends.
        let exec = try SpawnedProcess(PackagePaths.cairnBinary, ["exec", "-e", "logs/y", "--no-git", "--store", store.path, "--",
                                                                 "/bin/sh", "-c", "echo begin; sleep 1; echo end"])
        var running: String?
        for _ in 0..<500 where running == nil {
            let latest = try store.cairn("latest", "logs/y")
            if latest.status == 0 { running = latest.stdout.trimmingCharacters(in: .newlines) } else { usleep(10_000) }
        }
        let followed = try store.cairn("logs", try #require(running), "--follow")
        #expect(exec.exitCode == 0)
        #expect(followed.status == 0)
        #expect(followed.stdout.contains(" out begin") && followed.stdout.contains(" out end"), "\(followed.stdout)")
    }

    @Test func noLog() throws {
        let store = try CLITestStore()
        let run = try store.newRun("logs/none")
        let result = try store.cairn("logs", run)
        #expect(result.status != 0)
        #expect(result.stderr.contains("has no log"), "\(result.stderr)")
    }
}
