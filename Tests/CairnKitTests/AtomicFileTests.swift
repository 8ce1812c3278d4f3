import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite("AtomicFile")
struct AtomicFileTests {
    private func leftovers(_ dir: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(AtomicFile.temporaryPrefix) }
    }

    @Test func createMakesANewFile() throws {
        let dir = try TemporaryDirectory("cairn-kit")
        let path = dir.appending("new.json").path
        try AtomicFile.create(Array("{}\n".utf8), at: path)
        #expect(try Disk.text(path) == "{}\n")
        #expect(try leftovers(dir).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["new.json"])
    }

    @Test func createRefusesAnExistingFileAndLeavesItAlone() throws {
        let dir = try TemporaryDirectory("cairn-kit")
        let path = dir.appending("taken").path
        try Disk.write("original", to: path)
        let error = Expect.error(.alreadyExists) { try AtomicFile.create(Array("new".utf8), at: path) }
        #expect(error?.message.contains(path) == true)
        #expect(try Disk.text(path) == "original")
        #expect(try leftovers(dir).isEmpty)
        // A folder in the way counts as existing too.
        try Disk.makeFolder(dir.appending("folder").path)
        Expect.error(.alreadyExists) { try AtomicFile.create([], at: dir.appending("folder").path) }
        #expect(try leftovers(dir).isEmpty)
    }

    @Test func writeReplacesAndCreates() throws {
        let dir = try TemporaryDirectory("cairn-kit")
        let path = dir.appending("file.txt").path
        try AtomicFile.write("one", to: path)
        try AtomicFile.write("two, longer", to: path)
        try AtomicFile.write("3", to: path)
        #expect(try Disk.text(path) == "3")
        #expect(try leftovers(dir).isEmpty)
    }

    @Test func writeIntoAMissingFolderFailsCleanly() throws {
        let dir = try TemporaryDirectory("cairn-kit")
        let path = dir.appending("missing/file.txt").path
        Expect.error(.notFound) { try AtomicFile.write("x", to: path) }
        Expect.error(.notFound) { try AtomicFile.create([1], at: path) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func concurrentCreatesHaveExactlyOneWinner() async throws {
        let dir = try TemporaryDirectory("cairn-kit")
        let path = dir.appending("claim").path
        let wins = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<16 {
                group.addTask {
                    do { try AtomicFile.create(Array("writer \(i)".utf8), at: path); return true } catch { return false }
                }
            }
            var wins = 0
            for await won in group where won { wins += 1 }
            return wins
        }
        #expect(wins == 1)
        #expect(try Disk.text(path).hasPrefix("writer "))
        #expect(try leftovers(dir).isEmpty)
    }
}
