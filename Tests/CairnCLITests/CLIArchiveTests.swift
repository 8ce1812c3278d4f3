import Foundation
import Testing
import CairnTestSupport

/// `cairn archive create|extract|ls`: GNU tar reads the archives; bad input leaves the store as it was;
/// a kill at any step leaves no half archive and the store whole.
@Suite("cairn archive")
struct CLIArchiveTests {
    /// A finished run of `experiment` holding a checkpoint and a link to it; its id.
    private static func finishedRun(_ store: CLITestStore, _ experiment: String, bytes: Int = 200_000) throws -> String {
        let run = try store.newRun(experiment)
        let folder = try store.output("path", run)
        try FileManager.default.createDirectory(atPath: folder + "/checkpoints", withIntermediateDirectories: true)
        try Data((0..<bytes).map { UInt8(truncatingIfNeeded: $0 * 31 % 241) }).write(to: URL(fileURLWithPath: folder + "/checkpoints/epoch_1.bin"))
        try FileManager.default.createSymbolicLink(atPath: folder + "/best", withDestinationPath: "checkpoints/epoch_1.bin")
        let finished = try store.cairn("run", "finish", run)
        try #require(finished.status == 0, "\(finished.stderr)")
        return run
    }

    private static func listed(_ store: CLITestStore) throws -> [String] {
        let runs = try #require(try store.json("run", "ls", "--json") as? [[String: Any]])
        return runs.compactMap { $0["id"] as? String }
    }

    /// The store's files and contents, but for the index (a cache) and lock files (taking a lock makes one).
    private static func snapshot(_ store: CLITestStore) -> [String: String] {
        TreeSnapshot(store.url).entries.filter { !$0.key.hasPrefix(".cairn/index") && !$0.key.hasSuffix("lock") }
    }

    @Test func gnuTarListsAndExtractsTheArchive() throws {
        let store = try CLITestStore()
        let run = try Self.finishedRun(store, "mnist")
        let folder = try store.output("path", run)
        let archive = store.path + "-a.tar.gz"
        defer { try? FileManager.default.removeItem(atPath: archive) }
        let created = try #require(try store.json("archive", "create", "mnist", "-o", archive, "--json") as? [String: Any])
        #expect(created["verified"] as? Bool == true)
        #expect((created["runs"] as? [[String: Any]])?.first?["run"] as? String == run)
        let list = try TestProcess.run("/usr/bin/env", ["tar", "tzf", archive])
        #expect(list.status == 0, "\(list.stderr)")
        let relative = String(folder.dropFirst(store.path.count + 1))
        #expect(list.stdout.contains(relative + "/checkpoints/epoch_1.bin"))
        #expect(list.stdout.contains(".cairn/experiments/1/runs/\(run).json"))
        #expect(list.stdout.split(separator: "\n").last == "cairn-archive.json")
        let out = try TemporaryDirectory("cairn-archive-tar")
        let extract = try TestProcess.run("/usr/bin/env", ["tar", "xzf", archive, "-C", out.path])
        #expect(extract.status == 0, "\(extract.stderr)")
        let original = try Data(contentsOf: URL(fileURLWithPath: folder + "/checkpoints/epoch_1.bin"))
        #expect(try Data(contentsOf: out.appending(relative + "/checkpoints/epoch_1.bin")) == original)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out.appending(relative + "/best").path) == "checkpoints/epoch_1.bin")
        let ls = try CLI.run(["archive", "ls", archive]).stdout
        #expect(ls.contains(run), "\(ls)")
    }

