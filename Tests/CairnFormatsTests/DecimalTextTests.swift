import Foundation
import Testing
import CairnTestSupport
@testable import CairnFormats

/// The metrics CSV's number parser against the standard library's, on the texts it meets: every double's
/// shortest digits (17 of them for most, past the fast path), other spellings, and text that is no number.
@Suite struct DecimalTextTests {
    static func parse(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBytes { DecimalText.parseDouble($0) }
    }

    static func same(_ a: Double?, _ b: Double?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case let (x?, y?): x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN)
        default: false
        }
    }

    @Test func everyDoublesDigitsReadBackExactly() {
        var random = SeededGenerator(seed: 2026)
        for _ in 0..<20_000 {
            let value = Double(bitPattern: random.next())
            guard value.isFinite else { continue }
            for text in [value.description, String(Float(value).magnitude), "\(value)e3", String(value.description.dropFirst(value < 0 ? 1 : 0))] {
                #expect(Self.same(Self.parse(text), Double(text)), "\(text)")
            }
        }
    }

    /// Values as training writes them (a loss, an accuracy, a learning rate: float32 or float64, from 1e-12
    /// to 1e12), whose 16–19 digits take the extended-precision path on x86-64.
    @Test func trainingValuesReadBackExactly() {
        var random = SeededGenerator(seed: 19)
        for index in 0..<200_000 {
            let scale = Double(sign: .plus, exponent: Int(random.next() % 81) - 40, significand: 1)
            var value = Double(random.next() >> 11) / Double(1 << 53) * scale
            if index % 3 == 0 { value = Double(Float(value)) }
            if index % 5 == 0 { value = -value }
            let text = value.description
            #expect(Self.same(Self.parse(text), Double(text)), "\(text)")
            let digits = String(format: "%.19g", value)
            #expect(Self.same(Self.parse(digits), Double(digits)), "\(digits)")
        }
    }

    @Test(arguments: ["nan", "NaN", "inf", "-inf", "+inf", "infinity", "1e400", "-1e-400", "0.1", "5.", ".5", "+1", "-0", "1.5abc",
                      "abc", "", " ", "1e", "0x1p3", "1_000", "12345678901234567890123", "0.000000000000000000000000000001234567890123456789",
                      "1\u{0}2", String(repeating: "9", count: 80) + ".5", "1.7976931348623157e308", "4.9e-324", "2.2250738585072011e-308"])
    func spellingsReadAsTheStandardLibraryReadsThem(_ text: String) {
        let expected: Double? = text.contains("x") || text.contains("\u{0}") ? nil : Double(text.trimmingSpaces)
        #expect(Self.same(Self.parse(text), expected), "\(text)")
    }
}

private extension String {
    var trimmingSpaces: String { String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
}
