import Foundation
import Testing
import CairnTestSupport

/// `cairn ckpt average`: checkpoints chosen by epochs, last or top; the average at the layout's place
/// or at -o (from the current folder), recorded in artifacts.jsonl with its sources; bad input is one
/// clear error line, a non-zero exit and an unchanged store; Python's safetensors reads the result.
@Suite struct CLIAverageTests {
    /// A safetensors file by hand: float32 tensors and one int64 (what the format's reference writes).
    static func safetensors(_ float32: [(String, [Int], [Float])], steps: Int64 = 0) -> Data {
        var entries: [String] = []
        var data = Data()
        for (name, shape, values) in float32 {
            let begin = data.count
            for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            entries.append("\"\(name)\":{\"dtype\":\"F32\",\"shape\":[\(shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(begin),\(data.count)]}")
        }
        let begin = data.count
        withUnsafeBytes(of: steps.littleEndian) { data.append(contentsOf: $0) }
        entries.append("\"num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[\(begin),\(data.count)]}")
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var file = Data()
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { file.append(contentsOf: $0) }
        return file + header + data
    }

    /// A store with one run holding checkpoints at epochs 1, 2, 3 (weights [e, 2e, 3e, 4e], bias [-e],
    /// num_batches_tracked 10e, val_loss 0.5, 0.2, 0.4), kept whatever the policy.
    static func storeWithRun(layout: String? = nil) throws -> (CLITestStore, String, String) {
        let store = try CLITestStore(layout: layout)
        let run = try store.newRun(layout == nil ? "avg/base" : "avgbase")
        let scratch = store.path + "-scratch"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        for (epoch, loss) in [(1, "0.5"), (2, "0.2"), (3, "0.4")] {
            let e = Float(epoch)
            let file = scratch + "/e\(epoch).safetensors"
            try safetensors([("layer.weight", [2, 2], [e, 2 * e, 3 * e, 4 * e]), ("layer.bias", [1], [-e])], steps: Int64(10 * epoch))
                .write(to: URL(fileURLWithPath: file))
            let saved = try store.cairn("ckpt", "save", run, file, "--epoch", String(epoch), "--metric", "val_loss=\(loss)",
                                        "--monitor", "val_loss", "--save-strategy", "all")
            try #require(saved.status == 0, "\(saved.stderr)")
        }
        return (store, run, scratch)
    }

    static func floats(_ data: Data, tensor: String) throws -> [Float] {
        let length = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        let header = try #require(try JSONSerialization.jsonObject(with: data.subdata(in: 8..<8 + length)) as? [String: Any])
        let entry = try #require(header[tensor] as? [String: Any])
        let offsets = try #require(entry["data_offsets"] as? [Int])
        return data.subdata(in: 8 + length + offsets[0]..<8 + length + offsets[1]).withUnsafeBytes { raw in
            (0..<(offsets[1] - offsets[0]) / 4).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
        }
    }

