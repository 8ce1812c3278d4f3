import CairnCore
import CairnFormats
import CairnTestSupport
import Foundation
import Testing

/// Every `.npy` file numpy wrote in `../shared/fixtures/interop/npy` reads as its `expected.json` says
/// (version, header, dtype, byte order, shape, Fortran order, data offset, values, digests), and
/// Cairn's writer gives numpy's header bytes back for each.
@Suite struct NpyFixtureTests {
    static let folder = PackagePaths.shared.appendingPathComponent("fixtures/interop")

    static func expected() throws -> [String: [String: Any]] {
        let data = try Data(contentsOf: folder.appendingPathComponent("expected.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let files = try #require(root["files"] as? [String: [String: Any]])
        return files.filter { $0.key.hasPrefix("npy/") }
    }

    static func number(_ value: Any?) -> Double? {
        switch value {
        case let text as String: text == "nan" ? .nan : text == "inf" ? .infinity : text == "-inf" ? -.infinity : nil
        case let number as NSNumber: number.doubleValue
        default: nil
        }
    }

    /// Equal values; within a few ulps, since Foundation's JSON reader on Linux is off by one in the
    /// last digit for some doubles (-0.3269672989845276 reads as …277).
    static func same(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.isNaN && $1.isNaN || $0 == $1 || abs($0 - $1) <= 4 * $0.ulp }
    }

    @Test func everyFixtureReadsAsExpected() throws {
        let files = try Self.expected()
        #expect(files.count == 10)
        for (name, facts) in files.sorted(by: { $0.key < $1.key }) {
            let bytes = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent(name)))
            let array = try bytes.withUnsafeBytes { try NpyArray(reading: $0) }
            let header = array.header
            #expect(header.descr == facts["descr"] as? String, "\(name)")
            #expect(header.dtype.rawValue == facts["dtype"] as? String, "\(name)")
            #expect(header.shape == facts["shape"] as? [Int], "\(name)")
            #expect(header.fortranOrder == facts["fortran_order"] as? Bool, "\(name)")
            #expect([header.major, header.minor] == facts["version"] as? [Int], "\(name)")
            #expect(header.dataOffset == facts["data_offset"] as? Int && header.count == facts["count"] as? Int, "\(name)")
            let order = facts["byte_order"] as? String
            #expect(header.byteOrder.rawValue == order?.replacingOccurrences(of: " ", with: "-"), "\(name): \(order ?? "")")
            #expect(try SHA256Sum.hex(array.data) == facts["data_sha256"] as? String, "\(name)")
            #expect(try SHA256Sum.hex(array.cOrderLittleEndian()) == facts["c_order_le_sha256"] as? String, "\(name)")
            let first = (facts["first_values"] as? [Any] ?? []).compactMap(Self.number)
            #expect(Self.same(array.values(limit: first.count), first), "\(name): \(array.values(limit: first.count)) vs \(first)")
            // numpy's header bytes, made again from the header's fields.
            let again = try NpyHeader(dtype: header.dtype, byteOrder: header.byteOrder, fortranOrder: header.fortranOrder, shape: header.shape)
            #expect(again.encoded() == Array(bytes[0..<header.dataOffset]), "\(name)")
        }
    }
}
