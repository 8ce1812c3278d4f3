import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// Reading a run's log, whole or followed until the run ends, as bytes or parsed lines.
@Suite struct RunLogReadingTests {
    @Test(arguments: [
        ("2026-11-23T03:40:11.482Z out epoch 1 loss 0.7", "out", "epoch 1 loss 0.7"),
        ("2026-11-23T03:40:11.482Z err ", "err", ""),
        ("2026-11-23T03:40:11.482Z err", "err", ""),
        ("2026-11-23T03:40:11.482Z out  two  spaces ", "out", " two  spaces "),
    ])
    func linesInTheLogsForm(_ line: String, stream: String, text: String) throws {
        let parsed = CairnAPI.LogLine(parsing: Array(line.utf8))
        #expect(parsed.time == Timestamp(iso8601: "2026-11-23T03:40:11.482Z"))
        #expect(parsed.stream == stream && parsed.text == text)
    }

    @Test(arguments: ["written by hand", "", "2026-11-23T03:40:11.482Z", "2026-11-23T03:40:11.482Z std text", "yesterday out x"])
    func otherLinesAreKeptWhole(_ line: String) {
        let parsed = CairnAPI.LogLine(parsing: Array(line.utf8))
        #expect(parsed.time == nil && parsed.stream == nil && parsed.text == line)
    }

    @Test func readsWholeAndAsLines() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("exp"))
        Expect.error(.notFound) { try fixture.store.readLog(of: run, follow: false) { _ in } }
        let log = try RunLog(store: fixture.store, run: run)
        let time = try #require(Timestamp(iso8601: "2026-11-23T03:40:11.482Z"))
        log.append("first", at: time)
        log.append("second line", at: time)
        var bytes: [UInt8] = []
        try fixture.store.readLog(of: run, follow: false) { bytes += $0 }
        #expect(String(decoding: bytes, as: UTF8.self) == "2026-11-23T03:40:11.482Z out first\n2026-11-23T03:40:11.482Z out second line\n")
        var lines: [CairnAPI.LogLine] = []
        try fixture.store.readLogLines(of: run, follow: false) { lines.append($0) }
        #expect(lines == [CairnAPI.LogLine(time: time, stream: "out", text: "first"), CairnAPI.LogLine(time: time, stream: "out", text: "second line")])
    }

    /// Following prints what is appended while the run lives, and returns once it has ended.
    @Test func followingEndsWithTheRun() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let run = try store.createRun(try .plain("exp"))
        let log = try RunLog(store: store, run: run)
        let time = Timestamp(millisecondsSinceEpoch: 0)
        log.append("before", at: time)
        let writer = Thread {
            for i in 0..<5 {
                usleep(30_000)
                log.append("line \(i)", at: time)
            }
            _ = try? store.endRun(run.location, status: .finished)
        }
        writer.start()
        var texts: [String] = []
        try store.readLogLines(of: run, follow: true, pollInterval: 0.01) { texts.append($0.text) }
        #expect(texts == ["before", "line 0", "line 1", "line 2", "line 3", "line 4"])
    }

    @Test func aLastLineWithoutNewlineIsPassedAtTheEnd() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("exp"))
        try Disk.write("2026-11-23T03:40:11.482Z out done\npartial", to: try fixture.store.runFilePath(run, .log))
        var texts: [String] = []
        try fixture.store.readLogLines(of: run, follow: false) { texts.append($0.text) }
        #expect(texts == ["done", "partial"])
    }
}
