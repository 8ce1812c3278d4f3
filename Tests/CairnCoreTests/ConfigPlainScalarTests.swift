import CairnCore
import Testing

@Suite struct ConfigPlainScalarTests {
    @Test(arguments: ["", "~", "null", "Null", "NULL"])
    func nulls(_ text: String) {
        #expect(PlainScalar.resolve(text) == .null)
    }

    @Test(arguments: [
        ("yes", true), ("Yes", true), ("YES", true), ("true", true), ("True", true), ("TRUE", true),
        ("on", true), ("On", true), ("ON", true),
        ("no", false), ("No", false), ("NO", false), ("false", false), ("False", false), ("FALSE", false),
        ("off", false), ("Off", false), ("OFF", false),
    ])
    func bools(_ text: String, _ value: Bool) {
        #expect(PlainScalar.resolve(text) == .bool(value))
    }

    @Test(arguments: [
        ("0", 0), ("-0", 0), ("+7", 7), ("42", 42), ("-42", -42), ("1_000", 1000), ("1_", 1), ("1_000_", 1000),
        ("0x1F", 31), ("-0x1f", -31), ("0x_ff", 255), ("0b101", 5), ("-0b1_1", -3), ("012", 10), ("-012", -10),
        ("0o17", 15), ("00", 0), ("0_", 0),
        ("9223372036854775807", Int64.max), ("-9223372036854775808", Int64.min),
        ("-0x8000000000000000", Int64.min), ("0x7FFFFFFFFFFFFFFF", Int64.max),
    ] as [(String, Int64)])
    func ints(_ text: String, _ value: Int64) {
        #expect(PlainScalar.resolve(text) == .int(value))
    }

    @Test(arguments: [
        ("1.5", 1.5), ("-1.5", -1.5), ("+1.5", 1.5), ("1.", 1.0), (".5", 0.5), ("-.5", -0.5), ("1_000.5", 1000.5),
        ("1.5e-3", 0.0015), ("1.0e+10", 1e10), ("1.e+3", 1000), ("3e-4", 3e-4), ("1e5", 1e5), ("1E+3", 1000),
        ("2.5e3", 2500), ("-2E-2", -0.02), ("0.1", 0.1), ("012.5", 12.5), ("1e999", .infinity),
        (".inf", .infinity), (".Inf", .infinity), (".INF", .infinity), ("+.inf", .infinity),
        ("-.inf", -.infinity), ("-.Inf", -.infinity), ("-.INF", -.infinity), ("-0.0", -0.0),
    ] as [(String, Double)])
    func floats(_ text: String, _ value: Double) {
        #expect(PlainScalar.resolve(text) == .float(value))
    }

    @Test(arguments: [".nan", ".NaN", ".NAN"])
    func nans(_ text: String) {
        guard case .float(let value) = PlainScalar.resolve(text) else {
            Issue.record("\(text) is not a float")
            return
        }
        #expect(value.isNaN)
    }

    @Test(arguments: [
        "abc", "y", "n", "Y", "nan", "inf", "NaN", "yEs", "tRUE", "nULL", "-", "+", ".", "._", "1:30", "1:30.5",
        "2024-01-31", "08", "09", "0x", "0b", "0o", "0b2", "0xG", "1e", "1e+", "e5", "1.5.2", "0.1.2",
        "--1", "+-1", "1 000", " 1", "1 ", "a: b", "#x", "9223372036854775808", "-9223372036854775809",
        "99999999999999999999", "0x10000000000000000", ".5.", "1.5e3.0", "infinity", "0x1.8p3", "１２",
    ])
    func strings(_ text: String) {
        #expect(PlainScalar.resolve(text) == .string(text))
    }
}

@Suite struct ConfigValueTests {
    @Test func typeNames() {
        let values: [ConfigValue] = [.null, true, 1, 1.5, "s", [1], ["a": 1]]
        #expect(values.map(\.typeName) == ["null", "bool", "int", "float", "string", "list", "mapping"])
    }

    @Test func nanEqualsNanAndSignedZeroDiffers() {
        #expect(ConfigValue.float(.nan) == .float(.nan))
        #expect(ConfigValue.float(0.0) != .float(-0.0))
        #expect(ConfigValue.int(1) != .float(1))
    }

    @Test func mappingKeepsOrderAndReplacesInPlace() {
        var mapping: ConfigMapping = ["b": 1, "a": 2]
        mapping.set("c", 3)
        mapping.set("b", 4)
        #expect(mapping.keys == ["b", "a", "c"])
        #expect(mapping["b"] == 4)
        mapping["a"] = nil
        #expect(mapping.keys == ["b", "c"])
        #expect(mapping["c"] == 3)
        #expect(mapping.count == 2)
        let reordered: ConfigMapping = ["c": 3, "b": 4]
        #expect(mapping != reordered)
    }

    @Test(arguments: [
        (ConfigValue.null, "null"), (true, "true"), (-3, "-3"), (0.001, "0.001"), (1e-10, "1e-10"),
        (1.0, "1.0"), (.float(.nan), ".nan"), (.float(-.infinity), "-.inf"), ("abc", "abc"),
        ("yes", "\"yes\""), ("12", "\"12\""), ("", "\"\""), ("a,b", "\"a,b\""), ("a\nb", "\"a\\nb\""),
        ("say \"hi\"", "say \"hi\""), ("1:30", "1:30"), ([1, "x", [2.5]], "[1, x, [2.5]]"),
        (["a": 1, "b c": [true]], "{a: 1, b c: [true]}"), ([], "[]"), (.mapping(ConfigMapping()), "{}"),
    ] as [(ConfigValue, String)])
    func description(_ value: ConfigValue, _ text: String) {
        #expect(value.description == text)
    }

    @Test(arguments: [
        ConfigValue.null, true, 3, -0.0, 1e-10, .float(.leastNonzeroMagnitude), 1e300, "yes", "", " padded ", "a: b", "#x", "[x]", "'q'",
        "tab\there", "line\nbreak", "\u{2028}", "é🙂", [1, [2, ["x", "y,z"]]], ["k": ["n": .null], "1": "2"],
    ])
    func descriptionReadsBackAsAnOverride(_ value: ConfigValue) throws {
        let override = try ConfigOverride(parsing: "k=" + value.description)
        #expect(override.value == value)
    }
}
