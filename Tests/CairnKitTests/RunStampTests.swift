import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite struct RunStampTests {
    /// The byte-level check agrees with stamping the files again, for files relative to the tree's root
    /// and absolute, present and missing, through appends, replacements and creations.
    @Test(arguments: [1, 2, 3, 4, 5])
    func agreesWithStampingAgain(seed: UInt64) throws {
        let dir = try TemporaryDirectory("cairn-stamp")
        var random = SeededGenerator(seed: seed)
        let names = (0..<6).map { "f\($0)" + (random.next() % 2 == 0 ? ".csv" : " with space") }
        for name in names where random.next() % 3 != 0 {
            try Data(repeating: 1, count: Int(random.next() % 100)).write(to: dir.url.appendingPathComponent(name))
        }
        let paths = names.map { dir.url.appendingPathComponent($0).path } + ["/no/such/file"]
        let root = random.next() % 2 == 0 ? dir.path : "/elsewhere"
        let text = RunStamp(paths: paths, treeRoot: root).text
        #expect(RunStamp.isCurrent(text: text, treeRoot: root))
        for step in 0..<10 {
            let path = paths[Int(random.next() % UInt64(names.count))]
            switch random.next() % 3 {
            case 0: if let handle = FileHandle(forWritingAtPath: path) { handle.seekToEndOfFile(); handle.write(Data([2])); try handle.close() }
            case 1: try Data([3, 4]).write(to: URL(fileURLWithPath: path), options: .atomic)
            default: unlink(path)
            }
            let again = RunStamp(paths: paths, treeRoot: root).text
            #expect(RunStamp.isCurrent(text: text, treeRoot: root) == (again == text), "step \(step)")
        }
    }

    /// As a run's stamp is made: its folder first, then files in it and in subfolders (looked up from the
    /// folder's descriptor), and one elsewhere; through edits of the files and a replaced folder.
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func agreesWithStampingAgainUnderARunFolder(seed: UInt64) throws {
        let dir = try TemporaryDirectory("cairn-stamp")
        var random = SeededGenerator(seed: seed)
        let folder = dir.path + "/exp/run-1"
        let names = ["run.json", "tags.json", "metrics/eval/metrics.csv", "metrics/train/metrics.csv", "ckpt dir/best.pt", "missing.json"]
        func fill() throws {
            for name in names.dropLast() where random.next() % 4 != 0 {
                let path = folder + "/" + name
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(repeating: 1, count: Int(random.next() % 100)).write(to: URL(fileURLWithPath: path))
            }
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try fill()
        try Data([9]).write(to: URL(fileURLWithPath: dir.path + "/pack"))
        let paths = [folder] + names.map { folder + "/" + $0 } + [dir.path + "/pack", dir.path + "/exp/run-10/x"]
        let text = RunStamp(paths: paths, treeRoot: dir.path).text
        #expect(RunStamp.isCurrent(text: text, treeRoot: dir.path))
        for step in 0..<12 {
            let path = paths[Int(random.next() % UInt64(paths.count - 1)) + 1]
            switch random.next() % 5 {
            case 0: if let handle = FileHandle(forWritingAtPath: path) { handle.seekToEndOfFile(); handle.write(Data([2])); try handle.close() }
            case 1: if FileManager.default.fileExists(atPath: (path as NSString).deletingLastPathComponent) {
                    try Data([3, 4]).write(to: URL(fileURLWithPath: path), options: .atomic)
                }
            case 2: unlink(path)
            case 3:  // the whole folder replaced by another with the same names
                try FileManager.default.moveItem(atPath: folder, toPath: folder + "-old-\(step)")
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try fill()
            default: break
            }
            let again = RunStamp(paths: paths, treeRoot: dir.path).text
            #expect(RunStamp.isCurrent(text: text, treeRoot: dir.path) == (again == text), "step \(step)")
        }
    }

    @Test func textThatIsNotAStampIsNotCurrent() {
        for text in ["no tab here", "1:2:3\t", "\t", "-\t/no/such/file\nbroken"] {
            #expect(!RunStamp.isCurrent(text: text, treeRoot: "/"), "\(text)")
        }
        #expect(RunStamp.isCurrent(text: "", treeRoot: "/"))
        #expect(RunStamp.isCurrent(text: "-\t/no/such/file\n", treeRoot: "/"))
    }

    /// A search on a database-backed server: a metrics CSV that only grew counts as current while the
    /// stamp kept for it is recent enough; a shrunk or replaced CSV, another file changed, or a stamp
    /// older than the limit does not.
    @Test func aRecentlyIndexedMetricsFileThatOnlyGrewCountsAsCurrent() throws {
        let dir = try TemporaryDirectory("cairn-stamp")
        let folder = dir.path + "/exp/run-1"
        try FileManager.default.createDirectory(atPath: folder + "/metrics/train", withIntermediateDirectories: true)
        let csv = folder + "/metrics/train/metrics.csv", tags = folder + "/tags.json", other = folder + "/notes.csv"
        func write(_ path: String, _ bytes: [UInt8]) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }
        func append(_ path: String) throws {
            let handle = try #require(FileHandle(forWritingAtPath: path))
            handle.seekToEndOfFile()
            handle.write(Data("1,2\n".utf8))
            try handle.close()
        }
        try write(csv, Array("time,step\n".utf8))
        try write(tags, Array("{}".utf8))
        try write(other, Array("a\n".utf8))
        let stamp = { RunStamp(paths: [folder, csv, tags, other], treeRoot: dir.path).text }
        var text = stamp()
        let kept = try #require(FileStamp.of(csv)).modified
        try append(csv)
        #expect(!RunStamp.isCurrent(text: text, treeRoot: dir.path))
        #expect(RunStamp.isCurrent(text: text, treeRoot: dir.path, metricsGrownSince: kept - 1_000_000_000))
        #expect(RunStamp.isCurrent(text: text, treeRoot: dir.path, metricsGrownSince: kept))
        // Indexed too long ago: read again.
        #expect(!RunStamp.isCurrent(text: text, treeRoot: dir.path, metricsGrownSince: kept + 1))
        // Another file that grew is no metrics CSV.
        text = stamp()
        try append(other)
        #expect(!RunStamp.isCurrent(text: text, treeRoot: dir.path, metricsGrownSince: 0))
        text = stamp()
        try write(tags, Array("{\"a\": \"b\"}".utf8))
        #expect(!RunStamp.isCurrent(text: text, treeRoot: dir.path, metricsGrownSince: 0))
        // Cut shorter in place, or replaced by another file (inode): read again.
        text = stamp()
        try FileHandle(forWritingAtPath: csv)!.truncate(atOffset: 3)
        #expect(!RunStamp.isCurrent(text: text, treeRoot: dir.path, metricsGrownSince: 0))
        text = stamp()
        try Data("time,step\n1,2\n3,4\n".utf8).write(to: URL(fileURLWithPath: csv), options: .atomic)
        #expect(!RunStamp.isCurrent(text: text, treeRoot: dir.path, metricsGrownSince: 0))
        // Removed.
        text = stamp()
        unlink(csv)
        #expect(!RunStamp.isCurrent(text: text, treeRoot: dir.path, metricsGrownSince: 0))
    }

    /// A stamp's text reads back as the stamp, across the values' ranges; anything else is no stamp.
    @Test func aStampsTextReadsBack() {
        var random = SeededGenerator(seed: 71)
        for _ in 0..<2_000 {
            let stamp = FileStamp(inode: random.next() >> Int(random.next() % 64), size: Int64(bitPattern: random.next() >> 1),
                                  modified: Int64(bitPattern: random.next()))
            #expect(FileStamp(text: Array(FileStamp.text(stamp).utf8)) == stamp)
        }
        for text in ["-", "", "1:2", "1:2:3:4", "1::3", "a:2:3", "-1:2:3", "1:2:99999999999999999999", " 1:2:3"] {
            #expect(FileStamp(text: Array(text.utf8)) == nil, "\(text)")
        }
    }
}
