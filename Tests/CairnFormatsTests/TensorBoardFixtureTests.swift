import CairnCore
import CairnFormats
import CairnTestSupport
import Foundation
import Testing

/// Cairn's reader against the event files tensorboardX and tensorboard wrote
/// (`fixtures/interop/tfevents`), compared with `expected.json` exactly; then damaged copies.
@Suite struct TensorBoardFixtureTests {
    static let interop = PackagePaths.shared.appendingPathComponent("fixtures/interop")
    static let files = [
        "tfevents/tensorboardX/events.out.tfevents.1700000000.fixture-host",
        "tfevents/tensorboard/events.out.tfevents.1700000000.fixture-host.4242.0",
    ]

    /// `expected.json` read with Cairn's exact JSON reader (Foundation's JSONSerialization rounds some
    /// 17-digit numbers on Linux).
    static func expected(_ file: String) throws -> ConfigMapping {
        let data = try Data(contentsOf: interop.appendingPathComponent("expected.json"))
        let json = try ConfigJSON.parse(String(decoding: data, as: UTF8.self), fileName: "expected.json")
        let files = try #require(json.mappingValue?["files"]?.mappingValue)
        return try #require(files[file]?.mappingValue)
    }

    static func bytes(_ file: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: interop.appendingPathComponent(file)))
    }

    static func number(_ value: ConfigValue?) throws -> Double {
        switch value {
        case .int(let i)?: return Double(i)
        case .float(let d)?: return d
        case .string("nan")?: return .nan
        case .string("inf")?: return .infinity
        case .string("-inf")?: return -.infinity
        default: throw CairnError(.typeMismatch, "not a number: \(String(describing: value))")
        }
    }

    static func int(_ value: ConfigValue?) -> Int? {
        if case .int(let i)? = value { return Int(i) }
        return nil
    }

    static func string(_ value: ConfigValue?) -> String? {
        if case .string(let s)? = value { return s }
        return nil
    }

    @Test(arguments: files)
    func readsFixtureExactly(file: String) throws {
        let expected = try Self.expected(file)
        let bytes = try Self.bytes(file)
        let read = EventFileReader.read(bytes: bytes)

        #expect(read.damage == nil)
        #expect(read.records == Self.int(expected["records"]))
        #expect(read.validBytes == Self.int(expected["bytes_in_complete_records"]))
        #expect(read.fileVersion == Self.string(expected["file_version"]))
        #expect(read.pointCount == Self.int(expected["scalar_points_total"]))

        let scalars = try #require(expected["scalars"]?.mappingValue)
        #expect(read.tags == scalars.keys.sorted())
        for (tag, value) in scalars.entries {
            let facts = try #require(value.mappingValue)
            let points = try #require(read.scalars[tag], "tag \(tag) missing")
            #expect(points.count == Self.int(facts["count"]), "\(tag)")
            #expect(points.first.map { Int($0.step) } == Self.int(facts["first_step"]), "\(tag)")
            #expect(points.last.map { Int($0.step) } == Self.int(facts["last_step"]), "\(tag)")
            #expect(read.encodings[tag]?.rawValue == Self.string(facts["encoding"]), "\(tag)")
            guard case .list(let samples)? = facts["samples"] else {
                Issue.record("no samples for \(tag)")
                continue
            }
            #expect(!samples.isEmpty)
            for case .list(let sample) in samples {
                let step = Int64(try #require(Self.int(sample[0])))
                let want = TensorBoardScalar(step: step, wallTime: try Self.number(sample[2]), value: try Self.number(sample[1]))
                let got = points.first { $0.step == step }
                #expect(got == want, "\(tag) step \(step)")
            }
            let sum = points.reduce(0.0) { $0 + $1.value }
            #expect(sum == (try Self.number(facts["sum_of_values_f64"])), "\(tag) sum")
        }

        let nonScalar = try #require(expected["non_scalar_summaries"]?.mappingValue)
        #expect(read.skipped.keys.sorted() == nonScalar.keys.sorted())
        for (tag, facts) in nonScalar.entries {
            #expect(read.skipped[tag] == Self.int(facts.mappingValue?["count"]), "\(tag)")
            #expect(read.scalars[tag] == nil)
        }
    }

    /// The start offset of every record, read independently of EventFileReader.
    static func recordStarts(_ bytes: [UInt8]) -> [Int] {
        TFRecordReader.records(in: bytes).records.map { $0.lowerBound - 12 }
    }

    /// The scalar points held in the records before `index`, counted by decoding each Event.
    static func scalarPoints(_ bytes: [UInt8], before index: Int) throws -> Int {
        let ranges = TFRecordReader.records(in: bytes).records.prefix(index)
        var n = 0
        for range in ranges {
            let event = try TensorBoardEvent(decoding: Array(bytes[range]))
            guard case .summary(let values) = event.content else { continue }
            for value in values {
                switch value.kind {
                case .simpleValue: n += 1
                case .tensor(let t) where value.metadata?.pluginName == "scalars" && t.scalarValue != nil: n += 1
                default: break
                }
            }
        }
        return n
    }

    @Test(arguments: files)
    func truncatedCopyKeepsWhatCameBefore(file: String) throws {
        let bytes = try Self.bytes(file)
        let starts = Self.recordStarts(bytes)
        for index in [1, starts.count / 2, starts.count - 1] {
            for cut in [3, 12, 20] {
                let end = starts[index] + cut
                guard end < bytes.count else { continue }
                let damaged = Array(bytes[..<end])
                let read = EventFileReader.read(bytes: damaged)
                let damage = try #require(read.damage, "cut at \(end)")
                #expect(damage.offset == starts[index])
                #expect(damage.recordIndex == index)
                #expect(damage.isTruncation)
                #expect(read.records == index)
                #expect(read.validBytes == starts[index])
                #expect(read.pointCount == (try Self.scalarPoints(bytes, before: index)))
                // Exactly what the intact prefix holds.
                let prefix = EventFileReader.read(bytes: Array(bytes[..<starts[index]]))
                #expect(prefix.damage == nil)
                #expect(prefix.scalars == read.scalars)
            }
        }
    }

    @Test(arguments: files)
    func bitFlippedCopyReportsTheRecord(file: String) throws {
        let bytes = try Self.bytes(file)
        let starts = Self.recordStarts(bytes)
        let index = starts.count * 2 / 3
        // A flipped bit in the data.
        var flipped = bytes
        flipped[starts[index] + 12 + 2] ^= 0x04
        var read = EventFileReader.read(bytes: flipped)
        var damage = try #require(read.damage)
        #expect(damage.offset == starts[index])
        #expect(damage.recordIndex == index)
        #expect(!damage.isTruncation)
        if case .dataChecksumMismatch = damage.problem {} else { Issue.record("got \(damage)") }
        #expect(read.records == index)
        #expect(read.pointCount == (try Self.scalarPoints(bytes, before: index)))

        // A flipped bit in the length.
        flipped = bytes
        flipped[starts[index] + 1] ^= 0x10
        read = EventFileReader.read(bytes: flipped)
        damage = try #require(read.damage)
        #expect(damage.offset == starts[index])
        #expect(damage.recordIndex == index)
        if case .lengthChecksumMismatch = damage.problem {} else { Issue.record("got \(damage)") }
        #expect(damage.description.contains("record \(index) at byte \(starts[index])"))
    }

    /// A record with valid framing whose content is not an Event stops reading, reported as malformed.
    @Test func malformedRecordIsReported() throws {
        let bytes = try Self.bytes(Self.files[0])
        let starts = Self.recordStarts(bytes)
        var spliced = Array(bytes[..<starts[5]])
        spliced += TFRecordWriter.framed([0x2A, 0x7F, 0x01])  // summary length past the end
        spliced += bytes[starts[5]...]
        let read = EventFileReader.read(bytes: spliced)
        let damage = try #require(read.damage)
        #expect(damage.offset == starts[5])
        #expect(damage.recordIndex == 5)
        if case .malformedRecord = damage.problem {} else { Issue.record("got \(damage)") }
        #expect(read.records == 5)
    }

    /// Damaged files copied to disk read the same (as CairnKit will read them).
    @Test func damagedCopyOnDisk() throws {
        let folder = try TemporaryDirectory("cairn-tfevents")
        let bytes = try Self.bytes(Self.files[1])
        let copy = folder.appending("events.out.tfevents.1.h.1.0")
        try Data(bytes.dropLast(7)).write(to: copy)
        let read = EventFileReader.read(bytes: [UInt8](try Data(contentsOf: copy)))
        #expect(read.records == 20)
        #expect(read.damage?.recordIndex == 20)
        #expect(read.scalars["loss"]?.count == 9)
        #expect(read.scalars["accuracy"]?.count == 10)
    }
}
