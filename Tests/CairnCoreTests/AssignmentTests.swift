import CairnCore
import CairnTestSupport
import Testing

/// `KEY=VALUE` words: split once, at the first `=`, whatever the key and value hold.
@Suite struct AssignmentTests {
    @Test(arguments: [
        ("owner=ana", "owner", "ana"),
        ("note=a b=c", "note", "a b=c"),
        ("x=", "x", ""),
        ("=v", "", "v"),
        ("url=http://h/p?q=1", "url", "http://h/p?q=1"),
        ("é=ü", "é", "ü"),
    ])
    func splitsAtTheFirstEquals(_ text: String, key: String, value: String) throws {
        let assignment = try #require(Assignment(text))
        #expect(assignment.key == key && assignment.value == value)
        #expect(assignment.description == text)
    }

    @Test func aWordWithoutEqualsIsNone() throws {
        #expect(Assignment("novalue") == nil)
        let error = try #require(throws: CairnError.self) { try Assignment(parsing: "novalue", what: "tag") }
        #expect(error.kind == .invalidValue && error.description.contains("KEY=VALUE"), "\(error)")
    }

    @Test(arguments: ["=v", "x=a\u{0}b"])
    func parsingRefusesAnEmptyKeyAndNUL(_ text: String) throws {
        let error = try #require(throws: CairnError.self) { try Assignment(parsing: text, what: "param") }
        #expect(error.kind == .invalidValue)
    }

    /// Any key without `=` and any value (with `=` or not) survive the round trip.
    @Test func randomKeysAndValuesRoundTrip() throws {
        var random = SeededGenerator(seed: 11)
        let alphabet = Array("ab=. _-/é\u{1F642}0:").map(String.init)
        for _ in 0..<2000 {
            let key = (0..<Int.random(in: 1...8, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
                .joined().replacingEquals()
            let value = (0..<Int.random(in: 0...12, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined()
            let assignment = try #require(Assignment(key + "=" + value))
            #expect(assignment == Assignment(key: key, value: value))
        }
    }

    @Test func laterAssignmentsWin() {
        #expect([Assignment(key: "a", value: "1"), Assignment(key: "b", value: "2"), Assignment(key: "a", value: "3")].dictionary
                == ["a": "3", "b": "2"])
    }

    @Test(arguments: [
        ("0.31", 0.31), ("-2", -2), ("1e-3", 1e-3), (".5", 0.5), ("+4", 4),
        ("inf", .infinity), ("+Inf", .infinity), ("-inf", -.infinity), ("Infinity", .infinity), ("-INFINITY", -.infinity),
    ])
    func numbersIncludingTheInfinities(_ text: String, expected: Double) throws {
        #expect(try Assignment(key: "m", value: text).number() == expected)
        #expect(MetricValue.parse(text) == expected)
    }

    @Test(arguments: ["nan", "NaN", "NAN", "+nan"])
    func nanInAnyCase(_ text: String) throws {
        #expect(try Assignment(key: "m", value: text).number().isNaN)
    }

    @Test(arguments: ["fast", "", "1,5", " 1", "1 ", "nanx", "in f", "1e", "1.2.3", ".", "+", "1e+", "nan(1)"])
    func notNumbers(_ text: String) throws {
        #expect(MetricValue.parse(text) == nil)
        let error = try #require(throws: CairnError.self) { try Assignment(key: "loss", value: text).number() }
        #expect(error.description.contains("the metric loss has the value '\(text)', which is not a number"), "\(error)")
    }
}

@Suite struct CheckpointSelectorTests {
    @Test(arguments: [
        ("best", CheckpointSelector.pointer("best")), ("last", .pointer("last")),
        ("epoch=10", .epoch(10)), ("step=0", .step(0)), ("step=1200", .step(1200)),
    ])
    func spellings(_ text: String, expected: CheckpointSelector) throws {
        #expect(CheckpointSelector(text) == expected)
        #expect(try CheckpointSelector(parsing: text) == expected)
        #expect(expected.description == text)
    }

    @Test(arguments: ["Best", "latest", "epoch=", "epoch=-1", "epoch=1.5", "step=x", "seq=3", "epoch=10=2", ""])
    func rejects(_ text: String) throws {
        #expect(CheckpointSelector(text) == nil)
        let error = try #require(throws: CairnError.self) { try CheckpointSelector(parsing: text) }
        #expect(error.description.contains("best, last, epoch=N or step=N"))
    }
}

private extension String {
    func replacingEquals() -> String { String(map { $0 == "=" ? "_" : $0 }) }

    @Test(arguments: ["0x10", "0X1F", "-0x1", "0x1p3", "+0x0"])
    func hexadecimalIsRefused(_ text: String) throws {
        #expect(MetricValue.parse(text) == nil)
        let error = try #require(throws: CairnError.self) { try Assignment(key: "loss", value: text).number() }
        #expect(error.message == "the metric loss has the value '\(text)', which is not a decimal number (hexadecimal is not accepted)")
    }

    @Test(arguments: ["1e400", "-1e400", "1.8e308", "99999e999"])
    func outOfRangeIsRefused(_ text: String) throws {
        #expect(MetricValue.parse(text) == nil)
        let error = try #require(throws: CairnError.self) { try Assignment(key: "loss", value: text).number() }
        #expect(error.message.hasSuffix("which is out of the range of a 64-bit float (write inf if you mean it)"), "\(error)")
    }

    @Test(arguments: [("1.7e308", 1.7e308), ("1e-400", 0.0), ("5.", 5.0), ("-0", -0.0), ("00012", 12.0), ("2E3", 2000.0)])
    func decimalsAtTheEdges(_ text: String, _ expected: Double) {
        #expect(MetricValue.parse(text) == expected)
        #expect(MetricValue.problem(text) == nil)
    }
}
