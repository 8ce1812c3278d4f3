import CairnCore
import CairnIndex
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite("Archives: create, extract, refusals")
struct ArchiveTests {
    /// A finished run of `experiment` with a checkpoint, a nested file and a link inside its folder.
    private func finishedRun(_ store: Store, _ experiment: String, bytes: Int = 300_000, seed: UInt8 = 1) throws -> Run {
        let run = try store.createRun(try .plain(experiment))
        let folder = URL(fileURLWithPath: run.absoluteFolder)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("checkpoints/sub"), withIntermediateDirectories: true)
        let data = Data((0..<bytes).map { UInt8(truncatingIfNeeded: ($0 * 7 + Int(seed)) % 253) })
        try data.write(to: folder.appendingPathComponent("checkpoints/epoch_1.bin"))
        try Data("deep".utf8).write(to: folder.appendingPathComponent("checkpoints/sub/x.json"))
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("best").path, withDestinationPath: "checkpoints/epoch_1.bin")
        return try store.endRun(run, status: .finished)
    }

    /// The store's files with their contents, locks left out (taking a lock creates its file).
    private func snapshot(_ store: Store) -> [String: String] {
        TreeSnapshot(URL(fileURLWithPath: store.root)).entries.filter { !$0.key.hasSuffix("lock") && !$0.key.hasPrefix(".cairn/index") }
    }

    @Test func createThenExtractKeepsIdsAndBytes() async throws {
        let source = try StoreFixture()
        let a = try finishedRun(source.store, "mnist", seed: 1)
        let b = try finishedRun(source.store, "mnist", seed: 2)
        let output = source.directory.appending("mnist.tar.gz").path
        let created = try source.store.createArchive(["mnist"], at: output)
        #expect(created.runs.map(\.run) == [a.id, b.id])
        #expect(created.verified)
        #expect(FileManager.default.fileExists(atPath: output))
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: source.directory.path)).contains { $0.hasPrefix(".cairn-tmp-") })

        let target = try StoreFixture()
        let extracted = try target.store.extractArchive(at: output)
        #expect(extracted.runs.map(\.run) == [a.id, b.id])
        #expect(extracted.createdExperiments == ["mnist"])
        let runs = try target.store.runs()
        #expect(runs.map(\.run.id) == [a.id, b.id])
        #expect(try target.store.experiment(named: .init("mnist")).id == (try source.store.experiment(named: .init("mnist")).id))
        for run in [a, b] {
            let before = TreeSnapshot(URL(fileURLWithPath: run.absoluteFolder))
            let after = TreeSnapshot(URL(fileURLWithPath: target.store.absolute(run.folder)))
            #expect(before == after, "\(after.difference(from: before))")
        }
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: target.root + "/.cairn")).contains { $0.hasPrefix(".cairn-tmp-") })
        let listed = try Store.listArchive(at: output, verify: true)
        #expect(listed.runs.map(\.run) == [a.id, b.id])
    }

    @Test func extractIntoAnExistingExperimentAddsItsRuns() throws {
        let fixture = try StoreFixture()
        let kept = try finishedRun(fixture.store, "mnist")
        let gone = try finishedRun(fixture.store, "mnist")
        let output = fixture.directory.appending("one.tar.gz").path
        let created = try fixture.store.createArchive([gone.id.value], at: output, remove: true)
        #expect(created.removed == [gone.id])
        #expect(try fixture.store.runs().map(\.run.id) == [kept.id])
        #expect(!FileManager.default.fileExists(atPath: gone.absoluteFolder))
        let extracted = try fixture.store.extractArchive(at: output)
        #expect(extracted.createdExperiments.isEmpty)
        #expect(try fixture.store.runs().map(\.run.id) == [kept.id, gone.id])
    }

    @Test func extractRefusesARunIdTheStoreHas() throws {
        let fixture = try StoreFixture()
        let run = try finishedRun(fixture.store, "mnist")
        let output = fixture.directory.appending("a.tar.gz").path
        try fixture.store.createArchive([run.id.value], at: output)
        let before = snapshot(fixture.store)
        let error = Expect.error(.alreadyExists) { try fixture.store.extractArchive(at: output) }
        #expect(error?.message.contains(run.id.value) == true)
        #expect(snapshot(fixture.store) == before)
    }

    @Test func createRefusesALinkOutOfTheRunFolderAndAnExistingFile() throws {
        let fixture = try StoreFixture()
        let run = try finishedRun(fixture.store, "mnist")
        try FileManager.default.createSymbolicLink(atPath: run.absoluteFolder + "/escape", withDestinationPath: "../../../etc")
        let output = fixture.directory.appending("a.tar.gz").path
        let error = Expect.error(.unsupportedFormat) { try fixture.store.createArchive([run.id.value], at: output) }
        #expect(error?.message.contains("leads out of its run folder") == true)
        #expect(!FileManager.default.fileExists(atPath: output))
        try FileManager.default.removeItem(atPath: run.absoluteFolder + "/escape")
        try Data().write(to: URL(fileURLWithPath: output))
        Expect.error(.alreadyExists) { try fixture.store.createArchive([run.id.value], at: output) }
    }

    @Test func createRefusesARunWhoseOwnerIsAlive() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("mnist"))
        let output = fixture.directory.appending("a.tar.gz").path
        Expect.error(.conflict) { try fixture.store.createArchive([run.id.value], at: output) }
        #expect(try fixture.store.createArchive([run.id.value], at: output, force: true).runs.count == 1)
    }

    @Test func aTruncatedOrDamagedArchiveIsRefusedAndTheStoreIsUnchanged() throws {
        let source = try StoreFixture()
        let run = try finishedRun(source.store, "mnist", bytes: 2_000_000)
        let output = source.directory.appending("a.tar.gz").path
        try source.store.createArchive([run.id.value], at: output)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: output))
        let target = try StoreFixture()
        let before = snapshot(target.store)
        let truncated = source.directory.appending("cut.tar.gz").path
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        Expect.error(.corrupt) { try target.store.extractArchive(at: truncated) }
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0xFF
        let damaged = source.directory.appending("bad.tar.gz").path
        try flipped.write(to: URL(fileURLWithPath: damaged))
        Expect.error(.corrupt) { try target.store.extractArchive(at: damaged) }
        let notGzip = source.directory.appending("plain.tar.gz").path
        try Data("hello".utf8).write(to: URL(fileURLWithPath: notGzip))
        Expect.error(.corrupt) { try target.store.extractArchive(at: notGzip) }
        #expect(snapshot(target.store) == before)
    }

    /// Hostile archives made with Python's tarfile: `..`, absolute paths, links out, devices, a
    /// tampered file, an unlisted file. Each is refused and the store is left as it was.
    @Test(arguments: ["dotdot", "absolute", "linkout", "fifo", "tampered", "unlisted", "through-link"])
    func hostileArchivesAreRefused(kind: String) throws {
        let source = try StoreFixture()
        let run = try finishedRun(source.store, "mnist", bytes: 1000)
        let output = source.directory.appending("a.tar.gz").path
        try source.store.createArchive([run.id.value], at: output)
        let hostile = source.directory.appending("hostile.tar.gz").path
        let script = """
            import sys, tarfile, io, json
            src, dst, kind, folder = sys.argv[1:5]
            members = []
            with tarfile.open(src, "r:gz") as t:
                for m in t.getmembers():
                    members.append((m, t.extractfile(m).read() if m.isfile() else None))
            def add(out, name, data=b"", type=tarfile.REGTYPE, link=""):
                info = tarfile.TarInfo(name); info.type = type; info.linkname = link; info.size = len(data) if type == tarfile.REGTYPE else 0
                out.addfile(info, io.BytesIO(data) if type == tarfile.REGTYPE else None)
            with tarfile.open(dst, "w:gz", format=tarfile.PAX_FORMAT) as out:
                for m, data in members:
                    if m.name == "cairn-archive.json":
                        if kind == "dotdot": add(out, folder + "/../../evil", b"x")
                        if kind == "absolute": add(out, "/tmp/cairn-evil", b"x")
                        if kind == "linkout": add(out, folder + "/out", type=tarfile.SYMTYPE, link="../../..")
                        if kind == "fifo": add(out, folder + "/pipe", type=tarfile.FIFOTYPE)
                        if kind == "unlisted": add(out, folder + "/extra.bin", b"extra")
                        if kind == "through-link":
                            add(out, folder + "/l", type=tarfile.SYMTYPE, link="checkpoints")
                            add(out, folder + "/l/x", b"x")
                    if kind == "tampered" and m.name.endswith("epoch_1.bin"):
                        data = bytes([data[0] ^ 1]) + data[1:]
                    out.addfile(m, io.BytesIO(data) if data is not None else None)
            """
        let result = try TestPython.run(script, [output, hostile, kind, run.folder])
        try #require(result.status == 0, "\(result.stderr)")
        let target = try StoreFixture()
        let before = snapshot(target.store)
        #expect(throws: CairnError.self) { try target.store.extractArchive(at: hostile) }
        #expect(snapshot(target.store) == before)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/cairn-evil"))
    }
}
