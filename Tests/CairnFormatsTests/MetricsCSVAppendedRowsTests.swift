import CairnCore
import Testing
@testable import CairnFormats

/// Reading only the rows appended after a part already read gives what reading the whole file gives:
/// the same points, the same line numbers in errors, the same torn-tail handling.
@Suite struct MetricsCSVAppendedRowsTests {
    @Test(arguments: [3, 11, 29])
    func everySplitAtALineEndReadsLikeTheWholeFile(seed: UInt64) throws {
        let points = MetricsCSVTests.randomPoints(count: 300, seed: seed)
        let whole = MetricsCSV.encode(points)
        let all = try MetricsCSV.decode(whole, path: "m.csv")
        // Every prefix a reader may have stopped at (including a torn one): the rest read as appended rows.
        for cut in stride(from: 0, through: whole.count, by: 37) {
            let first = try MetricsCSV.decode(Array(whole[..<cut]), path: "m.csv")
            guard first.validBytes > 0 else { continue }  // no complete header yet: read whole next time
            let rest = try MetricsCSV.decodeAppendedRows(Array(whole[first.validBytes...]), linesBefore: first.lines, path: "m.csv")
            #expect(first.points + rest.points == all.points, "cut at \(cut)")
            #expect(first.validBytes + rest.validBytes == all.validBytes)
            #expect(rest.lines == all.lines)
            #expect(!rest.tornTail)
        }
    }

    @Test func aTornAppendedLineIsLeftForLater() throws {
        let head = MetricsCSV.encode([MetricPoint(key: "k", value: 1, step: 1)])
        let first = try MetricsCSV.decode(head, path: "m.csv")
        let appended = Array(",2,,k,2\n,3,,k,3".utf8)
        let rest = try MetricsCSV.decodeAppendedRows(appended, linesBefore: first.lines, path: "m.csv")
        #expect(rest.points == [MetricPoint(key: "k", value: 2, step: 2)])
        #expect(rest.validBytes == 8 && rest.tornTail && rest.lines == 3)
    }

    @Test func aBadAppendedLineIsNamedByItsLineInTheFile() throws {
        let head = MetricsCSV.encode((1...4).map { MetricPoint(key: "k", value: Double($0), step: Int64($0)) })
        let first = try MetricsCSV.decode(head, path: "m.csv")
        #expect(first.lines == 5)
        let error = #expect(throws: CairnError.self) {
            try MetricsCSV.decodeAppendedRows(Array(",5,,k,5\n,six,,k,6\n".utf8), linesBefore: first.lines, path: "m.csv")
        }
        #expect(error?.kind == .corrupt)
        #expect(error?.message.hasPrefix("m.csv:7: bad step") == true, "\(error?.message ?? "")")
        // The whole file names the same line.
        let whole = #expect(throws: CairnError.self) {
            try MetricsCSV.decode(head + Array(",5,,k,5\n,six,,k,6\n".utf8), path: "m.csv")
        }
        #expect(whole?.message == error?.message)
    }
}
