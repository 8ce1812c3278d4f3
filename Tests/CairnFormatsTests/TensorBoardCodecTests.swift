import CairnCore
@testable import CairnFormats
import Testing

/// CRC32C, TFRecord framing and the protobuf subset, against published vectors and bytes that
/// Python's `protobuf` produced (reference/FORMATS.md §1 and §5).
@Suite struct TensorBoardCodecTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.filter { !$0.isWhitespace })
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
    }

    @Test func crc32cKnownVectors() {
        #expect(CRC32C.checksum(Self.bytes("123456789")) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
        #expect(CRC32C.checksum([]) == 0)
    }

    @Test func crc32cMasking() {
        #expect(CRC32C.maskedChecksum(Self.bytes("123456789")) == 0xC78A_B0E5)
        #expect(CRC32C.maskedChecksum([]) == 0xA282_EAD8)
        #expect(CRC32C.maskedChecksum([0x1A, 0x11] + Self.bytes("CRC test, one two")) == 0x5794_D08A)
        for value: UInt32 in [0, 1, 0xDEAD_BEEF, .max, 0x8000_0000] {
            #expect(CRC32C.unmasked(CRC32C.masked(value)) == value)
        }
    }

    /// Slicing by 8 agrees with the bytewise definition at every length and alignment.
    @Test func crc32cMatchesBytewiseDefinition() {
        func reference(_ data: ArraySlice<UInt8>) -> UInt32 {
            var c: UInt32 = 0xFFFF_FFFF
            for b in data {
                c ^= UInt32(b)
                for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            }
            return ~c
        }
        var state: UInt64 = 0x1234_5678
        let data: [UInt8] = (0..<300).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        for start in 0..<9 {
            for length in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 200] where start + length <= data.count {
                let slice = data[start..<(start + length)]
                #expect(CRC32C.checksum(Array(slice)) == reference(slice), "start \(start) length \(length)")
                // The table-driven path (used where the CPU has no CRC32 instruction) agrees too.
                let tables = Array(slice).withUnsafeBytes { bytes in
                    CRC32C.tables.withUnsafeBufferPointer { CRC32C.updateWithTables(0, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, length, $0.baseAddress!) }
                }
                #expect(tables == reference(slice), "tables: start \(start) length \(length)")
            }
        }
        // update() composes.
        let a = Array(data[0..<37]), b = Array(data[37..<300])
        let composed = b.withUnsafeBytes { CRC32C.update(CRC32C.checksum(a), $0) }
        #expect(composed == CRC32C.checksum(data))
    }

    /// The verified first record of FORMATS.md §1 (wall_time 1.5), byte for byte.
    @Test func fileVersionRecordBytes() {
        let event = TensorBoardEvent(wallTime: 1.5, content: .fileVersion("brain.Event:2"))
        let expected = Self.hex("18 00 00 00 00 00 00 00  a3 7f 4b 22 09 00 00 00 00 00 00 f8 3f 1a 0d")
            + Self.bytes("brain.Event:2") + Self.hex("2a 28 64 6c")
        #expect(TFRecordWriter.framed(event.encoded()) == expected)
        #expect(Array(EventFileWriter(wallTime: 1.5).bytes) == expected)
    }

    /// Old-style scalar (FORMATS.md §1): wall 1.5, step 7, tag "loss", value 0.25.
    @Test func simpleValueEventBytes() throws {
        let expected = Self.hex("09 000000000000f83f 10 07 2a 0d 0a 0b 0a 04") + Self.bytes("loss") + Self.hex("15 0000803e")
        let event = TensorBoardEvent.scalar(tag: "loss", value: 0.25, step: 7, wallTime: 1.5)
        #expect(event.encoded() == expected)
        #expect(try TensorBoardEvent(decoding: expected) == event)
        // The fast bulk path writes the same bytes.
        let bulk = EventFileWriter.encodeScalars([MetricPoint(key: "loss", value: 0.25, step: 7, time: 1.5)])
        #expect(bulk == TFRecordWriter.framed(expected))
        var writer = EventFileWriter(continuingWithCapacity: 0)
        writer.appendScalar(tag: "loss", value: 0.25, step: 7, wallTime: 1.5)
        #expect(writer.bytes == TFRecordWriter.framed(expected))
    }

    /// Tensor-style scalar (FORMATS.md §1), as `summary_v2.scalar_pb` serializes it.
    @Test func tensorStyleEventBytes() throws {
        let expected = Self.hex("09 000000000000f83f 10 07 2a 20 0a 1e 0a 03") + Self.bytes("acc")
            + Self.hex("42 0a 08 01 12 00 2a 04 0000003f 4a 0b 0a 09 0a 07") + Self.bytes("scalars")
        let event = TensorBoardEvent(wallTime: 1.5, step: 7, content: .summary([
            .init(tag: "acc", kind: .tensor(.init(dtype: TensorBoardEvent.Tensor.float32, shape: [], floatValues: [0.5])),
                  metadata: .init(pluginName: "scalars")),
        ]))
        #expect(event.encoded() == expected)
        let decoded = try TensorBoardEvent(decoding: expected)
        #expect(decoded == event)
        guard case .summary(let values) = decoded.content, case .tensor(let tensor) = values[0].kind else {
            Issue.record("not a tensor summary")
            return
        }
        #expect(tensor.scalarValue == 0.5)
        let read = EventFileReader.read(bytes: TFRecordWriter.framed(expected))
        #expect(read.scalars["acc"] == [TensorBoardScalar(step: 7, wallTime: 1.5, value: 0.5)])
        #expect(read.encodings["acc"] == .tensor)
    }

    @Test func tensorScalarFromContentDoubleAndHalf() {
        typealias T = TensorBoardEvent.Tensor
        #expect(T(dtype: T.float64, doubleValues: [0.1]).scalarValue == 0.1)
        #expect(T(dtype: T.float64, content: withUnsafeBytes(of: (0.1).bitPattern.littleEndian) { Array($0) }).scalarValue == 0.1)
        #expect(T(dtype: T.float32, shape: nil, content: withUnsafeBytes(of: Float(0.3).bitPattern.littleEndian) { Array($0) })
            .scalarValue == Double(Float(0.3)))
        #expect(T(dtype: T.float16, halfValues: [0x3C00]).scalarValue == 1)
        #expect(T(dtype: T.float16, content: [0x00, 0x7C]).scalarValue == .infinity)
        #expect(T(dtype: T.float16, halfValues: [0x0001]).scalarValue == 0x1p-24)  // smallest subnormal
        #expect(T(dtype: T.float16, halfValues: [0x7BFF]).scalarValue == 65504)
        #expect(T(dtype: T.float16, halfValues: [0xC000]).scalarValue == -2)
        #expect(T(dtype: T.float32, shape: [2], floatValues: [1, 2]).scalarValue == nil)
        #expect(T(dtype: T.string, content: [65]).scalarValue == nil)
    }

    @Test(arguments: [Int64(0), 1, 127, 128, 300, 1 << 35, .max, -1, .min])
    func stepVarintsRoundTrip(step: Int64) throws {
        let event = TensorBoardEvent.scalar(tag: "t", value: 1, step: step, wallTime: 2)
        let bytes = event.encoded()
        #expect(try TensorBoardEvent(decoding: bytes) == event)
        if step < 0 {  // negative steps take 10 varint bytes, 9 more than step 1
            #expect(bytes.count == TensorBoardEvent.scalar(tag: "t", value: 1, step: 1, wallTime: 2).encoded().count + 9)
        }
        let read = EventFileReader.read(bytes: EventFileWriter.encodeScalars([MetricPoint(key: "t", value: 1, step: step, time: 2)]))
        #expect(read.scalars["t"]?.first?.step == step)
    }

    @Test func framingRoundTrip() {
        var writer = TFRecordWriter()
        let payloads: [[UInt8]] = [[], [1], Array(repeating: 7, count: 1000), Self.bytes("hello")]
        for p in payloads { writer.append(p) }
        #expect(writer.recordCount == 4)
        #expect(writer.bytes.count == payloads.reduce(0) { $0 + $1.count + 16 })
        var reader = TFRecordReader(bytes: writer.bytes)
        var got: [[UInt8]] = []
        while let range = reader.next() { got.append(Array(writer.bytes[range])) }
        #expect(got == payloads)
        #expect(reader.damage == nil)
        #expect(reader.recordIndex == 4)
    }

    @Test func framingReportsEachKindOfDamage() {
        var writer = TFRecordWriter()
        for i in 0..<3 { writer.append([UInt8](repeating: UInt8(i), count: 10)) }  // 26 bytes each
        let good = writer.bytes

        var truncatedHeader = good
        truncatedHeader.removeLast(26 + 20)  // leaves 6 bytes of record 1's header
        var result = TFRecordReader.records(in: truncatedHeader)
        #expect(result.records.count == 1)
        #expect(result.damage == TFRecordDamage(offset: 26, recordIndex: 1, problem: .truncatedHeader(available: 6)))

        var truncatedData = good
        truncatedData.removeLast(3)
        result = TFRecordReader.records(in: truncatedData)
        #expect(result.records.count == 2)
        #expect(result.damage == TFRecordDamage(offset: 52, recordIndex: 2, problem: .truncatedData(length: 10, available: 11)))
        #expect(result.damage?.isTruncation == true)

        var badLength = good
        badLength[26 + 3] ^= 0x01
        result = TFRecordReader.records(in: badLength)
        #expect(result.records.count == 1)
        #expect(result.damage?.offset == 26)
        guard case .lengthChecksumMismatch? = result.damage?.problem else {
            Issue.record("expected a length checksum mismatch, got \(String(describing: result.damage))")
            return
        }

        var badData = good
        badData[52 + 12 + 4] ^= 0x80
        result = TFRecordReader.records(in: badData)
        #expect(result.records.count == 2)
        #expect(result.damage?.offset == 52)
        #expect(result.damage?.recordIndex == 2)
        guard case .dataChecksumMismatch? = result.damage?.problem else {
            Issue.record("expected a data checksum mismatch")
            return
        }
        #expect(TFRecordReader.records(in: badData, verifiesChecksums: false).records.count == 3)
    }

    @Test func protobufVarintSizes() {
        for (value, size): (UInt64, Int) in [(0, 1), (127, 1), (128, 2), (16383, 2), (16384, 3), (.max, 10)] {
            #expect(Protobuf.varintSize(value) == size)
            var w = Protobuf.Writer()
            w.varint(value)
            #expect(w.bytes.count == size)
            let back: UInt64? = w.bytes.withUnsafeBytes { buffer in
                var r = Protobuf.Reader(buffer)
                return try? r.readVarint()
            }
            #expect(back == value)
        }
    }

    @Test func protobufReaderRejectsMalformedInput() {
        func decodes(_ bytes: [UInt8]) -> Bool { (try? TensorBoardEvent(decoding: bytes)) != nil }
        #expect(!decodes([0x09, 0, 0]))              // truncated double
        #expect(!decodes([0x2A, 0x05, 0x0A]))         // length past the end
        #expect(!decodes([0x10, 0x80]))               // truncated varint
        #expect(!decodes([0x00]))                     // field 0
        #expect(!decodes([0x0B]))                     // a group
        #expect(decodes([0x58, 0x01]))                // an unknown field is skipped
    }

    @Test func eventFileNames() {
        #expect(EventFileWriter.fileName(time: 1_700_000_000.75, host: "gpu-01", pid: 4242, n: 0)
            == "events.out.tfevents.1700000000.gpu-01.4242.0")
        #expect(EventFileWriter.fileName(time: 12.5, host: "h", pid: 1, n: 3) == "events.out.tfevents.0000000012.h.1.3")
    }
}
