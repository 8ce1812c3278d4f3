import CairnCore
import CairnFormats
import CairnTestSupport
import Foundation
import Testing

/// The npy codec on generated arrays: every numpy dtype, both byte orders, C and Fortran order, 0-d and
/// empty arrays, read back as written; version 2 and 3 headers read; and seeded mutations of valid files
/// (cut short, bytes changed, lengths and shapes made absurd) give a clear error or a consistent array,
/// never a crash or an allocation beyond the file.
@Suite struct NpyCodecTests {
    static let dtypes = TensorDType.allCases.filter { $0.npyCode != nil }

    struct Generated {
        var dtype: TensorDType
        var byteOrder: TensorByteOrder
        var fortran: Bool
        var shape: [Int]
        var data: [UInt8]
    }

    static func generate(_ random: inout SeededGenerator) -> Generated {
        let dtype = dtypes.randomElement(using: &random)!
        let rank = Int.random(in: 0...4, using: &random)
        let shape = (0..<rank).map { _ in Int.random(in: 0...5, using: &random) }
        let count = shape.reduce(1, *)
        let data = (0..<count * dtype.itemSize).map { _ in UInt8.random(in: 0...255, using: &random) }
        return Generated(dtype: dtype, byteOrder: Bool.random(using: &random) ? .little : .big, fortran: Bool.random(using: &random),
                         shape: shape, data: data)
    }

    @Test func generatedArraysReadBackAsWritten() throws {
        var random = SeededGenerator(seed: 17)
        for _ in 0..<500 {
            let made = Self.generate(&random)
            let array = try NpyArray(dtype: made.dtype, shape: made.shape, cOrderLittleEndian: made.data, byteOrder: made.byteOrder, fortranOrder: made.fortran)
            let bytes = array.encoded()
            #expect(array.header.dataOffset % 64 == 0 && bytes.count == array.header.dataOffset + made.data.count)
            let read = try bytes.withUnsafeBytes { try NpyArray(reading: $0) }
            #expect(read.header == array.header)
            #expect(read.cOrderLittleEndian() == made.data, "\(made.dtype) \(made.shape) fortran \(made.fortran) \(made.byteOrder)")
        }
    }

    /// The same array under a version 2 or 3 header (4-byte length field) reads the same.
    @Test(arguments: [2, 3]) func laterVersionsRead(version: Int) throws {
        let array = try NpyArray(dtype: .float32, shape: [2, 3], cOrderLittleEndian: (0..<24).map(UInt8.init), fortranOrder: true)
        let v1 = array.encoded()
        let text = Array(v1[10..<array.header.dataOffset])
        var v2 = NpyHeader.magic + [UInt8(version), 0]
        withUnsafeBytes(of: UInt32(text.count).littleEndian) { v2 += $0 }
        v2 += text + array.data
        let read = try v2.withUnsafeBytes { try NpyArray(reading: $0) }
        #expect(read.header.major == version && read.cOrderLittleEndian() == (0..<24).map(UInt8.init))
    }

    @Test(arguments: [
        ("{'descr': '<c16', 'fortran_order': False, 'shape': (2,), }", "unsupported-format"),
        ("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", "unsupported-format"),
        ("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", "unsupported-format"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': [2], }", "unsupported-format"),
        ("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }", "corrupt"),
        ("{'descr': '<f4', 'shape': (2,), }", "corrupt"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", "corrupt"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", "corrupt"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", "corrupt"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", "corrupt"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1000,), }", "corrupt"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), ", "corrupt"),
        ("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", "corrupt"),
        ("not a dict", "corrupt"),
    ] as [(String, String)])
    func badHeadersAreOneClearError(_ text: String, _ kind: String) {
        var bytes = NpyHeader.magic + [1, 0, UInt8(text.utf8.count + 1), 0] + Array(text.utf8) + [0x0A]
        bytes += [UInt8](repeating: 0, count: 8)
        do {
            _ = try bytes.withUnsafeBytes { try NpyArray(reading: $0) }
            Issue.record("read: \(text)")
        } catch let error as CairnError {
            #expect(error.kind.name == kind, "\(text): \(error)")
            #expect(!error.message.isEmpty && error.hint != nil)
        } catch {
            Issue.record("not a CairnError: \(error)")
        }
    }

    @Test func mutationsNeverCrash() throws {
        var random = SeededGenerator(seed: 2026)
        var outcomes = [0, 0]
        for _ in 0..<3_000 {
            let made = Self.generate(&random)
            var bytes = try NpyArray(dtype: made.dtype, shape: made.shape, cOrderLittleEndian: made.data, byteOrder: made.byteOrder,
                                     fortranOrder: made.fortran).encoded()
            switch Int.random(in: 0..<5, using: &random) {
            case 0: bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
            case 1:
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    bytes[Int.random(in: 0..<min(bytes.count, 128), using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            case 2: bytes[8] = 0xFF; bytes[9] = 0xFF
            case 3:
                if let at = bytes.firstIndex(of: UInt8(ascii: "(")) { bytes.insert(contentsOf: Array("9999999999".utf8), at: at + 1) }
            default: bytes[6] = UInt8.random(in: 0...4, using: &random)
            }
            do {
                let read = try bytes.withUnsafeBytes { try NpyArray(reading: $0) }
                #expect(read.header.dataOffset + read.data.count <= bytes.count)
                outcomes[0] += 1
            } catch let error as CairnError {
                #expect([CairnError.Kind.corrupt, .unsupportedFormat].contains(error.kind), "\(error)")
                outcomes[1] += 1
            }
        }
        #expect(outcomes[0] > 0 && outcomes[1] > 0)
    }
}
