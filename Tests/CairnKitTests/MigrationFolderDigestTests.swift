import CairnCore
import Testing
@testable import CairnKit

/// When a migration may carry a folder checkpoint's sha256: only when the folder moves whole.
@Suite("Migration: carrying a folder checkpoint's sha256")
struct MigrationFolderDigestTests {
    static let files = ["run/ckpt_1/model.pth", "run/ckpt_1/sub/config.json", "run/ckpt_2/model.pth", "other/x.pt"]

    private func target(_ folder: String, _ moves: [String: String], files: [String] = files) -> String? {
        WholeFolderMoves.target(folder, targets: moves, filesByFolder: WholeFolderMoves.byFolder(files),
                                movesInto: WholeFolderMoves.byFolder(Array(moves.values)).mapValues(\.count))
    }

    @Test func aFolderMovedWholeHasItsNewPath() {
        #expect(target("run/ckpt_1", ["run/ckpt_1/model.pth": "new/c1/model.pth", "run/ckpt_1/sub/config.json": "new/c1/sub/config.json"]) == "new/c1")
    }

    @Test func aFolderThatDoesNotMoveKeepsItsPath() {
        #expect(target("run/ckpt_2", ["run/ckpt_1/model.pth": "new/c1/model.pth"]) == "run/ckpt_2")
    }

    @Test func aFolderMovedInPartsOrRenamedInsideIsNotCarried() {
        // One file left behind.
        #expect(target("run/ckpt_1", ["run/ckpt_1/model.pth": "new/c1/model.pth"]) == nil)
        // Split between two folders.
        #expect(target("run/ckpt_1", ["run/ckpt_1/model.pth": "new/a/model.pth", "run/ckpt_1/sub/config.json": "new/b/sub/config.json"]) == nil)
        // A file renamed inside.
        #expect(target("run/ckpt_1", ["run/ckpt_1/model.pth": "new/c1/weights.pth", "run/ckpt_1/sub/config.json": "new/c1/sub/config.json"]) == nil)
        // An unknown folder.
        #expect(target("run/nope", [:]) == nil)
    }

    @Test func aFolderMovedWhereOtherFilesAreOrArriveIsNotCarried() {
        let whole = ["run/ckpt_1/model.pth": "other/model.pth", "run/ckpt_1/sub/config.json": "other/sub/config.json"]
        // `other/` already holds x.pt.
        #expect(target("run/ckpt_1", whole) == nil)
        // Another file moves into the new folder.
        var joined = ["run/ckpt_1/model.pth": "new/c1/model.pth", "run/ckpt_1/sub/config.json": "new/c1/sub/config.json"]
        joined["run/ckpt_2/model.pth"] = "new/c1/extra.pth"
        #expect(target("run/ckpt_1", joined) == nil)
    }
}
