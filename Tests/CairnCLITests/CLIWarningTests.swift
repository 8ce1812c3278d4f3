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
}
