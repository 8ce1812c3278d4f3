import Foundation
import Testing
import CairnCore
import CairnFormats
import CairnTestSupport
@testable import CairnKit

/// The averaging engine on safetensors files it writes itself: floating-point tensors averaged in
/// their own dtype, others copied from the last input, mismatches refused naming the tensor and files.
@Suite struct AverageEngineTests {
    /// Little-endian bytes of values in a dtype.
    static func bytes(_ values: [Double], _ dtype: TensorDType) -> [UInt8] {
        var out: [UInt8] = []
        for value in values {
            switch dtype {
            case .float32: withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { out += $0 }
            case .float64: withUnsafeBytes(of: value.bitPattern.littleEndian) { out += $0 }
            case .float16: withUnsafeBytes(of: Float16(value).bitPattern.littleEndian) { out += $0 }
            case .bfloat16: withUnsafeBytes(of: UInt16(Float(value).bitPattern >> 16).littleEndian) { out += $0 }
            case .int64: withUnsafeBytes(of: Int64(value).littleEndian) { out += $0 }
            default: preconditionFailure()
            }
        }
        return out
    }

    /// Writes a safetensors file of (name, dtype, shape, values).
    static func write(_ path: String, _ tensors: [(String, TensorDType, [Int], [Double])]) throws {
        var writer = SafetensorsWriter()
        for (name, dtype, shape, values) in tensors { try writer.add(name, dtype: dtype, shape: shape, littleEndian: bytes(values, dtype)) }
        try Data(writer.bytes()).write(to: URL(fileURLWithPath: path))
    }

    /// Every value of a tensor of a file, as Doubles.
    static func values(_ path: String, _ name: String) throws -> (TensorDType, [Int], [Double]) {
        let file = try SafetensorsFile(path)
        let tensor = try #require(file.tensor(named: name))
        let values = file.withBytes(of: tensor) { raw in
            (0..<tensor.count).map { tensor.dtype.value(littleEndian: raw.baseAddress! + $0 * tensor.dtype.itemSize) }
        }
        return (tensor.dtype, tensor.shape, values)
    }

    @Test(arguments: [TensorDType.float32, .float64, .float16, .bfloat16])
    func floatsAreAveragedInTheirDType(_ dtype: TensorDType) throws {
        let folder = try TemporaryDirectory("cairn-avg")
        let a = [1.0, -2.0, 0.5, 1024.0, 3.0, -0.25]
        let b = [2.0, -4.0, 0.25, 2048.0, 5.0, 0.25]
        let c = [6.0, 0.0, 0.75, 0.0, 7.0, 0.5]
        for (index, values) in [a, b, c].enumerated() {
            try Self.write(folder.path + "/\(index).safetensors", [("layer.weight", dtype, [2, 3], values), ("bn.num_batches_tracked", .int64, [], [Double(index * 10)])])
        }
        let inputs = try (0..<3).map { try StateDictFile.open(folder.path + "/\($0).safetensors") }
        let out = folder.path + "/avg.safetensors"
        let result = try StateDictAverager.average(inputs, to: out, durable: false)
        #expect(result.tensorCount == 2 && result.copied == ["bn.num_batches_tracked"])
        let (outType, shape, averaged) = try Self.values(out, "layer.weight")
        #expect(outType == dtype && shape == [2, 3])
        #expect(averaged == [3.0, -2.0, 0.5, 1024.0, 5.0, 1.0 / 6.0].map { Self.rounded($0, dtype) })
        let (intType, intShape, copied) = try Self.values(out, "bn.num_batches_tracked")
        #expect(intType == .int64 && intShape == [] && copied == [20], "the int tensor comes from the last input")
        #expect(result.sha256 == SHA256Hasher.hex(of: Array(try Data(contentsOf: URL(fileURLWithPath: out)))))
    }

    /// A value rounded to a dtype, as Double.
    static func rounded(_ value: Double, _ dtype: TensorDType) -> Double {
        switch dtype {
        case .float32: Double(Float(value))
        case .float16: Double(Float16(value))
        case .bfloat16:
            Double(Float(bitPattern: UInt32(ElementwiseMean.bfloat16Bits(Float(value))) << 16))
        default: value
        }
    }

    @Test func float32MeanIsTheCorrectlyRoundedMeanOverManyChunks() throws {
        let folder = try TemporaryDirectory("cairn-avg")
        // More elements than one chunk and one accumulator block, and an odd count.
        let count = (StateDictAverager.chunkBytes / 4) + ElementwiseMean.blockElements + 7
        var generator = SeededGenerator(seed: 7)
        let inputs = (0..<3).map { _ in (0..<count).map { _ in Double(Float(Double.random(in: -1...1, using: &generator))) } }
        for (index, values) in inputs.enumerated() {
            try Self.write(folder.path + "/\(index).safetensors", [("w", .float32, [count], values), ("b", .float32, [3], [1, 2, Double(index)])])
        }
        let out = folder.path + "/avg.safetensors"
        _ = try StateDictAverager.average(try (0..<3).map { try StateDictFile.open(folder.path + "/\($0).safetensors") }, to: out, durable: false)
        let (_, _, averaged) = try Self.values(out, "w")
        var wrong = 0
        for i in 0..<count where averaged[i] != Double(Float((inputs[0][i] + inputs[1][i] + inputs[2][i]) / 3)) { wrong += 1 }
        #expect(wrong == 0)
        #expect(try Self.values(out, "b").2 == [1, 2, 1])
    }