    @Test func removeOnlyAfterVerifyThenExtractBringsTheRunsBack() throws {
        let store = try CLITestStore()
        let a = try Self.finishedRun(store, "mnist")
        let b = try Self.finishedRun(store, "mnist")
        let kept = try Self.finishedRun(store, "gan")
        let archive = store.path + "-b.tar.gz"
        defer { try? FileManager.default.removeItem(atPath: archive) }
        let before = Self.snapshot(store)
        let created = try store.cairn("archive", "create", "mnist", "-o", archive, "--remove")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("Archived 2 runs"), "\(created.stdout)")
        #expect(try Self.listed(store) == [kept])
        let extracted = try store.cairn("archive", "extract", archive)
        #expect(extracted.status == 0, "\(extracted.stderr)")
        #expect(Set(try Self.listed(store)) == [a, b, kept])
        let after = Self.snapshot(store)
        // Cairn's per-run folders that held only a lock, and the notes folders of trash and extract, are not archived state.
        let changed = Set(after.keys).union(before.keys).filter { after[$0] != before[$0] }
            .filter { $0 != ".cairn/trash" && $0 != ".cairn/extracts" && !($0.hasPrefix(".cairn/runs/") && (after[$0] ?? before[$0]) == "dir") }.sorted()
        #expect(changed.isEmpty, "changed: \(changed)")
        // Extracting again is refused: the ids exist.
        let again = try store.cairn("archive", "extract", archive)
        #expect(again.status != 0)
        #expect(again.stderr.contains("already in the store"), "\(again.stderr)")
    }

    @Test(arguments: ["truncated", "garbage", "missing"])
    func badInputIsOneClearErrorLineAndChangesNothing(kind: String) throws {
        let store = try CLITestStore()
        let run = try Self.finishedRun(store, "mnist", bytes: 1_000_000)
        let archive = store.path + "-c.tar.gz"
        defer { try? FileManager.default.removeItem(atPath: archive) }
        #expect(try store.cairn("archive", "create", run, "-o", archive).status == 0)
        _ = try store.cairn("rm", run)
        _ = try store.cairn("trash", "empty", "--yes")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
        switch kind {
        case "truncated": try bytes.prefix(bytes.count * 2 / 3).write(to: URL(fileURLWithPath: archive))
        case "garbage": try Data("not an archive at all".utf8).write(to: URL(fileURLWithPath: archive))
        default: try FileManager.default.removeItem(atPath: archive)
        }
        let before = Self.snapshot(store)
        let result = try store.cairn("archive", "extract", archive)
        #expect(result.status != 0)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("cairn: error: "), "\(result.stderr)")
        #expect(result.stderr.contains(archive), "\(result.stderr)")
        #expect(Self.snapshot(store) == before)
    }

    /// A kill at each step of create leaves no archive (or a whole, verified one) and the store whole;
    /// a kill while extracting leaves each run whole or absent (the next extract rolls back what a
    /// killed one renamed into place without registering).
    @Test(arguments: ["archive-written", "archive-verified", "archive-renamed", "extract-staged", "extract-folders-placed", "extract-registered"])
    func killedAtEachStep(point: String) throws {
        let store = try CLITestStore()
        let run = try Self.finishedRun(store, "mnist")
        let archive = store.path + "-d.tar.gz"
        defer { try? FileManager.default.removeItem(atPath: archive) }
        let extracting = point.hasPrefix("extract")
        if extracting {
            #expect(try store.cairn("archive", "create", run, "-o", archive, "--remove").status == 0)
        }
        let before = Self.snapshot(store)
        let crashed = extracting
            ? try store.cairn(["archive", "extract", archive], environment: ["CAIRN_FAULT": point])
            : try store.cairn(["archive", "create", run, "-o", archive, "--remove"], environment: ["CAIRN_FAULT": point])
        #expect(crashed.signaled, "\(point): the fault did not fire: \(crashed.status) \(crashed.stderr)")
        if !extracting || point == "extract-staged" {
            #expect(Self.snapshot(store).filter { !$0.key.contains(".cairn-tmp-") } == before, "\(point)")
        }
        if point == "archive-renamed" {
            #expect(try CLI.run(["archive", "ls", "--verify", archive]).stdout.contains(run))
        } else if !extracting {
            #expect(!FileManager.default.fileExists(atPath: archive), "\(point): a half archive was left")
        }
        #expect(try Self.listed(store) == (point == "extract-registered" || !extracting ? [run] : []), "\(point)")
        if point == "extract-folders-placed" || point == "extract-staged" {
            // The doctor reports what the killed extract left, and --fix removes it.
            let doctor = try store.cairn("doctor")
            #expect(doctor.status != 0 && doctor.stdout.contains(point == "extract-staged" ? ".cairn-tmp-extract-" : run), "\(doctor.stdout)")
            let fixed = try store.cairn("doctor", "--fix")
            #expect(fixed.status == 0, "\(fixed.stdout) \(fixed.stderr)")
        }
        // The store goes on working: the archive is made (or extracted) again.
        if extracting {
            let again = try store.cairn("archive", "extract", archive)
            if point == "extract-registered" {
                #expect(again.status != 0 && again.stderr.contains("already in the store"), "\(again.stderr)")
            } else {
                #expect(again.status == 0, "\(point): \(again.stderr)")
            }
            #expect(try Self.listed(store) == [run])
            #expect(!(try FileManager.default.contentsOfDirectory(atPath: store.path + "/.cairn")).contains { $0.hasPrefix(".cairn-tmp-") })
        } else {
            try? FileManager.default.removeItem(atPath: archive)
            let again = try store.cairn("archive", "create", run, "-o", archive)
            #expect(again.status == 0, "\(again.stderr)")
        }
        #expect(try store.output("doctor").hasSuffix("is healthy."))
    }
}

