import Foundation
import Testing
import CairnTestSupport

/// What the library logs reaches the user as one `cairn: warning:` line on stderr, and the command goes on.
@Suite("cairn: the library's warnings")
struct CLIWarningTests {
    @Test func anUnreadableLeaseIsOneWarningLineAndTheListingGoesOn() throws {
        let store = try CLITestStore()
        let id = try store.newRun("exp")
        let lease = store.path + "/.cairn/runs/\(id)/lease.json"
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: lease))

        let result = try store.cairn("run", "ls", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        let line = try #require(lines.first)
        #expect(line.hasPrefix("cairn: warning: cannot read the lease of run \(id) ("))
        #expect(line.contains(lease))
        #expect(line.hasSuffix("its liveness is unknown"))
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(runs.map { $0["id"] as? String } == [id])
    }

    @Test func aMetricNoPolicyMonitorsIsOneWarningLineOncePerRun() throws {
        let store = try CLITestStore()
        let id = try store.newRun("exp")
        var stderrs: [String] = []
        for epoch in 1...2 {
            let file = store.path + "-model-\(epoch).pt"
            try Data("weights \(epoch)".utf8).write(to: URL(fileURLWithPath: file))
            defer { try? FileManager.default.removeItem(atPath: file) }
            let result = try store.cairn("ckpt", "save", id, file, "--epoch", String(epoch), "--metric", "val_loss=0.\(epoch)")
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.hasSuffix("checkpoints/epoch_000\(epoch).pt\n"), "\(result.stdout)")
            stderrs.append(result.stderr)
        }
        let lines = stderrs[0].split(separator: "\n")
        #expect(lines.count == 1, "\(stderrs[0])")
        #expect(lines.first?.hasPrefix("cairn: warning: the checkpoint metric 'val_loss' ranks nothing") == true)
        #expect(lines.first?.contains("pass --monitor val_loss --mode min to 'cairn ckpt save', or set checkpoint.monitor in the experiment (cairn exp set exp checkpoint.monitor=val_loss") == true)
        #expect(stderrs[1].isEmpty, "\(stderrs[1])")
        #expect(try store.output("run", "show", id).contains("cairn.warned.no_monitor"))
    }
}