    @Test func mismatchesAreRefusedNamingTheTensorAndBothFiles() throws {
        let folder = try TemporaryDirectory("cairn-avg")
        let base = folder.path + "/base.safetensors"
        try Self.write(base, [("w", .float32, [2], [1, 2]), ("b", .float32, [1], [0])])
        let cases: [(String, [(String, TensorDType, [Int], [Double])], String)] = [
            ("shape", [("w", .float32, [1, 2], [1, 2]), ("b", .float32, [1], [0])], "'w' has shape [2] in"),
            ("dtype", [("w", .float64, [2], [1, 2]), ("b", .float32, [1], [0])], "'w' is float32 in"),
            ("extra", [("w", .float32, [2], [1, 2]), ("b", .float32, [1], [0]), ("c", .float32, [1], [0])], "'c' is in"),
            ("missing", [("w", .float32, [2], [1, 2])], "'b' is in"),
        ]
        for (label, tensors, expected) in cases {
            let other = folder.path + "/\(label).safetensors"
            try Self.write(other, tensors)
            let out = folder.path + "/avg-\(label).safetensors"
            do {
                _ = try StateDictAverager.average([try StateDictFile.open(base), try StateDictFile.open(other)], to: out, durable: false)
                Issue.record("\(label): averaged")
            } catch {
                #expect(error.kind == .conflict, "\(label)")
                #expect(error.message.contains(expected) && error.message.contains(base) && error.message.contains(other), "\(label): \(error)")
            }
            #expect(!FileManager.default.fileExists(atPath: out))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).allSatisfy { !$0.hasPrefix(".cairn-tmp-") })
    }

    /// torch.save's own files (a plain state dict, and a training state whose `model_state_dict` is
    /// taken) averaged with a safetensors file of the same tensors, into a PyTorch checkpoint Cairn's
    /// reader reads back with the mean of the three.
    @Test func torchAndSafetensorsInputsMixIntoATorchOutput() throws {
        let folder = try TemporaryDirectory("cairn-avg")
        let fixtures = PackagePaths.shared.appendingPathComponent("fixtures/interop/torch")
        let plain = try StateDictFile.open(fixtures.appendingPathComponent("state_dict.pt").path)
        let training = try StateDictFile.open(fixtures.appendingPathComponent("checkpoint_full.pt").path)
        #expect(plain.format == .torch && training.tensors.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        // The third: the plain state dict's tensors doubled, as safetensors.
        var writer = SafetensorsWriter()
        for tensor in plain.tensors {
            let doubled = (0..<tensor.count).map { 2 * tensor.dtype.value(littleEndian: tensor.bytes.baseAddress! + 4 * $0) }
            writer.add(tensor.name, shape: tensor.shape, values: doubled, as: .float32)
        }
        let third = folder.path + "/doubled.safetensors"
        try Data(writer.bytes()).write(to: URL(fileURLWithPath: third))
        let inputs = [plain, training, try StateDictFile.open(third)]
        let out = folder.path + "/average_model.pt"
        let result = try StateDictAverager.average(inputs, to: out, durable: false)
        #expect(result.tensorCount == 4 && result.copied.isEmpty)
        let averaged = try TorchCheckpointFile(out)
        #expect(averaged.checkpoint.prefix == "average_model")
        for (name, tensor) in averaged.checkpoint.root.tensors {
            let got = try averaged.withBytes(of: tensor) { raw in (0..<tensor.elementCount).map { TensorDType.float32.value(littleEndian: raw.baseAddress! + 4 * $0) } }
            let sources = inputs.map { file in file.tensors.first { $0.name == name }! }
            let want = (0..<tensor.elementCount).map { index in
                Double(Float(sources.map { Double(Float(bitPattern: UInt32(littleEndian: $0.bytes.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)))) }.reduce(0, +) / 3))
            }
            #expect(tensor.dtype == .float32 && tensor.shape == sources[0].shape, "\(name)")
            #expect(got == want, "\(name): \(got) vs \(want)")
        }
    }

    @Test func unreadableInputsAreOneClearError() throws {
        let folder = try TemporaryDirectory("cairn-avg")
        let torch = folder.path + "/model.pt"
        try Data([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 60)).write(to: URL(fileURLWithPath: torch))
        let text = folder.path + "/notes.txt"
        try Data("hello, this is not a model".utf8).write(to: URL(fileURLWithPath: text))
        let full = folder.path + "/full.safetensors"
        try Self.write(full, [("w", .float32, [1000], Array(repeating: 1, count: 1000))])
        let cut = folder.path + "/cut.safetensors"
        try Data(try Data(contentsOf: URL(fileURLWithPath: full)).prefix(2000)).write(to: URL(fileURLWithPath: cut))
        for (path, kind) in [(torch, CairnError.Kind.corrupt), (text, .unsupportedFormat), (cut, .invalidValue),
                             (folder.path + "/none.safetensors", .notFound)] {
            do {
                _ = try StateDictFile.open(path)
                Issue.record("\(path) opened")
            } catch {
                #expect(error.kind == kind || (kind == .invalidValue && error.kind == .corrupt), "\(path): \(error)")
                #expect(error.message.contains(path), "\(error)")
            }
        }
    }

    @Test func outputFormatFollowsTheExtension() throws {
        #expect(try StateDictOutput.format(of: "/x/average.safetensors") == .safetensors)
        #expect(try StateDictOutput.format(of: "/x/average_model.pth") == .torch)
        #expect(try StateDictOutput.format(of: "/x/a.PT") == .torch)
        #expect(throws: CairnError.self) { try StateDictOutput.format(of: "/x/average.bin") }
    }
}
