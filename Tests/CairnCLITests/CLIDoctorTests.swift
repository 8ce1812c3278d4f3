#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
import CairnTestSupport

/// Files deleted or left behind outside Cairn: listings go on, pointers move, readers repair,
/// `cairn doctor` reports and `--fix` repairs.
@Suite("cairn: files deleted by hand, cairn doctor")
struct CLIDoctorTests {
    /// Saves epochs with the given losses into a run (monitor val_loss, top 3); returns the files saved.
    private static func save(_ store: CLITestStore, _ run: String, _ losses: [Double], from epoch: Int = 1,
                             environment: [String: String?] = [:]) throws {
        let scratch = store.path + "-src"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        for (offset, loss) in losses.enumerated() {
            let at = epoch + offset
            let file = scratch + "/e\(at).pt"
            try Data(repeating: UInt8(at), count: 1000 + at).write(to: URL(fileURLWithPath: file))
            let result = try store.cairn(["ckpt", "save", run, file, "--epoch", String(at), "--step", String(at * 10),
                                          "--metric", "val_loss=\(loss)", "--monitor", "val_loss", "--top-k", "3"], environment: environment)
            try #require(result.status == 0, "\(result.stderr)")
        }
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    @Test func aRunFolderDeletedByHand() throws {
        let store = try CLITestStore()
        let runs = try (0..<3).map { _ in try store.newRun("vision/resnet") }
        let gone = try store.output("path", runs[2])
        try FileManager.default.removeItem(atPath: gone)

        let listing = try store.cairn("run", "ls", "--json")
        #expect(listing.status == 0, "\(listing.stderr)")
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [[String: Any]])
        #expect(listed.map { $0["id"] as? String } == [runs[0], runs[1]])
        let lines = listing.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(listing.stderr)")
        #expect(lines.first?.hasPrefix("cairn: warning: 1 run folder is missing") == true, "\(listing.stderr)")
        #expect(listing.stderr.contains(runs[2]) && listing.stderr.contains(gone) && listing.stderr.contains("cairn doctor --fix"))

        #expect(try store.output("latest", "vision/resnet") == runs[1])
        #expect(try store.output("path", "vision/resnet", "latest") == (try store.output("path", runs[1])))

        let doctor = try store.cairn("doctor")
        #expect(doctor.status == 1)
        #expect(doctor.stdout.contains(runs[2]) && doctor.stdout.contains("doctor --fix"), "\(doctor.stdout)")
        let fixed = try store.cairn("doctor", "--fix")
        #expect(fixed.status == 0, "\(fixed.stdout)\(fixed.stderr)")
        #expect(fixed.stdout.contains("removed from the registry"))
        let again = try store.cairn("doctor", "--fix", "--json")
        #expect(again.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect(report["found"] as? Int == 0 && report["healthy"] as? Bool == true)
        let quiet = try store.cairn("run", "ls")
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
        #expect(try String(contentsOfFile: store.path + "/.cairn/experiments/1/latest", encoding: .utf8) == runs[1] + "\n")
        #expect(try store.output("doctor") .hasSuffix("is healthy."))
    }

