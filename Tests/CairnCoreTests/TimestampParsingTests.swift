import Testing
import CairnCore
import CairnTestSupport

/// `Timestamp(iso8601:)` reads records' times: every fraction length, and any damaged text without a crash.
@Suite struct TimestampParsingTests {
    @Test func readsFractionsOfAnyLength() {
        let base = "2026-11-23T03:40:11"
        #expect(Timestamp(iso8601: base + "Z")?.iso8601 == base + ".000Z")
        #expect(Timestamp(iso8601: base + ".4Z")?.iso8601 == base + ".400Z")
        #expect(Timestamp(iso8601: base + ".48Z")?.iso8601 == base + ".480Z")
        #expect(Timestamp(iso8601: base + ".482Z")?.iso8601 == base + ".482Z")
        #expect(Timestamp(iso8601: base + ".4829Z")?.iso8601 == base + ".482Z")  // past milliseconds: dropped
        #expect(Timestamp(iso8601: base + ".482913456Z")?.iso8601 == base + ".482Z")
        #expect(Timestamp(iso8601: base + ".Z") == nil)
    }

    @Test func damagedTextIsNilNeverACrash() {
        var random = SeededGenerator(seed: 11)
        let valid = Array("2026-11-23T03:40:11.482Z".utf8)
        let alphabet = Array("0123456789-:T.Z ".utf8)
        for _ in 0..<20_000 {
            var bytes = valid
            for _ in 0..<Int(random.next() % 4 + 1) {
                let at = Int(random.next() % UInt64(bytes.count + 1))
                switch random.next() % 3 {
                case 0 where at < bytes.count: bytes[at] = alphabet.randomElement(using: &random)!
                case 1 where at < bytes.count: bytes.remove(at: at)
                default: bytes.insert(alphabet.randomElement(using: &random)!, at: at)
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            if let time = Timestamp(iso8601: text) {
                #expect(Timestamp(iso8601: time.iso8601) == time, "\(text)")
            }
        }
    }
}
