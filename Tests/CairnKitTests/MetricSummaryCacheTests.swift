import CairnCore
import CairnFormats
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// The index's metric summaries read from where a file was left: after any sequence of appends, torn
/// lines, rewrites, truncations and edits, they equal the summaries of the whole file read afresh, and
/// an append never makes the file be read whole again.
@Suite struct MetricSummaryCacheTests {
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 11
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static func points(_ count: Int, from step: Int, _ g: inout Generator) -> [MetricPoint] {
        let keys = ["loss", "acc", "a,b", "say \"hi\"", "lr"]
        return (0..<count).map { i -> MetricPoint in
            let r = g.next()
            let value = r % 13 == 0 ? Double.nan : r % 17 == 0 ? -0.0 : Double(Int64(r % 20_000) - 10_000) / 7
            return MetricPoint(key: keys[Int(r >> 20) % keys.count], value: value, step: Int64(step + i - Int(r % 3)),
                               epoch: r % 2 == 0 ? nil : step / 10, time: 1_700_000_000 + Double(step + i))
        }
    }

    static func rows(_ count: Int, from step: Int, _ g: inout Generator) -> [UInt8] {
        MetricsCSV.encodeRows(points(count, from: step, &g))
    }

    static func expected(_ path: String) throws -> [String: MetricSummary] {
        guard let bytes = FileManager.default.contents(atPath: path) else { return [:] }
        return MetricSummary.summaries(of: try MetricsCSV.decode(Array(bytes), path: path).points)
    }

