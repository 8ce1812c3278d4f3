import CairnCore
import CairnTestSupport
import Testing

/// `--set` typing over generated spellings: every spelling of an int, a float, a bool, null and plain
/// text, given to a field of each type, is taken (with the value it spells) or refused naming both types.
@Suite struct ConfigTypingPropertyTests {
    static let fields: ConfigValue = ["i": 7, "f": 0.5, "b": true, "s": "text", "l": [1], "m": ["k": 1], "n": .null]

    enum Spelled {
        case int(Int64), float(Double), bool(Bool), null, text
    }

    /// A spelling and what it spells.
    static func spelling(_ random: inout SeededGenerator) -> (String, Spelled) {
        func digits(_ count: Int, radix: Int = 10) -> String {
            String((0..<count).map { _ in Array("0123456789abcdef".prefix(radix))[Int.random(in: 0..<radix, using: &random)] })
        }
        switch Int.random(in: 0..<9, using: &random) {
        case 0, 1:  // decimal int, with sign and underscores
            let value = Int64.random(in: -1_000_000_000...1_000_000_000, using: &random)
            var text = String(value.magnitude)
            if text.count > 3, Bool.random(using: &random) { text.insert("_", at: text.index(text.startIndex, offsetBy: 1)) }
            let sign = value < 0 ? "-" : (Bool.random(using: &random) ? "+" : "")
            return (sign + text, .int(value))
        case 2:  // hexadecimal, octal or binary int
            let radix = [16, 8, 2].randomElement(using: &random)!
            let text = String(digits(Int.random(in: 1...8, using: &random), radix: radix).drop { $0 == "0" })
            let body = text.isEmpty ? "0" : text
            let prefix = radix == 16 ? "0x" : radix == 8 ? "0o" : "0b"
            return (prefix + (radix == 16 && Bool.random(using: &random) ? body.uppercased() : body),
                    .int(Int64(body, radix: radix)!))
        case 3, 4:  // float with a dot, maybe an exponent
            let whole = digits(Int.random(in: 0...4, using: &random)), fraction = digits(Int.random(in: 1...4, using: &random))
            var text = (Bool.random(using: &random) ? "-" : "") + whole + "." + fraction
            if Bool.random(using: &random) { text += ["e", "E"].randomElement(using: &random)! + ["", "-", "+"].randomElement(using: &random)! + digits(Int.random(in: 1...2, using: &random)) }
            return (text, .float(Double(text)!))
        case 5:  // float written with an exponent and no dot: 1e3, 3e-4
            let text = String(Int.random(in: 1...9, using: &random)) + "e" + ["", "-", "+"].randomElement(using: &random)! + digits(1)
            return (text, .float(Double(text)!))
        case 6:
            let special: [(String, Double)] = [(".inf", .infinity), ("-.Inf", -.infinity), ("+.INF", .infinity), (".nan", .nan), (".NaN", .nan)]
            let (text, value) = special.randomElement(using: &random)!
            return (text, .float(value))
        case 7:
            let word = ["true", "True", "TRUE", "yes", "Yes", "on", "ON", "false", "False", "no", "NO", "off", "Off"].randomElement(using: &random)!
            if Bool.random(using: &random) { return (word, .bool(["true", "yes", "on"].contains(word.lowercased()))) }
            return (["null", "Null", "NULL", "~", ""].randomElement(using: &random)!, .null)
        default:  // plain text that is none of the above
            let letters = "ghijkmpqrsuvwxz"
            return ("v" + String((0..<Int.random(in: 0...6, using: &random)).map { _ in letters.randomElement(using: &random)! }), .text)
        }
    }

    static func same(_ a: ConfigValue?, _ b: ConfigValue) -> Bool {
        if case .float(let x)? = a, case .float(let y) = b, x.isNaN && y.isNaN { return true }
        return a == b
    }

    @Test func everySpellingFitsItsFieldOrIsRefusedWithBothTypes() throws {
        var random = SeededGenerator(seed: 12)
        for _ in 0..<3000 {
            let (text, spelled) = Self.spelling(&random)
            let field = ["i", "f", "b", "s", "l", "m", "n"].randomElement(using: &random)!
            let override = try ConfigOverride(parsing: field + "=" + text)
            let expected: ConfigValue?  // nil: refused
            switch (field, spelled) {
            case (_, .null): expected = .null
            case ("n", .int(let v)): expected = .int(v)
            case ("n", .float(let v)): expected = .float(v)
            case ("n", .bool(let v)): expected = .bool(v)
            case ("n", .text): expected = .string(text)
            case ("i", .int(let v)): expected = .int(v)
            case ("f", .int(let v)): expected = .float(Double(v))
            case ("f", .float(let v)): expected = .float(v)
            case ("b", .bool(let v)): expected = .bool(v)
            case ("s", _): expected = .string(text)
            default: expected = nil
            }
            let outcome = Result { try Self.fields.applying([override]) }
            switch (outcome, expected) {
            case (.success(let config), let expected?):
                #expect(Self.same(config.value(at: [field]), expected), "\(field)=\(text) gave \(String(describing: config.value(at: [field])))")
            case (.success(let config), nil):
                Issue.record("\(field)=\(text) was accepted as \(String(describing: config.value(at: [field])))")
            case (.failure(let error), nil):
                let error = try #require(error as? CairnError)
                let fieldType = Self.fields.value(at: [field])!.typeName
                #expect(error.kind == .typeMismatch)
                #expect(error.message.contains("\(field) is a\(fieldType == "int" ? "n" : "") \(fieldType) in the config"), "\(error)")
                #expect(error.message.contains("'\(text)' is a"), "\(error)")
            case (.failure(let error), _?):
                Issue.record("\(field)=\(text) was refused: \(error)")
            }
        }
    }

    @Test func addingNeedsANewKeyAndSettingAnExistingOne() throws {
        var random = SeededGenerator(seed: 34)
        for _ in 0..<500 {
            let (text, _) = Self.spelling(&random)
            let key = ["i", "f", "s", "m.k", "new", "m.new", "new.deep"].randomElement(using: &random)!
            let exists = Self.fields.value(at: key.split(separator: ".").map(String.init)) != nil
            let plus = Bool.random(using: &random)
            let set = Result { try Self.fields.applying([try ConfigOverride(parsing: (plus ? "+" : "") + key + "=" + text)]) }
            if case .failure(let error as CairnError) = set {
                let expected: CairnError.Kind = plus ? (exists ? .alreadyExists : .typeMismatch) : (exists ? .typeMismatch : .notFound)
                #expect(error.kind == expected, "\(plus ? "+" : "")\(key)=\(text): \(error)")
            } else {
                #expect(plus != exists, "\(plus ? "+" : "")\(key)=\(text) was accepted")
            }
            // With no config file to check against, every key may be new.
            if !exists { #expect(throws: Never.self) { try Self.fields.applying([try ConfigOverride(parsing: key + "=" + text)], addsAnyKey: true) } }
        }
    }
}
