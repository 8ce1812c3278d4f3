import Glibc
import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// Checkpoints get the store's file mode, whatever mode their source had (the tests run as root, so
/// they check the mode bits, not access).
@Suite("Checkpoints: the store's file mode")
struct CheckpointFileModeTests {
    /// The permission bits of a path.
    static func mode(_ path: String) -> mode_t {
        var info = stat()
        #expect(lstat(path, &info) == 0, "\(path)")
        return info.st_mode & 0o7777
    }

    /// A store whose cairn.yaml says `file_mode` (unless nil), and its checkpoints of the fixture's run.
    static func checkpoints(_ f: CheckpointFixture, fileMode: String?) throws -> RunCheckpoints {
        if let fileMode {
            try Disk.write("format: \"1.0\"\nlayout: cairn\nfile_mode: \"\(fileMode)\"\n", to: f.root + "/cairn.yaml")
        }
        return try RunCheckpoints.open(store: try Store.open(at: f.root), run: f.run)
    }

    /// A private source file, as `tempfile.mkstemp` makes them.
    static func privateSource(_ f: CheckpointFixture, _ name: String) throws -> String {
        let path = try f.source(name, "weights of \(name)")
        #expect(chmod(path, 0o600) == 0)
        return path
    }

    @Test func aPrivateFileSavedByMoveGetsTheUmasksMode() throws {
        let f = try CheckpointFixture()
        let ckpts = try Self.checkpoints(f, fileMode: nil)
        let source = try Self.privateSource(f, "model.pt")
        let saved = try ckpts.save(CheckpointSaveRequest(epoch: 1, source: .files([source], .move)))
        let expected = 0o666 & ~FileModes.umask()
        #expect(Self.mode(f.runFolder + "/" + saved.entry!.path) == expected)
        #expect(FileModes(setting: nil).file == expected)
    }

    @Test(arguments: CheckpointSource.Transfer.allCases)
    func everyTransferGivesTheConfiguredMode(_ transfer: CheckpointSource.Transfer) throws {
        let f = try CheckpointFixture()
        let ckpts = try Self.checkpoints(f, fileMode: "0640")
        let source = try Self.privateSource(f, "model.pt")
        let saved = try ckpts.save(CheckpointSaveRequest(epoch: 1, step: 10, source: .files([source], transfer)))
        #expect(Self.mode(f.runFolder + "/" + saved.entry!.path) == 0o640)
        if transfer == .copy { #expect(Self.mode(source) == 0o600) }   // the source is left as it was
    }

    @Test func aWriterCheckpointGetsTheConfiguredMode() throws {
        let f = try CheckpointFixture()
        let ckpts = try Self.checkpoints(f, fileMode: "444")
        let saved = try ckpts.save(CheckpointSaveRequest(epoch: 2, source: .writer(folder: false, fileExtension: ".pt") { path in
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            _ = write(fd, "x", 1)
            close(fd)
        }))
        #expect(Self.mode(f.runFolder + "/" + saved.entry!.path) == 0o444)
    }

    @Test(arguments: [CheckpointSource.Transfer.move, .copy])
    func aFolderCheckpointGetsTheModeOnFilesAndFolders(_ transfer: CheckpointSource.Transfer) throws {
        let f = try CheckpointFixture()
        let ckpts = try Self.checkpoints(f, fileMode: "0640")
        let folder = f.scratch + "/hf"
        try Disk.makeFolder(folder + "/tokenizer")
        #expect(chmod(folder + "/tokenizer", 0o700) == 0)
        for name in ["model.safetensors", "tokenizer/vocab.json"] {
            try Disk.write(name, to: folder + "/" + name)
            #expect(chmod(folder + "/" + name, 0o600) == 0)
        }
        let saved = try ckpts.save(CheckpointSaveRequest(epoch: nil, step: 500, source: .files([folder], transfer)))
        let stored = f.runFolder + "/" + saved.entry!.path
        #expect(saved.entry!.path == "checkpoints/step_00000500")
        for name in ["model.safetensors", "tokenizer/vocab.json", "README.md"] { #expect(Self.mode(stored + "/" + name) == 0o640, "\(name)") }
        for name in ["", "/tokenizer"] { #expect(Self.mode(stored + name) == 0o750, "\(name)") }
        try CkptCheck.pointersSound(try f.view())
    }

    @Test func folderModesAddXWhereRIsSet() {
        #expect(FileModes(setting: 0o644).directory == 0o755)
        #expect(FileModes(setting: 0o640).directory == 0o750)
        #expect(FileModes(setting: 0o600).directory == 0o700)
        #expect(FileModes(setting: 0o444).directory == 0o555)
    }

    @Test(arguments: ["\"0999\"", "\"644x\"", "\"0200\"", "\"07777\"", "\"\"", "644", "[1]"])
    func aBadFileModeIsOneErrorNamingCairnYAML(_ value: String) throws {
        let fixture = try StoreFixture()
        try Disk.write("format: \"1.0\"\nlayout: cairn\nfile_mode: \(value)\n", to: fixture.root + "/cairn.yaml")
        let error = Expect.error(.invalidConfig) { try Store.open(at: fixture.root) }
        #expect(error?.message.contains("'file_mode' in '\(fixture.root)/cairn.yaml'") == true, "\(String(describing: error))")
        #expect(error?.hint?.contains("0") == true)
    }
}
