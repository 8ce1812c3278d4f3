import Testing
@testable import CairnKit

@Suite("LogLineAssembler")
struct LogLineAssemblerTests {
    /// Feeds `text` at time `now` and returns the lines as text.
    private func feed(_ assembler: inout LogLineAssembler, _ text: String, at now: Int64) -> [String] {
        assembler.feed(Array(text.utf8), now: now).map { String(decoding: $0, as: UTF8.self) }
    }

    private func finish(_ assembler: inout LogLineAssembler) -> [String] {
        assembler.finish().map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func newlinesEndLines() {
        var a = LogLineAssembler()
        #expect(feed(&a, "one\ntwo\n\nthr", at: 0) == ["one", "two", ""])
        #expect(feed(&a, "ee\n", at: 0) == ["three"])
        #expect(finish(&a) == [])
    }

    @Test func crlfEndsALineEvenWhenSplitAcrossChunks() {
        var a = LogLineAssembler()
        #expect(feed(&a, "dos\r\nline\r", at: 0) == ["dos"])
        #expect(feed(&a, "\nnext", at: 0) == ["line"])
        #expect(finish(&a) == ["next"])
    }

    @Test func aPartialLastLineIsKeptAtTheEnd() {
        var a = LogLineAssembler()
        #expect(feed(&a, "no newline", at: 0) == [])
        #expect(finish(&a) == ["no newline"])
        // After finishing, the assembler starts afresh.
        #expect(finish(&a) == [])
    }

    @Test func theFirstRedrawIsLoggedAtOnce() {
        // Any clock value works, including the epoch's 0 and very large ones.
        for now: Int64 in [0, 1_000, 1_795_000_000_000, Int64.max / 2] {
            var a = LogLineAssembler()
            #expect(feed(&a, "10%\r20%", at: now) == ["10%"], "now = \(now)")
        }
    }

    @Test func redrawsAreLoggedAtMostOnceASecondAndTheLatestWins() {
        var a = LogLineAssembler()
        let t0: Int64 = 1_795_000_000_000
        // A redraw is complete once the byte after its \r shows it is not a \r\n.
        // Redraws at t0: the first is logged, the next ones are held.
        #expect(feed(&a, "1%\r2%\r3%\r", at: t0) == ["1%"])
        #expect(feed(&a, "4%\r", at: t0 + 999) == [])
        // One second after the last logged one, the latest complete redraw is logged, not the held ones.
        #expect(feed(&a, "5%\r", at: t0 + 1_000) == ["4%"])
        #expect(feed(&a, "6%\r7%\r", at: t0 + 1_500) == [])
        // The stream ends during the quiet time: the final state is kept.
        #expect(finish(&a) == ["7%"])
    }

    @Test func aHeldRedrawIsKeptWhenTheStreamEndsAfterACarriageReturnLine() {
        var a = LogLineAssembler()
        #expect(feed(&a, "1%\r2%\r", at: 0) == ["1%"])
        #expect(feed(&a, "\r", at: 10) == [])
        // "2%" was held (less than a second after "1%"); nothing came after it.
        #expect(finish(&a) == ["2%"])
    }

    @Test func aNewlineAfterRedrawsKeepsTheFinalState() {
        var a = LogLineAssembler()
        let t0: Int64 = 5_000
        #expect(feed(&a, "epoch 1: 10%\r", at: t0) == [])
        #expect(feed(&a, "epoch 1: 50%\repoch 1: 100%\n", at: t0 + 10) == ["epoch 1: 10%", "epoch 1: 100%"])
        // The held redraw (50%) is dropped: the line that ended with \n is the final state.
        #expect(finish(&a) == [])
        #expect(feed(&a, "epoch 2: 10%\r", at: t0 + 20) == [])
        #expect(feed(&a, "epoch 2: 20%\r", at: t0 + 2_000) == ["epoch 2: 10%"])
        #expect(finish(&a) == ["epoch 2: 20%"])
    }

    @Test func emptyRedrawsAreIgnored() {
        var a = LogLineAssembler()
        #expect(feed(&a, "\r\r\r", at: 0) == [])
        #expect(finish(&a) == [])
    }

    @Test func overLongLinesAreCut() {
        var a = LogLineAssembler()
        let max = LogLineAssembler.maxLineBytes
        let long = String(repeating: "x", count: max * 2 + 10)
        let lines = feed(&a, long + "\nshort\n", at: 0)
        #expect(lines.map(\.count) == [max, max, 10, 5])
        #expect(lines.allSatisfy { $0.utf8.count <= max })
        #expect(lines.joined().count == max * 2 + 10 + 5)
    }

    @Test func bytesArePassedThroughUnchanged() {
        var a = LogLineAssembler()
        let bytes: [UInt8] = [0xE2, 0x9C, 0x93, 0x00, 0x1B, 0x5B, 0x33, 0x31, 0x6D, 10]
        #expect(a.feed(bytes, now: 0) == [Array(bytes.dropLast())])
    }
}
