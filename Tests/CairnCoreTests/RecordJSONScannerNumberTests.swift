import Testing
import CairnTestSupport
@testable import CairnCore

/// The scanner's numbers read from the bytes in place: what it takes is exactly what JSON's grammar and
/// Int64 allow, and what it refuses leaves the scanner where it was.
@Suite struct RecordJSONScannerNumberTests {
    /// `integer()`, and whether the scanner is where it started when it refused.
    static func integer(_ text: String) -> (value: Int64?, position: Bool) {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { pointer in
            var scanner = RecordJSONScanner(pointer)
            let value = scanner.integer()
            return (value, value != nil || scanner.position == 0)
        }
    }

    static func quoted(_ text: String) -> (value: Int64?, rest: String?) {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { pointer in
            var scanner = RecordJSONScanner(pointer)
            let value = scanner.quotedInteger()
            return (value, value == nil ? scanner.string() : nil)
        }
    }

    @Test func wholeNumbersAcrossInt64AreReadAsInt64ReadsThem() {
        var random = SeededGenerator(seed: 41)
        var samples: [Int64] = [0, 1, -1, 9, 10, Int64.max, Int64.min, Int64.max - 1, Int64.min + 1, 1_733_443_200_000]
        for _ in 0..<2_000 { samples.append(Int64(bitPattern: random.next()) >> Int64(random.next() % 63)) }
        for number in samples {
            #expect(Self.integer("\(number)").value == number)
            #expect(Self.integer(" \t\(number)").value == number)
            #expect(Self.quoted("\"\(number)\"").value == number)
            #expect(Self.quoted(" \"\(number)\"").value == number)
        }
    }

    @Test func whatIsNotAWholeJSONNumberInRangeIsRefusedInPlace() {
        let refused = ["9223372036854775808", "-9223372036854775809", "99999999999999999999999", "01", "-01", "00", "-", "1.5", "1e3",
                       "1E3", "2.0", "1x", "+1", "", "\"1\"", "true", "-a"]
        for text in refused {
            let read = Self.integer(text)
            #expect(read.value == nil, "\(text)")
            #expect(read.position, "\(text)")
        }
        #expect(Self.integer("-0").value == 0)
        #expect(Self.integer("7,").value == 7)
        #expect(Self.integer("7}").value == 7)
    }

    @Test func quotedIntegersTakeOnlyDigitsAndLeaveOtherStringsToBeRead() {
        for text in ["+5", "007", "1.5", "12a", "", " 1", "1 ", "9223372036854775808", "-", "1\\u0030"] {
            let read = Self.quoted("\"\(text)\"")
            #expect(read.value == nil, "\(text)")
            #expect(read.rest != nil, "\(text): the string is still there to read")
        }
        #expect(Self.quoted("\"12").value == nil)
        #expect(Self.quoted("12").value == nil)
        #expect(Self.quoted("\"-9223372036854775808\"").value == Int64.min)
    }

    @Test func numberBytesAreTheNumbersTextExactly() {
        var random = SeededGenerator(seed: 42)
        for _ in 0..<2_000 {
            let value = Double(bitPattern: random.next())
            guard value.isFinite else { continue }
            for text in ["\(value)", "\(value)".uppercased(), "\(Int64(bitPattern: random.next()))"] {
                let bytes = Array((" " + text + ",").utf8)
                let read = bytes.withUnsafeBufferPointer { pointer -> String? in
                    var scanner = RecordJSONScanner(pointer)
                    return scanner.numberBytes().map { String(decoding: $0, as: UTF8.self) }
                }
                #expect(read == text)
            }
        }
        for text in ["1.", ".5", "1e", "1e+", "01", "-", "NaN", "inf", "1.5.2", "0x10", "1ee5"] {
            let bytes = Array(text.utf8)
            let read = bytes.withUnsafeBufferPointer { pointer -> Bool in
                var scanner = RecordJSONScanner(pointer)
                return scanner.numberBytes() == nil && !scanner.atEnd()
            }
            #expect(read, "\(text)")
        }
    }
}
