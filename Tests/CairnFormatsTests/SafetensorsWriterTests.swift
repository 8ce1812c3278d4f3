import CairnCore
import CairnFormats
import CairnTestSupport
import Foundation
import Testing

/// The safetensors writer: the real library's fixture written again gives its tensors in its order and
/// its data bytes; files with generated tensors of every dtype are read by the real `safetensors`
/// package with the same names, dtypes, shapes, bytes and metadata; bad tensors are refused.
@Suite struct SafetensorsWriterTests {
    static let names: [TensorDType: String] = [
        .bool: "BOOL", .uint8: "U8", .int8: "I8", .int16: "I16", .uint16: "U16", .int32: "I32", .uint32: "U32", .int64: "I64",
        .uint64: "U64", .float16: "F16", .bfloat16: "BF16", .float32: "F32", .float64: "F64", .complex64: "C64",
        .float8E5M2: "F8_E5M2", .float8E4M3: "F8_E4M3",
    ]

    @Test func theFixtureWrittenAgainHasItsOrderAndBytes() throws {
        let bytes = try [UInt8](Data(contentsOf: PackagePaths.shared.appendingPathComponent("fixtures/interop/safetensors/model_mixed.safetensors")))
        let header = try SafetensorsHeaderTests.read(bytes)
        var writer = SafetensorsWriter()
        writer.metadata = header.metadata ?? [:]
        // Added in another order: the writer sorts as the reference does.
        for tensor in header.tensors.reversed() {
            try writer.add(tensor.name, dtype: tensor.dtype, shape: tensor.shape,
                           littleEndian: Array(bytes[header.dataStart + tensor.begin..<header.dataStart + tensor.end]))
        }
        let written = writer.bytes()
        let again = try SafetensorsHeaderTests.read(written)
        #expect(again.tensors == header.tensors && again.metadata == header.metadata)
        #expect(Array(written[again.dataStart...]) == Array(bytes[header.dataStart...]))
        #expect(again.dataStart % 8 == 0)
    }