    static func append(_ bytes: [UInt8], to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func anySequenceOfChangesSummarizesLikeAWholeRead(seed: UInt64) throws {
        let folder = try TemporaryDirectory("cairn-summary-cache")
        let path = folder.path + "/metrics.csv"
        let cache = MetricSummaryCache(capacity: 10)
        var g = Generator(state: seed)
        var step = 0
        var torn: [UInt8] = []  // the rest of a line left torn
        var wide = false  // Cairn never appends to a wide table: a writer starts a new file instead
        var notedRounds = 0
        for round in 0..<160 {
            let wholeBefore = cache.wholeReads
            let notedBefore = cache.notedAppends
            var appendedOnly = false
            var noted = false
            switch g.below(13) {
            case 10, 11, 12:
                // This process's logger: a torn line cut, whole rows appended and told to the cache, which
                // takes them in without reading them back when it had read the file to where they start.
                guard !wide else { continue }
                let points = Self.points(1 + g.below(40), from: step, &g)
                step += 40
                let rows = MetricsCSV.encodeRows(points)
                let exists = FileManager.default.fileExists(atPath: path)
                let appended = try rows.withUnsafeBytes { try MetricsFile(path: path).append($0) }
                let where_ = try #require(appended)
                rows.withUnsafeBytes {
                    cache.noteAppend(at: path, inode: where_.inode, offset: where_.offset, rows: $0, lines: points.count,
                                     summaries: MetricSummary.summaries(of: points))
                }
                noted = cache.notedAppends > notedBefore
                torn = []
                appendedOnly = exists
            case 0...3:
                // A writer appends whole rows (the header first on a new file), maybe finishing a torn line.
                let new = Self.rows(1 + g.below(40), from: step, &g)
                step += 40
                if wide { try FileManager.default.removeItem(atPath: path); wide = false }
                let exists = FileManager.default.fileExists(atPath: path)
                try Self.append((exists ? torn : MetricsCSV.encodeHeader()) + new, to: path)
                torn = []
                appendedOnly = exists
            case 4:
                // A writer dies mid-line.
                guard torn.isEmpty, !wide, FileManager.default.fileExists(atPath: path) else { continue }
                let row = Self.rows(1, from: step, &g)
                let cut = 1 + g.below(row.count - 1)
                try Self.append(Array(row[..<cut]), to: path)
                torn = Array(row[cut...])
                appendedOnly = true
            case 5:
                // Replaced by another file (a new inode).
                let bytes = MetricsCSV.encodeHeader() + Self.rows(g.below(30), from: 0, &g)
                try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
                torn = []
                wide = false
            case 6:
                // Truncated in place to a shorter length, then appended to.
                guard !wide, let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size > 30 else { continue }
                let handle = try #require(FileHandle(forWritingAtPath: path))
                try handle.truncate(atOffset: UInt64(26 + g.below(size - 26)))
                try handle.close()
                let cut = try MetricsCSV.decode(Array(FileManager.default.contents(atPath: path)!), path: path).validBytes
                let fix = try #require(FileHandle(forWritingAtPath: path))
                try fix.truncate(atOffset: UInt64(cut))
                try fix.close()
                try Self.append(Self.rows(1 + g.below(20), from: step, &g), to: path)
                torn = []
            case 7:
                // The last line edited in place (another value), then more rows appended.
                guard !wide, var bytes = FileManager.default.contents(atPath: path).map(Array.init), torn.isEmpty,
                      let end = bytes.lastIndex(of: 10), let start = bytes[..<end].lastIndex(of: 10), end - start > 2 else { continue }
                let line = Array(bytes[(start + 1)..<end])
                guard let comma = line.lastIndex(of: 44) else { continue }
                bytes.replaceSubrange((start + 1 + comma + 1)..<end, with: Array("\(g.below(1000))".utf8))
                let handle = try #require(FileHandle(forWritingAtPath: path))
                try handle.write(contentsOf: Data(bytes))
                try handle.truncate(atOffset: UInt64(bytes.count))
                try handle.close()
                try Self.append(Self.rows(1, from: step, &g), to: path)
            case 8:
                // Turned into a wide table (another tool's file), which is never kept.
                try Data("step,loss,acc\n1,0.5,\n2,,0.7\n\(3 + g.below(9)),0.25,0.75\n".utf8)
                    .write(to: URL(fileURLWithPath: path), options: .atomic)
                torn = []
                wide = true
            default:
                if g.below(3) == 0 { try? FileManager.default.removeItem(atPath: path); torn = []; wide = false }
            }
            let read = try cache.summaries(at: path)
            #expect(read.summaries == (try Self.expected(path)), "seed \(seed), round \(round)")
            #expect(read.stamp == FileStamp.of(path), "seed \(seed), round \(round)")
            if appendedOnly, wholeBefore > 0, round > 0 {
                #expect(cache.wholeReads == wholeBefore, "an append was read whole: seed \(seed), round \(round)")
            }
            if noted { notedRounds += 1 }
        }
        // Most of the logger's appends follow a read of the file, and are taken in without one.
        #expect(notedRounds > 10, "seed \(seed): \(notedRounds) appends noted")
    }

    @Test func anAppendReadsOnlyTheNewRows() throws {
        let folder = try TemporaryDirectory("cairn-summary-cache")
        let path = folder.path + "/metrics.csv"
        let cache = MetricSummaryCache(capacity: 10)
        try Self.append(MetricsCSV.encode((0..<1000).map { MetricPoint(key: "loss", value: Double($0), step: Int64($0)) }), to: path)
        #expect(try cache.summaries(at: path).summaries["loss"]?.count == 1000)
        for step in 1000..<1100 {
            try Self.append(MetricsCSV.encodeRows([MetricPoint(key: "loss", value: -1, step: Int64(step))]), to: path)
            let summary = try #require(try cache.summaries(at: path).summaries["loss"])
            #expect(summary.count == step + 1 && summary.min == -1 && summary.max == 999 && summary.highestStep == Int64(step))
        }
        #expect(cache.wholeReads == 1)
        // A bad line appended names its line in the file.
        try Self.append(Array(",x,,loss,1\n".utf8), to: path)
        let error = #expect(throws: CairnError.self) { try cache.summaries(at: path) }
        #expect(error?.message.hasPrefix("\(path):1102: bad step") == true, "\(error?.message ?? "")")
    }

    @Test func theLeastRecentlyUsedFilesAreDropped() throws {
        let folder = try TemporaryDirectory("cairn-summary-cache")
        let cache = MetricSummaryCache(capacity: 10)
        for i in 0..<25 {
            try Self.append(MetricsCSV.encode([MetricPoint(key: "k", value: 1, step: 1)]), to: folder.path + "/\(i).csv")
            _ = try cache.summaries(at: folder.path + "/\(i).csv")
        }
        let before = cache.wholeReads
        _ = try cache.summaries(at: folder.path + "/24.csv")  // recent: kept
        #expect(cache.wholeReads == before)
        _ = try cache.summaries(at: folder.path + "/0.csv")  // oldest: dropped, read whole
        #expect(cache.wholeReads == before + 1)
    }
}
