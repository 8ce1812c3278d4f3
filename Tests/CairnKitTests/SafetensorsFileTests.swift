import Foundation
import Testing
import CairnCore
import CairnFormats
import CairnTestSupport
@testable import CairnKit

/// safetensors files read memory-mapped: each tensor's bytes are the real library's (digests from
/// `expected.json`) or the ones written; unreadable paths are one clear error.
@Suite struct SafetensorsFileTests {
    static let folder = PackagePaths.shared.appendingPathComponent("fixtures/interop")

    @Test func tensorsOfTheFixtureAreTheirBytes() throws {
        let copy = try TemporaryDirectory("cairn-st-map")
        let file = copy.appending("model.safetensors").path
        try FileManager.default.copyItem(atPath: Self.folder.appendingPathComponent("safetensors/model_mixed.safetensors").path, toPath: file)
        let expected = try #require(((try JSONSerialization.jsonObject(with: Data(contentsOf: Self.folder.appendingPathComponent("expected.json")))
            as? [String: Any])?["files"] as? [String: [String: Any]])?["safetensors/model_mixed.safetensors"]?["tensors"] as? [String: [String: Any]])
        let opened = try SafetensorsFile(file)
        #expect(opened.header.tensors.count == 5 && opened.header.metadata?["epoch"] == "3")
        for tensor in opened.header.tensors {
            let digest = opened.withBytes(of: tensor) { bytes in SHA256Hasher.hex(of: Array(bytes)) }
            #expect(digest == expected[tensor.name]?["data_sha256"] as? String, "\(tensor.name)")
        }
        let weight = try #require(opened.tensor(named: "encoder.weight"))
        let first = opened.withBytes(of: weight) { TensorDType.float32.value(littleEndian: $0.baseAddress!) }
        #expect(first == 0.001230153371579945)
    }

    @Test func whatTheWriterWroteReadsBack() throws {
        var writer = SafetensorsWriter()
        let values = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try writer.add("big", dtype: .uint8, shape: [10, 100], littleEndian: values)
        try writer.add("none", dtype: .bfloat16, shape: [0, 3], littleEndian: [])
        let folder = try TemporaryDirectory("cairn-st-map2")
        let file = folder.appending("w.safetensors")
        try Data(writer.bytes()).write(to: file)
        let opened = try SafetensorsFile(file.path)
        #expect(opened.withBytes(of: try #require(opened.tensor(named: "big"))) { Array($0) } == values)
        #expect(opened.withBytes(of: try #require(opened.tensor(named: "none"))) { $0.count } == 0)
    }

    @Test func unreadablePathsAreOneClearError() throws {
        let folder = try TemporaryDirectory("cairn-st-bad")
        let empty = folder.appending("empty.safetensors")
        try Data().write(to: empty)
        for (path, kind) in [(empty.path, CairnError.Kind.corrupt), (folder.path, .invalidValue), (folder.appending("missing").path, .notFound)] {
            do {
                _ = try SafetensorsFile(path)
                Issue.record("opened \(path)")
            } catch {
                #expect(error.kind == kind, "\(path): \(error)")
            }
        }
    }
}
