import CairnCore
import CairnFormats
import CairnTestSupport
import Foundation
import Testing

/// Checkpoints Cairn writes: read back by Cairn's reader with every byte equal, laid out as torch lays
/// them out (64-byte aligned data, entry order), and read by CPython's own `zipfile` (CRC-32 checked)
/// and `pickle` (with stand-ins for torch's globals, so no torch is needed).
@Suite struct TorchCheckpointWriterTests {
    /// Random tensors of every dtype torch has, 0-d and empty ones among them.
    static func randomTensors(_ random: inout SeededGenerator, count: Int) -> [(TorchCheckpointWriter.Tensor, [UInt8])] {
        let dtypes = TensorDType.allCases.filter { $0.bits >= 8 }
        return (0..<count).map { index in
            let dtype = dtypes[index % dtypes.count]
            let rank = Int.random(in: 0...3, using: &random)
            let shape = (0..<rank).map { _ in Int.random(in: 0...4, using: &random) }
            let bytes = (0..<dtype.byteCount(of: shape.reduce(1, *))!).map { _ in UInt8.random(in: 0...255, using: &random) }
            return (TorchCheckpointWriter.Tensor(name: "layer\(index).weight", dtype: dtype, shape: shape), bytes)
        }
    }

    @Test(arguments: [1, 2, 3]) func whatCairnWritesCairnReadsBack(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let tensors = Self.randomTensors(&random, count: 24)
        let bytes = try TorchCheckpointWriter.bytes(archiveName: "average_model", tensors: tensors)
        let checkpoint = try TorchFixtureTests.read(bytes)
        #expect(checkpoint.prefix == "average_model" && checkpoint.version == "3")
        #expect(checkpoint.archive.entries.map(\.name).prefix(4) == ["average_model/data.pkl", "average_model/.format_version",
                                                                     "average_model/.storage_alignment", "average_model/byteorder"])
        for entry in checkpoint.archive.entries {
            let range = try bytes.withUnsafeBytes { raw in Result { () throws(CairnError) in try checkpoint.archive.dataRange(of: entry, in: raw) } }.get()
            #expect(range.lowerBound % 64 == 0, "\(entry.name)")
            let slice = Array(bytes[range])
            #expect(slice.withUnsafeBytes { CRC32.checksum($0) } == entry.crc32, "\(entry.name)")
        }
        guard case .dict(let items, let ordered) = checkpoint.root else { Issue.record("not a dict"); return }
        #expect(ordered && items.count == tensors.count)
        let read = checkpoint.root.tensors
        for ((spec, data), (name, tensor)) in zip(tensors, read) {
            #expect(name == spec.name && tensor.dtype == spec.dtype && tensor.shape == spec.shape && tensor.isContiguous, "\(spec.name)")
            #expect(try TorchFixtureTests.data(of: tensor, in: checkpoint, bytes) == data, "\(spec.name)")
        }
    }

    @Test func equalCheckpointsAreEqualFiles() throws {
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7)
        #expect(try TorchCheckpointWriter.bytes(archiveName: "m", tensors: Self.randomTensors(&a, count: 5))
                == TorchCheckpointWriter.bytes(archiveName: "m", tensors: Self.randomTensors(&b, count: 5)))
    }

    @Test func badTensorsAreRefused() {
        let packed = TorchCheckpointWriter.Tensor(name: "x", dtype: .float4E2M1, shape: [2])
        #expect(throws: CairnError.self) { try TorchCheckpointWriter(archiveName: "m", tensors: [packed]) }
        let negative = TorchCheckpointWriter.Tensor(name: "x", dtype: .float32, shape: [-1])
        #expect(throws: CairnError.self) { try TorchCheckpointWriter(archiveName: "m", tensors: [negative]) }
        let twice = TorchCheckpointWriter.Tensor(name: "x", dtype: .float32, shape: [1])
        #expect(throws: CairnError.self) { try TorchCheckpointWriter(archiveName: "m", tensors: [twice, twice]) }
        #expect(throws: CairnError.self) { try TorchCheckpointWriter.bytes(archiveName: "m", tensors: [(twice, [1, 2])]) }
    }

    @Test func aNonASCIINameGivesTheArchiveFolder() throws {
        let bytes = try TorchCheckpointWriter.bytes(archiveName: "modèle", tensors: [])
        #expect(try TorchFixtureTests.read(bytes).prefix == "archive")
    }

    /// CPython's zipfile checks every CRC-32 and size; its pickle runs the pickle with stand-ins for the
    /// torch functions, giving back each tensor's storage, offset, size and stride.
    @Test func cpythonReadsTheArchiveAndThePickle() throws {
        var random = SeededGenerator(seed: 11)
        let tensors = Self.randomTensors(&random, count: 20)
        let folder = try TemporaryDirectory()
        let path = folder.url.appendingPathComponent("model.pt").path
        try Data(try TorchCheckpointWriter.bytes(archiveName: "model", tensors: tensors)).write(to: URL(fileURLWithPath: path))
        let script = """
        import sys, zipfile, pickle, io, json, collections
        z = zipfile.ZipFile(sys.argv[1])
        assert z.testzip() is None, "bad CRC"
        names = z.namelist()
        class Stub:
            def __init__(self, name): self.name = name
            def __call__(self, *args): return (self.name,) + args
        class Reader(pickle.Unpickler):
            def find_class(self, module, name):
                if (module, name) == ("collections", "OrderedDict"): return collections.OrderedDict
                return Stub(module + "." + name)
            def persistent_load(self, pid): return pid[:2] + (pid[1].name,) + pid[2:]
        root = Reader(io.BytesIO(z.read("model/data.pkl"))).load()
        assert type(root) is collections.OrderedDict
        out = []
        for key, call in root.items():
            fn, storage, offset, size, stride = call[:5]
            data = z.read("model/data/" + storage[3])
            out.append([key, fn, storage[2], storage[5], offset, list(size), list(stride), len(data), call[-1].name if fn.endswith("v3") else None])
        print(json.dumps({"names": names, "tensors": out}))
        """
        let result = try TestPython.run(script, [path])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let names = try #require(json["names"] as? [String])
        #expect(names.first == "model/data.pkl" && names.last == "model/.data/serialization_id" && names.contains("model/version"))
        let rows = try #require(json["tensors"] as? [[Any]])
        #expect(rows.count == tensors.count)
        for (row, (spec, data)) in zip(rows, tensors) {
            #expect(row[0] as? String == spec.name)
            #expect(row[4] as? Int == 0 && row[5] as? [Int] == spec.shape && row[7] as? Int == data.count, "\(spec.name)")
            let v3 = (row[1] as? String)?.hasSuffix("_v3") == true
            #expect(v3 == (row[2] as? String == "torch.storage.UntypedStorage"), "\(spec.name)")
            if v3 { #expect(row[8] as? String == "torch." + spec.dtype.rawValue, "\(spec.name)") }
        }
    }
}

/// CRC-32 as zip computes it: the standard check value, and updates that join.
@Suite struct CRC32Tests {
    @Test func checkValueAndUpdates() {
        let text = Array("123456789".utf8)
        #expect(text.withUnsafeBytes { CRC32.checksum($0) } == 0xCBF4_3926)
        var random = SeededGenerator(seed: 3)
        let bytes = (0..<1_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        let whole = bytes.withUnsafeBytes { CRC32.checksum($0) }
        for cut in [0, 1, 7, 8, 9, 500, 999, 1_000] {
            let joined = bytes.withUnsafeBytes { raw in
                CRC32.update(CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[..<cut])), UnsafeRawBufferPointer(rebasing: raw[cut...]))
            }
            #expect(joined == whole, "cut at \(cut)")
        }
    }
}
