import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// `FileDigest`: hashing and copying files of sizes that do not fall on its read and write-back
/// boundaries, checked against coreutils' `sha256sum` and `cmp`.
@Suite("Checkpoints: file hashing and the hashing copy")
struct FileDigestTests {
    /// Sizes around the 256 KiB block and the 8 MiB write-back step.
    static let sizes = [0, 1, FileDigest.hashReadSize - 1, FileDigest.hashReadSize + 1,
                        FileDigest.chunkSize, 2 * FileDigest.chunkSize + 12_345]

    private static func file(_ size: Int, in folder: TemporaryDirectory) throws -> String {
        var generator = SeededGenerator(seed: UInt64(size) &+ 7)
        var bytes = [UInt8](repeating: 0, count: size)
        for index in bytes.indices { bytes[index] = UInt8(truncatingIfNeeded: generator.next()) }
        let path = folder.path + "/source-\(size)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: sizes) func copyIsByteForByteWithTheSourcesSHA256(size: Int) throws {
        let folder = try TemporaryDirectory("cairn-digest")
        let source = try Self.file(size, in: folder)
        let copy = folder.path + "/copy"
        var reported: [Int64] = []
        let (hex, bytes) = try FileDigest.copyHashing(from: source, to: copy) { reported.append($0) }
        #expect(bytes == Int64(size))
        #expect(hex == (try CkptCheck.sha256sum(source)))
        #expect(try TestProcess.run("/usr/bin/cmp", [source, copy]).status == 0)
        #expect(reported == reported.sorted())
        if size > 0 { #expect(reported.last == Int64(size)) }
        #expect(try FileDigest.sha256(ofFile: source) == (hex, Int64(size)))
    }

    @Test func copyNeverReplacesAnExistingFile() throws {
        let folder = try TemporaryDirectory("cairn-digest")
        let source = try Self.file(1000, in: folder)
        let existing = folder.path + "/existing"
        try Data("keep".utf8).write(to: URL(fileURLWithPath: existing))
        #expect(throws: CairnError.self) { try FileDigest.copyHashing(from: source, to: existing) }
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep")
    }
}
