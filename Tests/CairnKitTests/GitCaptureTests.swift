import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite("Runs: git capture")
struct GitCaptureTests {
    /// A repository in a temporary folder with one commit of `train.py` on the branch `main`.
    private struct Repository {
        let directory: TemporaryDirectory
        var path: String { directory.path }

        init() throws {
            directory = try TemporaryDirectory("cairn-kit-git")
            try git("init", "-q", "-b", "main")
            try Disk.write("print('hello')\nlr = 0.1\n", to: directory.appending("train.py").path)
            try git("add", "train.py")
            try git("commit", "-q", "-m", "first")
        }

        @discardableResult
        func git(_ arguments: String...) throws -> String {
            let result = try TestProcess.run("/usr/bin/env", [
                "git", "-c", "user.name=Cairn Test", "-c", "user.email=test@example.com",
                "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null",
            ] + arguments, environment: ["GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"], directory: directory.url)
            #expect(result.status == 0, "git \(arguments): \(result.stderr)")
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    private func request(in directory: String) throws -> RunRequest {
        RunRequest(experiment: try ExperimentName("exp"), workingDirectory: directory, captureGit: true)
    }

    @Test func aDirtyTrackedFileIsRecordedWithItsDiff() throws {
        let repo = try Repository()
        let commit = try repo.git("rev-parse", "HEAD")
        try Disk.write("print('hello')\nlr = 0.3\n", to: repo.directory.appending("train.py").path)
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try request(in: repo.path))

        let git = try #require(run.record.git)
        #expect(git.commit == commit)
        #expect(git.commit.count == 40)
        #expect(git.branch == "main")
        #expect(git.dirty)
        #expect(git.diffFile == "git.diff")
        #expect(run.record.workingDirectory == repo.path)

        let onDisk = try #require(try Disk.jsonObject(run.absoluteFolder + "/run.json")["git"] as? [String: Any])
        #expect(onDisk["commit"] as? String == commit)
        #expect(onDisk["dirty"] as? Bool == true)
        #expect(onDisk["diff_file"] as? String == "git.diff")

        let diff = try Disk.text(run.absoluteFolder + "/git.diff")
        #expect(diff.contains("train.py"))
        #expect(diff.contains("-lr = 0.1"))
        #expect(diff.contains("+lr = 0.3"))
    }

    @Test func aCleanRepositoryHasNoDiff() throws {
        let repo = try Repository()
        // An untracked file does not make the code dirty.
        try Disk.write("scratch\n", to: repo.directory.appending("notes.txt").path)
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try request(in: repo.path))
        let git = try #require(run.record.git)
        #expect(git.commit == (try repo.git("rev-parse", "HEAD")))
        #expect(!git.dirty)
        #expect(git.diffFile == nil)
        #expect(!Disk.exists(run.absoluteFolder + "/git.diff"))
    }

    @Test func aDetachedHeadHasNoBranch() throws {
        let repo = try Repository()
        let commit = try repo.git("rev-parse", "HEAD")
        try repo.git("checkout", "-q", "--detach", commit)
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try request(in: repo.path))
        #expect(run.record.git?.commit == commit)
        #expect(run.record.git?.branch == nil)
    }

    @Test func outsideARepositoryThereIsNoGitState() throws {
        let plain = try TemporaryDirectory("cairn-kit-nogit")
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try request(in: plain.path))
        #expect(run.record.git == nil)
        #expect(!Disk.exists(run.absoluteFolder + "/git.diff"))
    }

    @Test func captureCanBeTurnedOff() throws {
        let repo = try Repository()
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(RunRequest(experiment: try ExperimentName("exp"), workingDirectory: repo.path,
                                                         captureGit: false))
        #expect(run.record.git == nil)
    }
}
