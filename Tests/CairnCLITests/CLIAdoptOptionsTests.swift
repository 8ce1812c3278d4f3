import Foundation
import Testing
import CairnTestSupport

/// `cairn adopt` with a layout of one's own (`--layout-file`), at the wrong level, on a tie, and again
/// (`--refresh`).
@Suite("cairn adopt: layout files, roots, ties, refresh")
struct CLIAdoptOptionsTests {
    private func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test func aLayoutFileAdoptsAndTheStoreKeepsIt() throws {
        let directory = try TemporaryDirectory("cairn-cli-layout-file")
        let tree = directory.appending("runs").path
        try write("w", to: tree + "/runs/vae/first/ckpt-1.pt")
        try write("w", to: tree + "/runs/vae/first/ckpt-2.pt")
        try write("w", to: tree + "/runs/vae/first/best.pt")
        let file = directory.appending("by-project.yaml").path
        try write("""
            summary: runs/PROJECT/RUN_NAME with numbered checkpoints
            experiment_name: "{project}"
            experiment: "runs/{project}"
            run: "runs/{project}/{run_name}"
            checkpoint: "ckpt-{epoch:int}.pt"
            best: "best.pt"
            """, to: file)
        let adopted = try CLI.run(["adopt", tree, "--layout-file", file, "--json"])
        try #require(adopted.status == 0, "\(adopted.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(adopted.stdout.utf8)) as? [String: Any])
        #expect(report["layout"] as? String == "by-project")
        #expect(try String(contentsOfFile: tree + "/cairn.yaml", encoding: .utf8).contains("by-project:"))
        // Later commands know the layout: the run's checkpoints, with their epochs.
        let listed = try CLI.run(["ckpt", "ls", "first", "--store", tree, "--json"])
        try #require(listed.status == 0, "\(listed.stderr)")
        let checkpoints = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(Set(checkpoints.compactMap { $0["epoch"] as? Int }) == [1, 2])
        #expect(checkpoints.contains { $0["relative_path"] as? String == "best.pt" && $0["epoch"] is NSNull })
    }

    @Test(arguments: ["not: [a, layout", "- a\n- list\n", "run: \"{x\"\nexperiment: x\nexperiment_name: x\n", "name: ../up\nrun: x\n"])
    func aBadLayoutFileIsOneErrorAndWritesNothing(_ text: String) throws {
        let directory = try TemporaryDirectory("cairn-cli-layout-file")
        let tree = directory.appending("tree").path
        try write("w", to: tree + "/a/b/ckpt.pt")
        let file = directory.appending("bad.yaml").path
        try write(text, to: file)
        let result = try CLI.run(["adopt", tree, "--layout-file", file])
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("cairn: error:") && result.stderr.contains(file), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree) == ["a"])
    }

    @Test func adoptingTheCheckpointsFolderItselfNamesTheFolderToAdopt() throws {
        let directory = try TemporaryDirectory("cairn-cli-adopt-root")
        let tree = directory.appending("project").path
        try write("w", to: tree + "/checkpoints/yolox/RUN_20240101_000000_000000/ckpt_epoch_1.pth")
        let result = try CLI.run(["adopt", tree + "/checkpoints", "--layout", "run-dirs"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("adopt '\(tree)' instead"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tree + "/checkpoints/cairn.yaml"))
    }

    @Test func refreshRegistersRunFoldersMadeSince() throws {
        let directory = try TemporaryDirectory("cairn-cli-refresh")
        let tree = directory.appending("project").path
        try write("w", to: tree + "/checkpoints/yolox/RUN_20240101_000000_000000/ckpt_epoch_1.pth")
        try #require(try CLI.run(["adopt", tree, "--layout", "run-dirs"]).status == 0)
        try write("w", to: tree + "/checkpoints/yolox/RUN_20240202_000000_000000/ckpt_epoch_19.pth")
        // Any command sees the new run; latest names it.
        let latest = try CLI.run(["latest", "yolox", "--store", tree])
        #expect(latest.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "RUN_20240202_000000_000000", "\(latest.stderr)")
        let refresh = try CLI.run(["adopt", "--refresh", tree, "--json"])
        try #require(refresh.status == 0, "\(refresh.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(refresh.stdout.utf8)) as? [String: Any])
        #expect(report["new_runs"] as? [String] == [])
        let again = try CLI.run(["adopt", tree])
        #expect(again.status != 0 && again.stderr.contains("appear by themselves"))
    }
}
