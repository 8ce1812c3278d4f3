import Foundation
import Testing
import CairnTestSupport

/// `cairn inspect FILE` on files the real tools wrote (copied from ../shared/fixtures), and on bad input:
/// one clear error line and a non-zero exit.
@Suite struct CLIInspectTests {
    static let fixtures = PackagePaths.shared.appendingPathComponent("fixtures/interop")

    func copy(_ name: String, to folder: TemporaryDirectory) throws -> String {
        let target = folder.appending((name as NSString).lastPathComponent).path
        try FileManager.default.copyItem(atPath: Self.fixtures.appendingPathComponent(name).path, toPath: target)
        return target
    }

    func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try CLI.run(["inspect"] + arguments + ["--json"])
        try #require(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func showsAnNpyArray() throws {
        let folder = try TemporaryDirectory("cairn-inspect")
        let file = try copy("npy/float32_fortran_3x4.npy", to: folder)
        let out = try json([file])
        #expect(out["format"] as? String == "npy" && out["bytes"] as? Int == 176 && out["elements"] as? Int == 12 && out["data_bytes"] as? Int == 48)
        let entry = try #require((out["entries"] as? [[String: Any]])?.first)
        #expect(entry["name"] as? String == "array" && entry["dtype"] as? String == "float32" && entry["shape"] as? [Int] == [3, 4] && entry["bytes"] as? Int == 48)
        let metadata = try #require(out["metadata"] as? [String: String])
        #expect(metadata["fortran_order"] == "true" && metadata["version"] == "1.0" && metadata["descr"] == "<f4" && metadata["byte_order"] == "little")
        let text = try CLI.run(["inspect", file])
        #expect(text.status == 0 && text.stdout.contains("array") && text.stdout.contains("(3, 4)") && text.stdout.contains("1 entry, 12 elements"))
        // 0-d and empty arrays.
        let scalar = try json([try copy("npy/float64_scalar_0d.npy", to: folder)])
        #expect((scalar["entries"] as? [[String: Any]])?.first?["shape"] as? [Int] == [] && scalar["elements"] as? Int == 1)
        let empty = try json([try copy("npy/float32_empty_0x5.npy", to: folder)])
        #expect((empty["entries"] as? [[String: Any]])?.first?["shape"] as? [Int] == [0, 5] && empty["elements"] as? Int == 0)
    }

    @Test func showsASafetensorsFile() throws {
        let folder = try TemporaryDirectory("cairn-inspect-st")
        let out = try json([try copy("safetensors/model_mixed.safetensors", to: folder)])
        #expect(out["format"] as? String == "safetensors" && out["data_bytes"] as? Int == 106)
        let entries = try #require(out["entries"] as? [[String: Any]])
        #expect(entries.map { $0["name"] as? String ?? "" } == ["step_ids", "encoder.bias", "encoder.weight", "decoder.weight_f16", "mask_u8"])
        #expect(entries.map { $0["dtype"] as? String ?? "" } == ["int64", "float32", "float32", "float16", "uint8"])
        #expect(entries[2]["shape"] as? [Int] == [3, 4] && entries[2]["bytes"] as? Int == 48)
        #expect(out["metadata"] as? [String: String] == ["step": "1200", "epoch": "3"])
    }

    @Test(arguments: ["tensorboard", "tensorboardX"]) func showsAnEventFile(_ writer: String) throws {
        let folder = try TemporaryDirectory("cairn-inspect-tb")
        let source = Self.fixtures.appendingPathComponent("tfevents/\(writer)")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: source.path).first)
        let file = try copy("tfevents/\(writer)/\(name)", to: folder)
        let out = try json([file])
        #expect(out["format"] as? String == "tfevents")
        let entries = try #require(out["entries"] as? [[String: Any]])
        #expect(!entries.isEmpty && entries.allSatisfy { $0["dtype"] as? String == "float32" && ($0["shape"] as? [Int])?.first ?? 0 > 0 })
        #expect((out["metadata"] as? [String: String])?["records"] != nil)
    }

    @Test func badInputIsOneClearLine() throws {
        let folder = try TemporaryDirectory("cairn-inspect-bad")
        let good = try [UInt8](Data(contentsOf: Self.fixtures.appendingPathComponent("npy/int64_3d_2x3x4.npy")))
        let cut = folder.appending("cut.npy")
        try Data(good.prefix(good.count - 5)).write(to: cut)
        let text = folder.appending("notes.txt")
        try Data("just some words\n".utf8).write(to: text)
        let cases: [(String, String)] = [(cut.path, "cut short"), (text.path, "not a file Cairn reads"),
                                         (folder.path, "is a folder"), (folder.appending("missing.npy").path, "no file at")]
        for (path, words) in cases {
            let result = try CLI.run(["inspect", path])
            #expect(result.status != 0, "\(path)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1 && result.stderr.hasPrefix("cairn: error: ") && result.stderr.contains(words), "\(path): \(result.stderr)")
        }
        // Nothing was changed.
        #expect(try [UInt8](Data(contentsOf: cut)) == Array(good.prefix(good.count - 5)))
    }
}