    static let reader = #"""
    import json, sys
    from safetensors import safe_open
    out = {}
    for path in sys.argv[1:]:
        with safe_open(path, "np") as f:
            tensors = {}
            for k in f.keys():
                s = f.get_slice(k)
                entry = [s.get_dtype(), list(s.get_shape())]
                if s.get_dtype() not in ("BF16", "F8_E5M2", "F8_E4M3"):
                    entry.append(f.get_tensor(k).tobytes().hex())
                tensors[k] = entry
            out[path] = {"tensors": tensors, "metadata": f.metadata()}
    print(json.dumps(out))
    """#

    @Test func safetensorsReadsWhatCairnWrites() throws {
        let folder = try TemporaryDirectory("cairn-safetensors-out")
        var random = SeededGenerator(seed: 31)
        var expected: [String: [String: [String]]] = [:]
        var metadata: [String: [String: String]] = [:]
        var paths: [String] = []
        for index in 0..<30 {
            var writer = SafetensorsWriter()
            var tensors: [String: [String]] = [:]
            for number in 0..<Int.random(in: 0...6, using: &random) {
                let dtype = Self.names.keys.sorted { $0.rawValue < $1.rawValue }.randomElement(using: &random)!
                let shape = (0..<Int.random(in: 0...3, using: &random)).map { _ in Int.random(in: 0...4, using: &random) }
                let count = shape.reduce(1, *)
                let data: [UInt8] = dtype == .bool ? (0..<count).map { _ in UInt8.random(in: 0...1, using: &random) }
                    : (0..<count * dtype.itemSize).map { _ in UInt8.random(in: 0...255, using: &random) }
                let name = "block\(number).\(dtype.rawValue)"
                try writer.add(name, dtype: dtype, shape: shape, littleEndian: data)
                tensors[name] = [Self.names[dtype]!, shape.map(String.init).joined(separator: ","), data.map { String(format: "%02x", $0) }.joined()]
            }
            if index % 2 == 0 { writer.metadata = ["epoch": String(index), "note": "ü, \"quoted\""] }
            let path = folder.appending(String(format: "%02d.safetensors", index)).path
            try Data(writer.bytes()).write(to: URL(fileURLWithPath: path))
            expected[path] = tensors
            metadata[path] = writer.metadata
            paths.append(path)
        }
        let result = try TestPython.run(Self.reader, paths)
        try #require(result.status == 0, "\(result.stderr)")
        let read = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: [String: Any]])
        for path in paths {
            let file = try #require(read[path])
            let tensors = try #require(file["tensors"] as? [String: [Any]])
            #expect(Set(tensors.keys) == Set(expected[path]!.keys), "\(path)")
            for (name, facts) in expected[path]! {
                let got = try #require(tensors[name])
                #expect(got[0] as? String == facts[0] && (got[1] as? [Int])?.map(String.init).joined(separator: ",") == facts[1], "\(path) \(name): \(got)")
                if got.count > 2 { #expect(got[2] as? String == facts[2], "\(path) \(name)") }
            }
            let written = metadata[path]!
            #expect((file["metadata"] as? [String: String] ?? [:]) == written, "\(path)")
        }
    }

    @Test func badTensorsAreRefused() {
        var writer = SafetensorsWriter()
        #expect(throws: CairnError.self) { try writer.add("a", dtype: .float32, shape: [2], littleEndian: [0, 0, 0]) }
        #expect(throws: CairnError.self) { try writer.add("", dtype: .uint8, shape: [], littleEndian: [0]) }
        #expect(throws: CairnError.self) { try writer.add("__metadata__", dtype: .uint8, shape: [], littleEndian: [0]) }
        #expect(throws: CairnError.self) { try writer.add("n", dtype: .uint8, shape: [-1], littleEndian: []) }
        #expect(throws: CairnError.self) { try writer.add("p", dtype: .float4E2M1, shape: [3], littleEndian: [0]) }
        #expect(throws: Never.self) { try writer.add("ok", dtype: .float4E2M1, shape: [4], littleEndian: [0, 0]) }
        #expect(throws: CairnError.self) { try writer.add("ok", dtype: .uint8, shape: [], littleEndian: [0]) }
    }
}

/// A planned file (header first, data streamed later) is byte for byte what the writer writes whole.
@Suite struct SafetensorsPlanTests {
    @Test func planAndBytesAgree() throws {
        var writer = SafetensorsWriter()
        writer.metadata = ["format": "pt"]
        try writer.add("z.bias", dtype: .float16, shape: [2], littleEndian: [0, 60, 0, 188])
        try writer.add("a.weight", dtype: .float32, shape: [1], littleEndian: [0, 0, 128, 63])
        try writer.add("steps", dtype: .int64, shape: [], littleEndian: [7, 0, 0, 0, 0, 0, 0, 0])
        let data: [[UInt8]] = [[0, 60, 0, 188], [0, 0, 128, 63], [7, 0, 0, 0, 0, 0, 0, 0]]
        let plan = try SafetensorsWriter.plan([.init(name: "z.bias", dtype: .float16, shape: [2]), .init(name: "a.weight", dtype: .float32, shape: [1]),
                                                .init(name: "steps", dtype: .int64, shape: [])], metadata: ["format": "pt"])
        #expect(plan.order == [2, 1, 0])
        #expect(plan.header + plan.order.flatMap { data[$0] } == writer.bytes())
        #expect(plan.fileByteCount == writer.bytes().count)
        #expect(throws: CairnError.self) { try SafetensorsWriter.plan([.init(name: "a", dtype: .float32, shape: [1]), .init(name: "a", dtype: .float32, shape: [1])]) }
        #expect(throws: CairnError.self) { try SafetensorsWriter.plan([.init(name: "a", dtype: .float32, shape: [-1])]) }
    }
}
