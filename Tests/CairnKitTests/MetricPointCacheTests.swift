import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// The cache of parsed metrics files: a settled, unchanged file is parsed once; an append, a replace or
/// a fresh change is read again; the least recently used files go first when over budget.
@Suite struct MetricPointCacheTests {
    /// Writes `rows` points of key `k` to a file and dates it `age` seconds back.
    static func write(_ path: String, rows: Int, age: TimeInterval = 10) throws {
        let text = "time,step,epoch,key,value\n" + (0..<rows).map { "1.0,\($0),,k,\(Double($0) / 2)\n" }.joined()
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -age)], ofItemAtPath: path)
    }

    final class Reads: @unchecked Sendable {
        var count = 0
    }

    func read(_ cache: MetricPointCache, _ path: String, _ reads: Reads) throws -> [MetricPoint] {
        try cache.points(at: path) { () throws(CairnError) in
            reads.count += 1
            return try MetricsFile(path: path).read()
        }
    }

    @Test func aSettledFileIsParsedOnceUntilItChanges() throws {
        let folder = try TemporaryDirectory("cairn-metric-cache")
        let path = folder.path + "/metrics.csv"
        try Self.write(path, rows: 100)
        let cache = MetricPointCache(budget: 1000)
        let reads = Reads()
        #expect(try read(cache, path, reads).count == 100)
        #expect(try read(cache, path, reads).count == 100)
        #expect(reads.count == 1)
        // An append (a run still logging): read again.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("1.0,100,,k,7\n".utf8))
        try handle.close()
        #expect(try read(cache, path, reads).last?.value == 7)
        #expect(reads.count == 2)
        // Changed under a second ago: never kept, since a second change in the same tick could keep the stamp.
        #expect(try read(cache, path, reads).count == 101 && reads.count == 3)
        // Replaced by another file of the same size, dated as the old one: a new inode, read again.
        try Self.write(path, rows: 101)
        #expect(try read(cache, path, reads).count == 101 && reads.count == 4)
        #expect(try read(cache, path, reads).count == 101 && reads.count == 4)
    }

    @Test func theLeastRecentlyUsedFilesGoFirst() throws {
        let folder = try TemporaryDirectory("cairn-metric-cache")
        let cache = MetricPointCache(budget: 250)
        let reads = Reads()
        for name in ["a", "b", "c"] { try Self.write(folder.path + "/\(name).csv", rows: 100) }
        _ = try read(cache, folder.path + "/a.csv", reads)
        _ = try read(cache, folder.path + "/b.csv", reads)
        _ = try read(cache, folder.path + "/a.csv", reads)  // a is used again: b is now the oldest
        _ = try read(cache, folder.path + "/c.csv", reads)  // 300 points: b goes
        #expect(reads.count == 3)
        _ = try read(cache, folder.path + "/a.csv", reads)
        _ = try read(cache, folder.path + "/c.csv", reads)
        #expect(reads.count == 3)
        _ = try read(cache, folder.path + "/b.csv", reads)
        #expect(reads.count == 4)
        // A file larger than the whole budget is read every time, and evicts nothing.
        try Self.write(folder.path + "/big.csv", rows: 300)
        _ = try read(cache, folder.path + "/big.csv", reads)
        _ = try read(cache, folder.path + "/big.csv", reads)
        #expect(reads.count == 6)
    }
}
