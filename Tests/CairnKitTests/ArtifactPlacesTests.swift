import Foundation
import Testing
import CairnCore
import CairnFormats
import CairnTestSupport
@testable import CairnKit

/// Artifacts a layout role places (embeddings, predictions): where they go, what is recorded; putting
/// files and folders (checked before anything is written), copying out (checked against the record),
/// and the listing with the dtype and shape of tensor files.
@Suite struct ArtifactPlacesTests {
    static func npy(rows: Int, columns: Int) throws -> [UInt8] {
        let data = [UInt8](repeating: 0, count: rows * columns * 4)
        return try NpyArray(dtype: .float32, shape: [rows, columns], cOrderLittleEndian: data).encoded()
    }

    static func write(_ bytes: [UInt8], to upload: ArtifactUpload) throws -> ArtifactRecord {
        try bytes.withUnsafeBytes { try upload.write($0) }
        return try upload.finish()
    }

    @Test func aRolesFileGoesWhereTheLayoutPlacesItAndIsRecordedWithItsRole() throws {
        let fixture = try StoreFixture(layoutName: "model-type-experiments")
        let run = try fixture.store.createRun(try .plain("vae/baseline"))
        let bytes = try Self.npy(rows: 4, columns: 3)
        let record = try Self.write(bytes, to: try fixture.store.beginArtifact(run, role: .embeddings, fields: ["split": "val"]))
        let file = fixture.root + "/experiments/vae/baseline/embeddings/val_embeddings.npy"
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == Data(bytes))
        #expect(record.path == "embeddings/val_embeddings.npy" && record.role == "embeddings" && record.sha256 == SHA256Hasher.hex(of: bytes))
        #expect(!Disk.exists(fixture.root + "/experiments/vae/baseline/artifacts"))
        let location = ArtifactLocation(role: .embeddings, runPath: try ArtifactPath("embeddings/val_embeddings.npy"))
        #expect(try fixture.store.artifactRecord(of: run, at: location) == record)
        // The same path inside artifacts/ is another file.
        #expect(try fixture.store.artifactRecord(of: run, at: ArtifactLocation(try ArtifactPath("embeddings/val_embeddings.npy"))) == nil)
        #expect(record.location == location)
        // The line in artifacts.jsonl carries the role; a plain artifact's line has no role key.
        _ = try Self.write([1, 2, 3], to: try fixture.store.beginArtifact(run, at: try ArtifactPath("notes.txt")))
        let lines = try String(contentsOfFile: fixture.root + "/experiments/vae/baseline/artifacts.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2 && lines[0].contains("\"role\":\"embeddings\"") && !lines[1].contains("role"))

        let listing = try fixture.store.artifactListing(of: run)
        #expect(listing.map(\.relativePath) == ["notes.txt", "embeddings/val_embeddings.npy"])
        let embeddings = try #require(listing.last)
        #expect(embeddings.role == "embeddings" && embeddings.fields == ["split": "val"] && embeddings.sha256 == record.sha256)
        #expect(embeddings.format == "npy" && embeddings.entries?.first?.dtype == "float32" && embeddings.entries?.first?.shape == [4, 3])
        #expect(embeddings.modified == false && listing.first?.format == nil)
    }

    @Test func aPlaceInsideArtifactsIsAnOrdinaryArtifact() throws {
        let fixture = try StoreFixture()
        try Disk.write("""
            format: "1.0"
            layout: team
            layouts:
              team:
                experiment_name: "{experiment}"
                experiment: "{experiment}"
                run: "{experiment}/{run_id}"
                embeddings: "artifacts/emb/{split}.npy"
            defaults: {}
            """, to: fixture.root + "/cairn.yaml")
        let store = try Store.open(at: fixture.root)
        let run = try store.createRun(try .plain("exp"))
        let location = try store.artifactLocation(of: run, role: .embeddings, fields: ["split": "val"])
        #expect(location == ArtifactLocation(try ArtifactPath("emb/val.npy")))
        let record = try Self.write(try Self.npy(rows: 2, columns: 2), to: try store.beginArtifact(run, role: .embeddings, fields: ["split": "val"]))
        #expect(record.path == "emb/val.npy" && record.role == nil)
        #expect(Disk.exists(store.artifactsFolder(of: run) + "/emb/val.npy"))
        // Listed once, among the artifacts.
        #expect(try store.artifactListing(of: run).map(\.relativePath) == ["emb/val.npy"])
    }

    @Test func rolesThatNameNoArtifactOrLackAPlaceOrAFieldAreRefused() throws {
        let fixture = try StoreFixture(layoutName: "model-type-experiments")
        let run = try fixture.store.createRun(try .plain("vae/baseline"))
        let before = Disk.tree(fixture.root)
        let checkpoint = Expect.error(.invalidValue) { try fixture.store.beginArtifact(run, role: .checkpoint, fields: [:]) }
        #expect(checkpoint?.message.contains("checkpoint") == true)
        let missing = Expect.error(.layout) { try fixture.store.beginArtifact(run, role: .predictions, fields: [:]) }
        #expect(missing?.hint?.contains("--split") == true)
        Expect.error(.layout) { try fixture.store.beginArtifact(run, role: .predictions, fields: ["split": ".."]) }
        Expect.error(.layout) { try fixture.store.beginArtifact(run, role: .predictions, fields: ["split": "a/b"]) }
        let unused = Expect.error(.invalidValue) { try fixture.store.beginArtifact(run, role: .predictions, fields: ["split": "val", "fold": "1"]) }
        #expect(unused?.message.contains("'fold'") == true && unused?.hint?.contains("split") == true)
        Expect.error(.invalidValue) { try fixture.store.beginArtifact(run, role: .predictions, fields: ["split": "val", "model_type": "gan"]) }
        #expect(Disk.tree(fixture.root) == before)

        let promptTree = try StoreFixture(layoutName: "run-dirs")
        let other = try promptTree.store.createRun(try .plain("resnet"))
        let none = Expect.error(.layout) { try promptTree.store.beginArtifact(other, role: .embeddings, fields: ["split": "val"]) }
        #expect(none?.message.contains("run-dirs") == true)
    }

    @Test func aFolderIsPutFileByFileAndBadNamesAreRefusedBeforeAnythingIsWritten() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("exp"))
        let source = try TemporaryDirectory("cairn-put")
        try FileManager.default.createDirectory(atPath: source.path + "/out/sub", withIntermediateDirectories: true)
        try Data("a".utf8).write(to: URL(fileURLWithPath: source.path + "/out/a.txt"))
        try Data("bb".utf8).write(to: URL(fileURLWithPath: source.path + "/out/sub/b.txt"))
        let plan = try fixture.store.planArtifactPut(run, from: source.path + "/out", at: ArtifactLocation(try ArtifactPath("reports")))
        #expect(plan.files.map(\.location.path.description) == ["reports/a.txt", "reports/sub/b.txt"] && plan.totalBytes == 3)
        let written = try fixture.store.putArtifacts(run, plan, removingSources: true)
        #expect(written.map(\.relativePath) == ["reports/a.txt", "reports/sub/b.txt"])
        #expect(try fixture.store.artifactRecords(of: run).count == 2)
        #expect(!Disk.exists(source.path + "/out"))

        // A name with a control character inside the folder: refused, nothing written.
        try FileManager.default.createDirectory(atPath: source.path + "/bad", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: source.path + "/bad/fine.txt"))
        try Data("y".utf8).write(to: URL(fileURLWithPath: source.path + "/bad/tab\there.txt"))
        let before = Disk.tree(fixture.root)
        Expect.error(.invalidValue) { try fixture.store.planArtifactPut(run, from: source.path + "/bad", at: ArtifactLocation(try ArtifactPath("bad"))) }
        // A place that is a folder, or goes through a file.
        let file = source.path + "/bad/fine.txt"
        Expect.error(.invalidValue) { try fixture.store.planArtifactPut(run, from: file, at: ArtifactLocation(try ArtifactPath("reports"))) }
        Expect.error(.invalidValue) { try fixture.store.planArtifactPut(run, from: file, at: ArtifactLocation(try ArtifactPath("reports/a.txt/x"))) }
        Expect.error(.notFound) { try fixture.store.planArtifactPut(run, from: source.path + "/missing", at: ArtifactLocation(try ArtifactPath("m"))) }
        #expect(Disk.tree(fixture.root) == before)
    }

    @Test func aCopyOutIsCheckedAgainstTheRecordAndWrittenOnlyWhenItMatches() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("exp"))
        let location = ArtifactLocation(try ArtifactPath("model/weights.bin"))
        _ = try Self.write(Array("original".utf8), to: try fixture.store.beginArtifact(run, at: location.path))
        let out = try TemporaryDirectory("cairn-get")
        let copy = try fixture.store.copyArtifact(of: run, at: location, to: out.path + "/")
        #expect(copy.destination == out.path + "/weights.bin" && copy.verified && copy.bytes == 8)
        #expect(try String(contentsOfFile: out.path + "/weights.bin", encoding: .utf8) == "original")

        // Changed behind Cairn's back, same size: the copy is refused and nothing is left behind.
        try Data("tampered".utf8).write(to: URL(fileURLWithPath: fixture.store.artifactsFolder(of: run) + "/model/weights.bin"))
        let mismatch = Expect.error(.corrupt) { try fixture.store.copyArtifact(of: run, at: location, to: out.path + "/again.bin") }
        #expect(mismatch?.message.contains("model/weights.bin") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["weights.bin"])
        let null = open("/dev/null", O_WRONLY)
        defer { close(null) }
        Expect.error(.corrupt) { try fixture.store.writeArtifact(of: run, at: location, to: null) }
        // The listing marks a file whose size changed.
        try Data("longer than before".utf8).write(to: URL(fileURLWithPath: fixture.store.artifactsFolder(of: run) + "/model/weights.bin"))
        #expect(try fixture.store.artifactListing(of: run).first?.modified == true)
        // Putting it again records the new bytes; the copy then passes.
        let again = try fixture.store.planArtifactPut(run, from: fixture.store.artifactsFolder(of: run) + "/model/weights.bin",
                                                      at: ArtifactLocation(try ArtifactPath("model/weights2.bin")))
        #expect(try fixture.store.putArtifacts(run, again).first?.modified == false)
        // A destination that is a folder (without '/') is refused.
        Expect.error(.invalidValue) { try fixture.store.copyArtifact(of: run, at: ArtifactLocation(try ArtifactPath("model/weights2.bin")), to: out.path) }
    }

    @Test func aFolderIsCopiedOutWholeOrNotAtAll() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("exp"))
        for (path, text) in [("plots/a.txt", "a"), ("plots/deep/b.txt", "bb"), ("other.txt", "c")] {
            _ = try Self.write(Array(text.utf8), to: try fixture.store.beginArtifact(run, at: try ArtifactPath(path)))
        }
        let plots = ArtifactLocation(try ArtifactPath("plots"))
        #expect(try fixture.store.isArtifactFolder(of: run, at: plots) && fixture.store.artifactBytes(of: run, at: plots) == 3)
        let out = try TemporaryDirectory("cairn-get-folder")
        let copies = try fixture.store.copyArtifactFolder(of: run, at: plots.path, to: out.path + "/copy")
        #expect(copies.map(\.destination) == [out.path + "/copy/a.txt", out.path + "/copy/deep/b.txt"] && copies.allSatisfy(\.verified))
        #expect(try String(contentsOfFile: out.path + "/copy/deep/b.txt", encoding: .utf8) == "bb")
        // One file changed: nothing copied, no folder made.
        try Data("BB".utf8).write(to: URL(fileURLWithPath: fixture.store.artifactsFolder(of: run) + "/plots/deep/b.txt"))
        Expect.error(.corrupt) { try fixture.store.copyArtifactFolder(of: run, at: plots.path, to: out.path + "/") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["copy"])
    }
}
