#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import CairnTestSupport

/// Migrations whose targets are on another file system: a small tmpfs mounted inside the tree (root
/// only, where mounting is allowed).
@Suite("cairn migrate across file systems", .enabled(if: TmpfsMount.isAvailable))
struct CLIMigrateAcrossDisksTests {
    /// A legacy seed-003 tree whose vision checkpoints hold `bytes` each, with `checkpoints/vision`
    /// (where they migrate to) a tmpfs of `size` bytes.
    static func tree(visionFileBytes bytes: Int, mountSize size: String) throws -> (AdoptFixture, TmpfsMount) {
        let fixture = try AdoptFixture("typed-folders-legacy")
        for folder in ["vision_model_checkpoint_10", "vision_model_checkpoint_20", "vision_model_checkpoint_30"] {
            try Data(repeating: 7, count: bytes).write(to: fixture.tree.appendingPathComponent("checkpoints/\(folder)/model.pth"))
        }
        let mount = try TmpfsMount(at: fixture.tree.appendingPathComponent("checkpoints/vision"), size: size)
        return (fixture, mount)
    }

    @Test func aFullTargetDiskIsAnErrorBeforeAnyChange() throws {
        let (fixture, mount) = try Self.tree(visionFileBytes: 400_000, mountSize: "512k")
        defer { mount.unmount() }
        #expect(try CLI.run(["adopt", fixture.tree.path, "--layout", "typed-folders-legacy"]).status == 0)
        let before = TreeSnapshot(fixture.tree)
        let result = try fixture.cairn("migrate", "--to", "typed-folders")
        #expect(result.status != 0)
        #expect(result.stderr.contains("not enough space"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(TreeSnapshot(fixture.tree) == before)
        #expect(!FileManager.default.fileExists(atPath: fixture.tree.appendingPathComponent(".cairn/migration.json").path))
    }

    @Test func copiesAcrossFileSystemsAreVerifiedThenSourcesRemoved() throws {
        let (fixture, mount) = try Self.tree(visionFileBytes: 100_000, mountSize: "4m")
        defer { mount.unmount() }
        #expect(try CLI.run(["adopt", fixture.tree.path, "--layout", "typed-folders-legacy"]).status == 0)
        let before = try AdoptFixture.digests(fixture.tree)
        let result = try fixture.cairn("migrate", "--to", "typed-folders")
        #expect(result.status == 0, "\(result.stderr)")
        let after = try AdoptFixture.digests(fixture.tree)
        #expect(after.values.sorted() == before.values.sorted())
        #expect(after["checkpoints/vision/vision_model_checkpoint_20/model.pth"] == before["checkpoints/vision_model_checkpoint_20/model.pth"])
        // The copies' sha256 were recorded on the way: verify finds them equal.
        #expect(try fixture.cairn("ckpt", "verify", "vision").status == 0)
    }
}
