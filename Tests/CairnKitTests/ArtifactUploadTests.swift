import Foundation
import Testing
import CairnCore
import CairnTestSupport
@testable import CairnKit

/// Artifact uploads written in generated pieces: the file holds exactly the bytes, and the recorded
/// sha256 is theirs, whatever the sizes and the pieces (below, at and across the strides at which the
/// file is synced on another thread); an aborted upload leaves nothing behind.
@Suite struct ArtifactUploadTests {
    static let stride = Int(ArtifactUpload.syncStride)

    @Test(arguments: [0, 1, stride - 1, stride, stride + 1, 3 * stride + 12_345])
    func theFileAndItsDigestAreTheBytesSent(size: Int) throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("uploads"))
        var random = SeededGenerator(seed: UInt64(size) + 1)
        let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }
        let upload = try fixture.store.beginArtifact(run, at: try ArtifactPath("models/m.bin"))
        var offset = 0
        while offset < bytes.count {
            // Pieces from 1 byte to more than a stride, as a network delivers them.
            let length = min(bytes.count - offset, [1, 7, 4_096, 65_536, 700_000, Self.stride + 3].randomElement(using: &random)!)
            try bytes[offset..<offset + length].withUnsafeBytes { try upload.write($0) }
            offset += length
        }
        let record = try upload.finish()
        let file = fixture.store.artifactsFolder(of: run) + "/models/m.bin"
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == Data(bytes))
        #expect(record.sha256 == SHA256Hasher.hex(of: bytes) && record.bytes == Int64(size))
        #expect(try fixture.store.artifactRecords(of: run).map(\.sha256) == [record.sha256])
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.store.artifactsFolder(of: run) + "/models") == ["m.bin"])
    }

    /// Memory that lives as long as its owner: as a network buffer's storage does.
    final class OwnedMemory {
        let bytes: UnsafeMutableRawBufferPointer
        init(_ source: ArraySlice<UInt8>) {
            bytes = .allocate(byteCount: source.count, alignment: 1)
            source.withUnsafeBytes { bytes.copyMemory(from: $0) }
        }
        deinit { bytes.deallocate() }
    }

    /// Pieces handed over with their owner are hashed on another thread, mixed with plain writes; the
    /// digest is still theirs, in order.
    @Test(arguments: [0, 5, 3 * stride + 777])
    func piecesHashedElsewhereGiveTheSameDigest(size: Int) throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("uploads"))
        var random = SeededGenerator(seed: UInt64(size) + 99)
        let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }
        let upload = try fixture.store.beginArtifact(run, at: try ArtifactPath("owned.bin"))
        var offset = 0
        while offset < bytes.count {
            let length = min(bytes.count - offset, Int.random(in: 1...200_000, using: &random))
            // The caller drops its reference at once: the upload keeps the memory alive while it hashes.
            // Plain writes mixed in: hashed in order with the queued ones.
            let memory = OwnedMemory(bytes[offset..<offset + length])
            if Bool.random(using: &random) {
                try upload.write(UnsafeRawBufferPointer(memory.bytes), keptAliveBy: memory)
            } else {
                try upload.write(UnsafeRawBufferPointer(memory.bytes))
            }
            offset += length
        }
        let record = try upload.finish()
        #expect(record.sha256 == SHA256Hasher.hex(of: bytes))
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.store.artifactsFolder(of: run) + "/owned.bin")) == Data(bytes))
    }

    @Test func anAbortedUploadLeavesNothing() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("uploads"))
        let upload = try fixture.store.beginArtifact(run, at: try ArtifactPath("big.bin"))
        let piece = [UInt8](repeating: 7, count: Self.stride + 1)
        for _ in 0..<3 { try piece.withUnsafeBytes { try upload.write($0) } }
        upload.abort()
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.store.artifactsFolder(of: run)).isEmpty)
        #expect(throws: CairnError.self) { try upload.finish() }
        #expect(try fixture.store.artifactRecords(of: run).isEmpty)
    }
}