    static func artifactLines(_ runFolder: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: runFolder + "/artifacts.jsonl", encoding: .utf8)
        return try text.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    @Test func epochsAverageIntoTheLayoutsPlaceAndAreRecorded() throws {
        let (store, run, scratch) = try Self.storeWithRun()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let answer = try #require(try store.json("ckpt", "average", run, "--epochs", "1,3", "--json") as? [String: Any])
        let path = try #require(answer["path"] as? String)
        #expect(answer["relative_path"] as? String == "checkpoints/average.safetensors")
        #expect(answer["role"] as? String == "average" && answer["format"] as? String == "safetensors")
        #expect(answer["tensors"] as? Int == 3 && answer["copied"] as? [String] == ["num_batches_tracked"])
        #expect((answer["sources"] as? [[String: Any]])?.compactMap { $0["epoch"] as? Int } == [1, 3])
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(try Self.floats(data, tensor: "layer.weight") == [2, 4, 6, 8])
        #expect(try Self.floats(data, tensor: "layer.bias") == [-2])
        let runFolder = String(path.dropLast("/checkpoints/average.safetensors".count))
        let lines = try Self.artifactLines(runFolder)
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line["kind"] as? String == "average" && line["file"] as? String == "checkpoints/average.safetensors" && line["role"] as? String == "average")
        let digest = try SHA256Sum.hex(Array(data))
        #expect(line["sha256"] as? String == answer["sha256"] as? String && line["sha256"] as? String == digest)
        let sources = try #require(line["sources"] as? [[String: Any]])
        #expect(sources.compactMap { $0["epoch"] as? Int } == [1, 3] && sources.allSatisfy { ($0["sha256"] as? String)?.count == 64 })
        // The average is not a checkpoint: ckpt ls and verify are as before.
        #expect(try store.json("ckpt", "ls", run, "--json") as? [Any] != nil)
        #expect(try store.cairn("ckpt", "verify", run).status == 0)
    }

    @Test func lastAndTopChooseByOrderAndScore() throws {
        let (store, run, scratch) = try Self.storeWithRun()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        // --top 2 by val_loss (min): epochs 2 (0.2) and 3 (0.4).
        let top = try #require(try store.json("ckpt", "average", run, "--top", "2", "-o", scratch + "/top.safetensors", "--json") as? [String: Any])
        #expect((top["sources"] as? [[String: Any]])?.compactMap { $0["epoch"] as? Int } == [2, 3])
        #expect(top["relative_path"] is NSNull && top["role"] is NSNull)
        #expect(try Self.floats(Data(contentsOf: URL(fileURLWithPath: scratch + "/top.safetensors")), tensor: "layer.bias") == [-2.5])
        let best = try #require(try store.json("ckpt", "average", run, "--top", "1", "--mode", "max", "-o", scratch + "/worst.safetensors", "--json") as? [String: Any])
        #expect((best["sources"] as? [[String: Any]])?.compactMap { $0["epoch"] as? Int } == [1])
        // -o is relative to the current folder.
        let last = try CLI.run(["ckpt", "average", run, "--last", "2", "-o", "last.safetensors", "--store", store.path],
                               directory: URL(fileURLWithPath: scratch))
        #expect(last.status == 0, "\(last.stderr)")
        #expect(last.stdout.contains("averaged 2 checkpoints"), "\(last.stdout)")
        #expect(try Self.floats(Data(contentsOf: URL(fileURLWithPath: scratch + "/last.safetensors")), tensor: "layer.weight") == [2.5, 5, 7.5, 10])
    }

    @Test func runDirsLayoutsDefaultIsAverageModelPth() throws {
        let (store, run, scratch) = try Self.storeWithRun(layout: "run-dirs")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let before = TreeSnapshot(store.url)
        let result = try store.cairn("ckpt", "average", run, "--last", "2")
        // The layout's average_model.pth: a PyTorch checkpoint, which cairn inspect reads back.
        #expect(result.status == 0, "\(result.stderr)")
        #expect(TreeSnapshot(store.url) != before)
        let output = try store.output("path", run) + "/average_model.pth"
        let shown = try store.cairn("inspect", output, "--json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(json["format"] as? String == "torch", "\(shown.stdout) \(shown.stderr)")
        #expect(((json["entries"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }.contains("layer.weight"), "\(shown.stdout)")
    }

    @Test func badInputIsOneClearErrorAndTheStoreIsUnchanged() throws {
        let (store, run, scratch) = try Self.storeWithRun()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let empty = try store.newRun("avg/empty")
        // A fourth checkpoint of another shape, at epoch 4, and a truncated one at epoch 5.
        try Self.safetensors([("layer.weight", [4], [1, 2, 3, 4]), ("layer.bias", [1], [0])]).write(to: URL(fileURLWithPath: scratch + "/e4.safetensors"))
        let full = Self.safetensors([("layer.weight", [2, 2], [1, 2, 3, 4]), ("layer.bias", [1], [0])])
        try full.prefix(full.count - 6).write(to: URL(fileURLWithPath: scratch + "/e5.safetensors"))
        for epoch in [4, 5] {
            let saved = try store.cairn("ckpt", "save", run, scratch + "/e\(epoch).safetensors", "--epoch", String(epoch), "--metric", "val_loss=0.9",
                                        "--monitor", "val_loss", "--save-strategy", "all")
            try #require(saved.status == 0, "\(saved.stderr)")
        }
        try FileManager.default.createDirectory(atPath: scratch + "/folder.safetensors", withIntermediateDirectories: true)
        let before = TreeSnapshot(store.url)
        let cases: [([String], String)] = [
            (["--epochs", "1,4"], "'layer.weight' has shape [2, 2] in"),
            (["--epochs", "1,5"], "epoch_0005.safetensors"),
            (["--epochs", "1,9"], "no kept checkpoint at epoch 9"),
            (["--last", "9"], "fewer than the 9"),
            (["--epochs", "1,2", "-o", scratch + "/missing/avg.safetensors"], "does not exist"),
            (["--epochs", "1,2", "-o", scratch + "/folder.safetensors"], "is a folder"),
            (["--epochs", "1,2", "-o", scratch + "/avg.bin"], ".safetensors, .pt or .pth"),
            (["--epochs", "1,2", "--last", "2"], "exactly one of"),
        ]
        for (arguments, expected) in cases {
            let result = try store.cairn(["ckpt", "average", run] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.hasPrefix("cairn: error: ") && result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
        }
        let none = try store.cairn("ckpt", "average", empty, "--last", "2")
        #expect(none.status != 0 && none.stderr.contains("no checkpoint to average"), "\(none.stderr)")
        let after = TreeSnapshot(store.url)
        #expect(after == before, "\(after.difference(from: before))")
        #expect(!FileManager.default.fileExists(atPath: scratch + "/missing"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).allSatisfy { !$0.hasPrefix(".cairn-tmp-") })
    }

    @Test func topWithoutScoresIsRefused() throws {
        let store = try CLITestStore()
        let run = try store.newRun("avg/unscored")
        let scratch = store.path + "-scratch"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        for epoch in 1...2 {
            try Self.safetensors([("w", [1], [Float(epoch)])]).write(to: URL(fileURLWithPath: scratch + "/e\(epoch).safetensors"))
            try #require(try store.cairn("ckpt", "save", run, scratch + "/e\(epoch).safetensors", "--epoch", String(epoch), "--save-strategy", "all").status == 0)
        }
        let result = try store.cairn("ckpt", "average", run, "--top", "2")
        #expect(result.status != 0 && result.stderr.contains("monitors no metric"), "\(result.stderr)")
    }

    @Test func pythonSafetensorsReadsTheAverage() throws {
        let (store, run, scratch) = try Self.storeWithRun()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let out = scratch + "/py.safetensors"
        try #require(try store.cairn("ckpt", "average", run, "--epochs", "1,2,3", "-o", out).status == 0)
        let script = """
            import sys, json
            from safetensors.numpy import load_file
            from safetensors import safe_open
            t = load_file(sys.argv[1])
            with safe_open(sys.argv[1], framework="np") as f: meta = f.metadata()
            print(json.dumps({k: [str(v.dtype), list(v.shape), v.ravel().tolist()] for k, v in t.items()} | {"meta": meta}))
            """
        let read = try TestPython.run(script, [out])
        try #require(read.status == 0, "\(read.stderr)")
        let tensors = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: Any])
        #expect(tensors["layer.weight"] as? NSArray == ["float32", [2, 2], [2.0, 4.0, 6.0, 8.0]] as NSArray)
        #expect(tensors["layer.bias"] as? NSArray == ["float32", [1], [-2.0]] as NSArray)
        #expect(tensors["num_batches_tracked"] as? NSArray == ["int64", [], [30]] as NSArray)
        #expect((tensors["meta"] as? [String: String])?["format"] == "pt")
    }
}
