import CairnCore
import CairnFormats
import CairnTestSupport
import Foundation
import Testing

/// Every PyTorch checkpoint torch 2.15 wrote in `../shared/fixtures/interop/torch` reads as its
/// `expected.json` says: archive entries and their data offsets, the pickle's globals, every node of the
/// unpickled tree in pre-order (types, keys, values), each tensor's dtype, shape, strides, storage and
/// the sha256 and first values of its data.
@Suite struct TorchFixtureTests {
    static let folder = PackagePaths.shared.appendingPathComponent("fixtures/interop")

    static func read(_ bytes: [UInt8]) throws(CairnError) -> TorchCheckpoint {
        try bytes.withUnsafeBytes { raw in Result { () throws(CairnError) in try TorchCheckpoint(reading: raw) } }.get()
    }

    static func data(of tensor: TorchTensor, in checkpoint: TorchCheckpoint, _ bytes: [UInt8]) throws(CairnError) -> [UInt8] {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(CairnError) in try checkpoint.withData(of: tensor, in: raw) { Array($0) } }
        }.get()
    }

    /// A path of expected.json (strings and integers) as Cairn's components.
    static func path(_ raw: [Any]) -> [TorchPathComponent] {
        raw.map { ($0 as? String).map(TorchPathComponent.key) ?? .index(($0 as? Int) ?? -1) }
    }

    @Test func everyFixtureReadsAsExpected() throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent("expected.json"))
        let files = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["files"] as? [String: [String: Any]])
        let torch = files.filter { $0.key.hasPrefix("torch/") }
        #expect(torch.count == 3)
        for (name, facts) in torch.sorted(by: { $0.key < $1.key }) {
            let bytes = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent(name)))
            let checkpoint = try Self.read(bytes)
            #expect(checkpoint.prefix == facts["archive_prefix"] as? String, "\(name)")
            #expect(checkpoint.globals == facts["pickle_globals"] as? [String], "\(name)")
            #expect(checkpoint.version == "3" && checkpoint.byteOrder == .little, "\(name)")
            let archive = try #require(facts["archive"] as? [[String: Any]])
            #expect(checkpoint.archive.entries.map(\.name) == archive.compactMap { $0["name"] as? String }, "\(name)")
            for (entry, expected) in zip(checkpoint.archive.entries, archive) {
                let range = try bytes.withUnsafeBytes { raw in Result { () throws(CairnError) in try checkpoint.archive.dataRange(of: entry, in: raw) } }.get()
                #expect(entry.size == expected["size"] as? Int && range.lowerBound == expected["data_offset"] as? Int, "\(name) \(entry.name)")
                #expect(entry.method == 0)
                let slice = Array(bytes[range])
                #expect(try SHA256Sum.hex(slice) == expected["sha256"] as? String, "\(name) \(entry.name)")
                #expect(slice.withUnsafeBytes { CRC32.checksum($0) } == entry.crc32, "\(name) \(entry.name): CRC-32")
            }
            let expectedEntries = try #require(facts["entries"] as? [[String: Any]])
            let entries = checkpoint.root.entries
            #expect(entries.count == expectedEntries.count, "\(name)")
            for ((path, value), expected) in zip(entries, expectedEntries) {
                let where_ = "\(name) \(path)"
                #expect(path == Self.path(expected["path"] as? [Any] ?? []), "\(where_)")
                #expect(value.typeName == expected["type"] as? String, "\(where_)")
                switch value {
                case .int(let number): #expect(number == expected["value"] as? Int, "\(where_)")
                case .float(let number): #expect(NpyFixtureTests.same([number], [NpyFixtureTests.number(expected["value"]) ?? .nan]), "\(where_)")
                case .string(let text): #expect(text == expected["value"] as? String, "\(where_)")
                case .bool(let flag): #expect(flag == expected["value"] as? Bool, "\(where_)")
                case .list(let items), .tuple(let items): #expect(items.count == expected["length"] as? Int, "\(where_)")
                case .dict(let items, _):
                    #expect(items.map { TorchPathComponent(describing: $0.key) } == Self.path(expected["keys"] as? [Any] ?? []), "\(where_)")
                case .tensor(let tensor):
                    #expect(tensor.dtypeName == expected["dtype"] as? String && tensor.shape == expected["shape"] as? [Int], "\(where_)")
                    #expect(tensor.stride == expected["stride"] as? [Int] && tensor.storageOffset == expected["storage_offset"] as? Int, "\(where_)")
                    #expect(tensor.storageKey == expected["storage_key"] as? String && tensor.isContiguous == expected["contiguous"] as? Bool, "\(where_)")
                    #expect(tensor.requiresGrad == expected["requires_grad"] as? Bool && tensor.rebuild == expected["rebuild"] as? String, "\(where_)")
                    let elements = try Self.data(of: tensor, in: checkpoint, bytes)
                    #expect(try SHA256Sum.hex(elements) == expected["c_order_le_sha256"] as? String, "\(where_)")
                    let first = (expected["first_values"] as? [Any] ?? []).compactMap(NpyFixtureTests.number)
                    let dtype = try #require(tensor.dtype)
                    let values = elements.withUnsafeBytes { raw in
                        (0..<first.count).map { dtype.value(littleEndian: raw.baseAddress! + $0 * dtype.itemSize) }
                    }
                    #expect(NpyFixtureTests.same(values, first), "\(where_): \(values) vs \(first)")
                case .none: break
                default: Issue.record("\(where_): unexpected \(value.typeName)")
                }
            }
            let tensorKeys = try #require(facts["tensor_keys"] as? [[String: Any]])
            #expect(checkpoint.root.tensors.map(\.name) == tensorKeys.map { Self.path($0["path"] as? [Any] ?? []).map(\.description).joined(separator: ".") })
        }
    }

    /// A transposed view (`x.t()` of a 2×3 tensor: size (3, 2), stride (1, 3)) and a view with an offset
    /// share one storage; their bytes are gathered in C order, and only the offset view is read in place.
    @Test func stridedViewsAreGatheredInCOrder() throws {
        typealias Hostile = TorchHostileInputTests
        var parts: [Any] = ["}(", Hostile.unicode("t")]
        parts += Hostile.tensorCall(key: "0", numel: 6, offset: 0, shape: [3, 2], stride: [1, 3])
        parts.append(Hostile.unicode("row"))
        parts += Hostile.tensorCall(key: "0", numel: 6, offset: 3, shape: [3], stride: [1])
        parts.append("u")
        let pickle = Hostile.pickle(parts)
        let floats: [Float] = [0, 1, 2, 3, 4, 5]
        let storage = floats.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
        let bytes = Hostile.archive(pickle, storages: [("0", storage)])
        let checkpoint = try Self.read(bytes)
        let tensors = checkpoint.root.tensors
        let names: [String] = tensors.map { $0.name }
        #expect(names == ["t", "row"] && !tensors[0].tensor.isContiguous && tensors[1].tensor.isContiguous)
        let ranges = try bytes.withUnsafeBytes { raw in
            Result { () throws(CairnError) in
                var found: [Range<Int>?] = []
                for (_, tensor) in tensors { found.append(try checkpoint.dataRange(of: tensor, in: raw)) }
                return found
            }
        }.get()
        #expect(ranges[0] == nil && ranges[1] != nil)
        func values(_ tensor: TorchTensor) throws -> [Float] {
            let raw = try Self.data(of: tensor, in: checkpoint, bytes)
            return raw.withUnsafeBytes { buffer in (0..<raw.count / 4).map { Float(bitPattern: UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) } }
        }
        #expect(try values(tensors[0].tensor) == [0, 3, 1, 4, 2, 5])
        #expect(try values(tensors[1].tensor) == [3, 4, 5])
    }

    @Test func theModelStateOfATrainingCheckpointIsItsStateDictEntry() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent("torch/checkpoint_full.pt")))
        let model = try Self.read(bytes).modelState
        #expect(model.entry == "model_state_dict")
        #expect(model.tensors.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        let plain = try Self.read(try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent("torch/state_dict.pt")))).modelState
        #expect(plain.entry == nil && plain.tensors.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
    }
}

extension TorchPathComponent {
    /// The component a dict key gives (tests compare keys with expected.json's).
    init(describing key: TorchValue) {
        switch key {
        case .int(let number): self = .index(number)
        case .string(let text): self = .key(text)
        default: self = .key(key.typeName)
        }
    }
}
