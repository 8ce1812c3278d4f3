import CairnCore
import CairnFormats
import CairnTestSupport
import Foundation
import Testing

/// safetensors headers: the fixtures the real library wrote read as `expected.json` says; files the real
/// `safetensors` package writes (generated dtypes, shapes, metadata) read with the same entries; bad
/// files — each also refused by the real package — give one clear error; seeded mutations never crash.
@Suite struct SafetensorsHeaderTests {
    static let folder = PackagePaths.shared.appendingPathComponent("fixtures/interop")

    static func read(_ bytes: [UInt8]) throws(CairnError) -> SafetensorsHeader {
        try bytes.withUnsafeBytes { raw in Result { () throws(CairnError) in try SafetensorsHeader(file: raw) } }.get()
    }

    @Test func fixturesReadAsExpected() throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent("expected.json"))
        let files = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["files"] as? [String: [String: Any]])
        let safetensors = files.filter { $0.key.hasPrefix("safetensors/") }
        #expect(safetensors.count == 2)
        for (name, facts) in safetensors {
            let bytes = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent(name)))
            let header = try Self.read(bytes)
            #expect(header.headerLength == facts["header_len"] as? Int && header.dataStart == facts["data_start"] as? Int, "\(name)")
            #expect(header.metadata == facts["metadata"] as? [String: String], "\(name)")
            let tensors = try #require(facts["tensors"] as? [String: [String: Any]])
            #expect(Set(header.tensors.map(\.name)) == Set(tensors.keys), "\(name)")
            for tensor in header.tensors {
                let expected = try #require(tensors[tensor.name])
                let code = SafetensorsHeaderTests.code(tensor.dtype)
                #expect(code == expected["dtype"] as? String && tensor.shape == expected["shape"] as? [Int], "\(name) \(tensor.name)")
                #expect([tensor.begin, tensor.end] == expected["data_offsets"] as? [Int] && tensor.byteCount == expected["nbytes"] as? Int)
                let slice = Array(bytes[header.dataStart + tensor.begin..<header.dataStart + tensor.end])
                #expect(try SHA256Sum.hex(slice) == expected["data_sha256"] as? String, "\(name) \(tensor.name)")
            }
        }
    }

    static func code(_ dtype: TensorDType) -> String {
        ["bool": "BOOL", "uint8": "U8", "int8": "I8", "int16": "I16", "uint16": "U16", "int32": "I32", "uint32": "U32", "int64": "I64",
         "uint64": "U64", "float16": "F16", "bfloat16": "BF16", "float32": "F32", "float64": "F64", "complex64": "C64"][dtype.rawValue] ?? dtype.rawValue
    }

    static let writer = #"""
    import json, sys
    import numpy as np
    from safetensors.numpy import save_file
    folder = sys.argv[1]
    rng = np.random.default_rng(8)
    names = ["bool", "uint8", "int8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float16", "float32", "float64"]
    out = []
    for i in range(40):
        tensors = {}
        for j in range(int(rng.integers(0, 6))):
            name = names[rng.integers(len(names))]
            shape = tuple(int(d) for d in rng.integers(0, 4, size=rng.integers(0, 4)))
            count = int(np.prod(shape)) if shape else 1
            if name == "bool":
                arr = (rng.integers(0, 2, size=count) == 1).reshape(shape)
            else:
                arr = np.frombuffer(rng.bytes(count * np.dtype(name).itemsize), dtype=name).reshape(shape)
            tensors["layer%d.%s" % (j, name)] = arr
        metadata = {"epoch": str(i), "note": "ü é"} if rng.integers(2) else None
        path = folder + "/%02d.safetensors" % i
        save_file(tensors, path, metadata=metadata)
        out.append({"file": "%02d.safetensors" % i, "metadata": metadata,
                    "tensors": {k: [str(v.dtype), list(v.shape)] for k, v in tensors.items()}})
    print(json.dumps(out))
    """#

    @Test func readsWhatSafetensorsWrites() throws {
        let folder = try TemporaryDirectory("cairn-safetensors-in")
        let result = try TestPython.run(Self.writer, [folder.path])
        try #require(result.status == 0, "\(result.stderr)")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(items.count == 40)
        for item in items {
            let name = try #require(item["file"] as? String)
            let header = try Self.read(try [UInt8](Data(contentsOf: folder.appending(name))))
            let expected = try #require(item["tensors"] as? [String: [Any]])
            #expect(header.tensors.count == expected.count, "\(name)")
            for tensor in header.tensors {
                #expect(expected[tensor.name]?.first as? String == tensor.dtype.rawValue && expected[tensor.name]?.last as? [Int] == tensor.shape,
                        "\(name) \(tensor.name)")
            }
            #expect(header.metadata == item["metadata"] as? [String: String], "\(name)")
        }
    }

    static func file(_ json: String, data: Int, pad: Bool = true) -> [UInt8] {
        var header = Array(json.utf8)
        while pad && header.count % 8 != 0 { header.append(0x20) }
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
        return bytes + header + [UInt8](repeating: 7, count: data)
    }

    static let checker = #"""
    import json, sys
    from safetensors import safe_open
    out = {}
    for path in sys.argv[1:]:
        try:
            with safe_open(path, "np") as f:
                for k in f.keys(): f.get_tensor(k)
            out[path] = "read"
        except Exception as e:
            out[path] = "refused"
    print(json.dumps(out))
    """#

    @Test func badFilesAreRefusedAsTheReferenceRefusesThem() throws {
        let cases: [(String, [UInt8], String)] = [
            ("short", [1, 2, 3], "corrupt"),
            ("huge length", [0, 0, 0, 0, 0, 0, 0, 0x7F] + Array("{}      ".utf8), "corrupt"),
            ("length past the end", [64, 0, 0, 0, 0, 0, 0, 0] + Array("{}      ".utf8), "corrupt"),
            ("not json", Self.file("{\"a\": ", data: 0), "corrupt"),
            ("not utf8", Self.file("{\"\u{FF}\":1}", data: 0).map { $0 == 0xC3 ? 0xFF : $0 }, "corrupt"),
            ("gap", Self.file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: 8), "corrupt"),
            ("overlap", Self.file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: 8), "corrupt"),
            ("wrong size", Self.file(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: 8), "corrupt"),
            ("trailing bytes", Self.file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: 9), "corrupt"),
            ("missing data", Self.file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: 7), "corrupt"),
            ("unknown dtype", Self.file(#"{"a":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}}"#, data: 16), "unsupported-format"),
            ("metadata not strings", Self.file(#"{"__metadata__":{"epoch":3}}"#, data: 0), "corrupt"),
            ("negative dimension", Self.file(#"{"a":{"dtype":"U8","shape":[-1],"data_offsets":[0,0]}}"#, data: 0), "corrupt"),
            ("overflowing shape", Self.file(#"{"a":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#, data: 8), "corrupt"),
            ("not an object", Self.file("[1, 2]", data: 0), "corrupt"),
        ]
        let folder = try TemporaryDirectory("cairn-safetensors-bad")
        var paths: [String] = []
        for (name, bytes, kind) in cases {
            do {
                _ = try Self.read(bytes)
                Issue.record("\(name): read")
            } catch {
                #expect(error.kind.name == kind, "\(name): \(error)")
            }
            let path = folder.appending(name.replacingOccurrences(of: " ", with: "-") + ".safetensors").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let result = try TestPython.run(Self.checker, paths)
        try #require(result.status == 0, "\(result.stderr)")
        let verdicts = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: String])
        #expect(verdicts.filter { $0.value != "refused" }.isEmpty, "the reference read: \(verdicts.filter { $0.value != "refused" })")
    }

    @Test func mutationsNeverCrash() throws {
        var random = SeededGenerator(seed: 88)
        let base = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent("safetensors/model_mixed.safetensors")))
        var read = 0
        for _ in 0..<3_000 {
            var bytes = base
            switch Int.random(in: 0..<4, using: &random) {
            case 0: bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
            case 1:
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    bytes[Int.random(in: 0..<min(bytes.count, 400), using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            case 2: bytes[Int.random(in: 0..<8, using: &random)] = UInt8.random(in: 0...255, using: &random)
            default:
                let at = Int.random(in: 8..<392, using: &random)
                bytes.insert(contentsOf: Array("9999999999".utf8), at: at)
            }
            do {
                let header = try Self.read(bytes)
                #expect(header.dataStart + (header.tensors.last?.end ?? 0) == bytes.count)
                read += 1
            } catch {
                #expect([CairnError.Kind.corrupt, .unsupportedFormat].contains(error.kind))
            }
        }
        #expect(read < 3_000)
    }
}
