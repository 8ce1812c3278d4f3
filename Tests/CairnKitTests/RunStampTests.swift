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

    @Test func textThatIsNotAStampIsNotCurrent() {
        for text in ["no tab here", "1:2:3\t", "\t", "-\t/no/such/file\nbroken"] {
            #expect(!RunStamp.isCurrent(text: text, treeRoot: "/"), "\(text)")
        }
        #expect(RunStamp.isCurrent(text: "", treeRoot: "/"))
        #expect(RunStamp.isCurrent(text: "-\t/no/such/file\n", treeRoot: "/"))
    }
}