    @Test(arguments: ["symlink", "hardlink"])
    func aCheckpointDeletedByHand(_ mechanism: String) throws {
        let store = try CLITestStore()
        let run = try store.newRun("vision/resnet")
        let environment: [String: String?] = ["CAIRN_POINTER_MECHANISM": mechanism]
        try Self.save(store, run, [0.5, 0.4, 0.3], environment: environment)
        let best = try store.output("ckpt", "best", run)
        #expect(best.hasSuffix("epoch_0003-step_00000030.pt"))
        try FileManager.default.removeItem(atPath: best)

        let listed = try #require(try store.json("ckpt", "ls", run, "--json") as? [[String: Any]])
        #expect(listed.map { $0["status"] as? String } == ["kept", "kept", "missing"])
        #expect(listed.map { $0["pointers"] as? [String] } == [[], ["best", "last"], []])
        let second = try store.output("ckpt", "best", run)
        #expect(second.hasSuffix("epoch_0002-step_00000020.pt"))
        #expect(try store.output("ckpt", "last", run) == second)
        // The stable names lead to what ckpt best says: one answer.
        for name in ["best", "last"] {
            let stable = try store.output("ckpt", "path", run, name)
            #expect(stable.hasSuffix("/\(name).pt"))
            #expect(Self.realPath(stable) == Self.realPath(second) || (mechanism == "hardlink"
                    && (try? Data(contentsOf: URL(fileURLWithPath: stable))) == (try? Data(contentsOf: URL(fileURLWithPath: second)))))
        }
        let gone = try store.cairn("ckpt", "path", run, "epoch=3")
        #expect(gone.status != 0 && gone.stderr.contains("is gone"), "\(gone.stderr)")
        // Saving goes on among the checkpoints that exist.
        try Self.save(store, run, [0.45], from: 4, environment: environment)
        #expect(try store.output("ckpt", "best", run) == second)
        #expect(try store.output("ckpt", "last", run).hasSuffix("epoch_0004-step_00000040.pt"))
    }

    @Test func aTornPointerIsRepairedByTheFirstReader() throws {
        let store = try CLITestStore()
        let run = try store.newRun("vision/resnet")
        try Self.save(store, run, [0.5, 0.4])
        let file = store.path + "-src/e3.pt"
        try Data(repeating: 3, count: 1003).write(to: URL(fileURLWithPath: file))
        let crashed = try store.cairn(["ckpt", "save", run, file, "--epoch", "3", "--step", "30", "--metric", "val_loss=0.3",
                                       "--monitor", "val_loss", "--top-k", "3"], environment: ["CAIRN_FAULT": "after-pointer-best"])
        #expect(crashed.signaled, "the fault did not fire: \(crashed.stderr)")
        let link = try store.output("path", run) + "/checkpoints/best.pt"
        let best = try store.output("ckpt", "best", run)
        #expect(best.hasSuffix("epoch_0003-step_00000030.pt"))
        #expect(Self.realPath(link) == Self.realPath(best))
        let manifest = try String(contentsOfFile: try store.output("path", run) + "/checkpoints.jsonl", encoding: .utf8)
        let lastBest = try #require(manifest.split(separator: "\n").last { $0.contains("\"event\":\"pointer\"") && $0.contains("\"name\":\"best\"") })
        #expect(lastBest.contains("\"seq\":3"), "the manifest records the repair: \(lastBest)")
    }

    @Test func readersRemoveTemporariesOfProcessesThatAreGone() throws {
        let store = try CLITestStore()
        let run = try store.newRun("vision/resnet")
        try Self.save(store, run, [0.5])
        let folder = try store.output("path", run) + "/checkpoints"
        let dead = folder + "/.cairn-tmp-epoch_0002-step_00000020.pt-999999-abc"
        let live = folder + "/.cairn-tmp-epoch_0003-step_00000030.pt-\(getpid())-def"  // this test process lives
        for path in [dead, live] { try Data(count: 40_000).write(to: URL(fileURLWithPath: path)) }
        let listing = try store.cairn("run", "ls")
        #expect(listing.status == 0)
        #expect(FileManager.default.fileExists(atPath: dead), "run ls reads no run's checkpoints")
        let checkpoints = try store.cairn("ckpt", "ls", run)
        #expect(checkpoints.status == 0 && checkpoints.stderr.isEmpty, "\(checkpoints.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dead))
        #expect(FileManager.default.fileExists(atPath: live))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        /// Deletes or writes something, given the store, a run with checkpoints at epochs 1…3 and its folder.
        let prepare: @Sendable (_ store: String, _ run: String, _ folder: String) throws -> Void
        let arguments: @Sendable (_ run: String) -> [String]
        let expected: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a run whose folder is gone", prepare: { _, _, folder in try FileManager.default.removeItem(atPath: folder) },
             arguments: { ["run", "show", $0] }, expected: "is gone (deleted outside Cairn)"),
        Case(name: "ckpt best when every checkpoint is gone", prepare: { _, _, folder in
            for epoch in 1...3 { try FileManager.default.removeItem(atPath: folder + "/checkpoints/epoch_000\(epoch)-step_000000\(epoch)0.pt") }
            // The reader has nothing left to repair: the stable names are gone too.
            for name in ["best", "last"] { try FileManager.default.removeItem(atPath: folder + "/checkpoints/\(name).pt") }
        }, arguments: { ["ckpt", "best", $0] }, expected: "is gone, and no other checkpoint that exists can be best"),
        Case(name: "ckpt path of a checkpoint that is gone", prepare: { _, _, folder in
            try FileManager.default.removeItem(atPath: folder + "/checkpoints/epoch_0001-step_00000010.pt")
        }, arguments: { ["ckpt", "path", $0, "epoch=1"] }, expected: "is gone"),
        Case(name: "doctor --fix during an unfinished migration", prepare: { store, _, folder in
            try FileManager.default.removeItem(atPath: folder)
            try Data("{}".utf8).write(to: URL(fileURLWithPath: store + "/.cairn/migration.json"))
        }, arguments: { _ in ["doctor", "--fix"] }, expected: "a migration of the store"),
    ]

    @Test(arguments: cases)
    func badInputFailsCleanly(_ testCase: Case) throws {
        let store = try CLITestStore()
        let run = try store.newRun("vision/resnet")
        try Self.save(store, run, [0.5, 0.4, 0.3])
        try testCase.prepare(store.path, run, try store.output("path", run))
        let before = TreeSnapshot(store.url)
        let result = try store.cairn(testCase.arguments(run))
        #expect(result.status != 0)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("cairn: error: ") && result.stderr.contains(testCase.expected), "\(result.stderr)")
        #expect(TreeSnapshot(store.url) == before, "changed: \(TreeSnapshot(store.url).difference(from: before))")
    }
}
