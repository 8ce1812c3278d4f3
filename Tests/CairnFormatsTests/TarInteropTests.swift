import CairnCore
import CairnFormats
import CairnTestSupport
import Foundation
import Testing

/// Our tar writer against GNU tar's reader, and our reader against GNU tar's writer (GNU long names,
/// pax headers), with names past ustar's 100 + 155 bytes.
@Suite struct TarInteropTests {
    static let deep = (0..<10).map { "level-\($0)-" + String(repeating: "d", count: 25) }.joined(separator: "/")

    @Test func gnuTarListsAndExtractsWhatWeWrite() throws {
        let folder = try TemporaryDirectory("cairn-tar-interop")
        let members: [(TarEntry, [UInt8])] = [
            (TarEntry(path: "run", kind: .directory, mode: 0o755), []),
            (TarEntry(path: "run/" + Self.deep + "/weights.bin", kind: .file, size: 5000, mode: 0o644), (0..<5000).map { UInt8($0 % 256) }),
            (TarEntry(path: "run/short.txt", kind: .file, size: 2, mode: 0o600), [104, 105]),
            (TarEntry(path: "run/link", kind: .symlink, mode: 0o777, linkTarget: "short.txt"), []),
        ]
        let archive = folder.appending("ours.tar").path
        try Data(TarRoundTripTests.archive(members)).write(to: URL(fileURLWithPath: archive))
        let list = try TestProcess.run("/usr/bin/env", ["tar", "tf", archive])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.split(separator: "\n").map(String.init) == ["run/", "run/" + Self.deep + "/weights.bin", "run/short.txt", "run/link"])
        let out = folder.appending("out").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let extract = try TestProcess.run("/usr/bin/env", ["tar", "xf", archive, "-C", out])
        #expect(extract.status == 0, "\(extract.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/run/" + Self.deep + "/weights.bin")) == Data(members[1].1))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out + "/run/link") == "short.txt")
    }

    @Test(arguments: ["gnu", "pax"])
    func weReadWhatGnuTarWrites(format: String) throws {
        let folder = try TemporaryDirectory("cairn-tar-interop")
        let source = folder.appending("src").path
        try FileManager.default.createDirectory(atPath: source + "/" + Self.deep, withIntermediateDirectories: true)
        let data = Data((0..<3000).map { UInt8($0 % 199) })
        try data.write(to: URL(fileURLWithPath: source + "/" + Self.deep + "/f.bin"))
        try FileManager.default.createSymbolicLink(atPath: source + "/l", withDestinationPath: String(repeating: "t/", count: 70) + "x")
        let archive = folder.appending("theirs.tar").path
        let made = try TestProcess.run("/usr/bin/env", ["tar", "--format=\(format)", "-cf", archive, "-C", source, "."])
        try #require(made.status == 0, "\(made.stderr)")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: archive)))
        let read = try TarRoundTripTests.readAll(bytes)
        let file = try #require(read.first { $0.0.path == "./" + Self.deep + "/f.bin" })
        #expect(file.1 == [UInt8](data))
        let link = try #require(read.first { $0.0.path == "./l" })
        #expect(link.0.kind == .symlink)
        #expect(link.0.linkTarget == String(repeating: "t/", count: 70) + "x")
    }
}
