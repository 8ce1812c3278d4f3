import CairnCore
import CairnFormats
import CairnTestSupport
import Testing

/// Bytes in memory as a ``TarByteSource``, handed out in uneven pieces to exercise the reader's buffer.
final class MemorySource: TarByteSource {
    private let bytes: [UInt8]
    private var offset = 0
    private let piece: Int

    init(_ bytes: [UInt8], piece: Int = 700) {
        self.bytes = bytes
        self.piece = piece
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(CairnError) -> Int {
        let count = min(buffer.count, piece, bytes.count - offset)
        for index in 0..<count { buffer[index] = bytes[offset + index] }
        offset += count
        return count
    }
}

@Suite struct TarRoundTripTests {
    /// An archive of `members` (with their data), written by TarHeader.
    static func archive(_ members: [(TarEntry, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        for (entry, data) in members {
            out += TarHeader.encode(entry)
            out += data
            out += [UInt8](repeating: 0, count: TarHeader.padding(after: Int64(data.count)))
        }
        return out + TarHeader.endOfArchive
    }

    static func readAll(_ bytes: [UInt8], piece: Int = 700) throws -> [(TarEntry, [UInt8])] {
        let reader = TarReader(MemorySource(bytes, piece: piece), name: "test.tar", bufferSize: 8192)
        var out: [(TarEntry, [UInt8])] = []
        while let entry = try reader.next() {
            var data: [UInt8] = []
            try reader.readData { data += $0 }
            out.append((entry, data))
        }
        return out
    }

    @Test func aFileAFolderAndALinkComeBack() throws {
        let members: [(TarEntry, [UInt8])] = [
            (TarEntry(path: "exp/run", kind: .directory, mode: 0o755, modificationTime: 1_700_000_000), []),
            (TarEntry(path: "exp/run/weights.bin", kind: .file, size: 1000, mode: 0o640, modificationTime: 1_700_000_001), (0..<1000).map { UInt8($0 % 251) }),
            (TarEntry(path: "exp/run/best", kind: .symlink, mode: 0o777, linkTarget: "weights.bin"), []),
        ]
        let read = try Self.readAll(Self.archive(members))
        #expect(read.map(\.0) == members.map(\.0))
        #expect(read.map(\.1) == members.map(\.1))
    }

    @Test func longNamesAndLinkTargetsGoThroughPaxHeaders() throws {
        let deep = (0..<12).map { "folder-\($0)-" + String(repeating: "x", count: 20) }.joined(separator: "/") + "/file.bin"
        let single = String(repeating: "n", count: 180)
        let members: [(TarEntry, [UInt8])] = [
            (TarEntry(path: deep, kind: .file, size: 3, mode: 0o644), [1, 2, 3]),
            (TarEntry(path: single, kind: .file, size: 0, mode: 0o644), []),
            (TarEntry(path: "a/link", kind: .symlink, mode: 0o777, linkTarget: String(repeating: "t/", count: 80) + "end"), []),
            (TarEntry(path: "é/ü/🙂 name with spaces", kind: .file, size: 1, mode: 0o600), [9]),
        ]
        #expect(deep.utf8.count > 256)
        let read = try Self.readAll(Self.archive(members))
        #expect(read.map(\.0) == members.map(\.0))
        #expect(read.map(\.1) == members.map(\.1))
    }

    /// Property: any names (1–300 bytes, split or not at slashes) and sizes (around block edges) come back.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func generatedNamesAndSizesRoundTrip(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789_-.é")
        var members: [(TarEntry, [UInt8])] = []
        for index in 0..<40 {
            let components = Int.random(in: 1...12, using: &random)
            var name = (0..<components).map { _ in
                String((0..<Int.random(in: 1...40, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            }.joined(separator: "/")
            name = "m\(index)/" + name
            if name.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) { continue }
            let size = [0, 1, 511, 512, 513, 1023, 1024, 4097, Int.random(in: 0...20_000, using: &random)].randomElement(using: &random)!
            let data = (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }
            members.append((TarEntry(path: name, kind: .file, size: Int64(size), mode: 0o644, modificationTime: Int64(index)), data))
        }
        let read = try Self.readAll(Self.archive(members), piece: Int.random(in: 1...5000, using: &random))
        #expect(read.map(\.0) == members.map(\.0))
        #expect(read.map(\.1) == members.map(\.1))
    }

    @Test func aTruncatedArchiveIsAnError() throws {
        let bytes = Self.archive([(TarEntry(path: "f", kind: .file, size: 2000, mode: 0o644), [UInt8](repeating: 1, count: 2000))])
        for cut in [100, 512, 1500, bytes.count - 1024] {
            #expect(throws: CairnError.self) { try Self.readAll(Array(bytes.prefix(cut))) }
        }
    }

    @Test func aDamagedHeaderIsAnError() throws {
        var bytes = Self.archive([(TarEntry(path: "f", kind: .file, size: 3, mode: 0o644), [1, 2, 3])])
        bytes[10] ^= 0x41
        #expect(throws: CairnError.self) { try Self.readAll(bytes) }
    }

    @Test func otherTypesAreReportedAsSuch() throws {
        let members: [(TarEntry, [UInt8])] = [(TarEntry(path: "dev", kind: .other(UInt8(ascii: "3")), mode: 0o644), [])]
        let read = try Self.readAll(Self.archive(members))
        #expect(read.map(\.0.kind) == [.other(UInt8(ascii: "3"))])
    }
}
