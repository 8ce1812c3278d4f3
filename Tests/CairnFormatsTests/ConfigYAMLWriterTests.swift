import CairnCore
import CairnFormats
import Testing

@Suite struct ConfigYAMLWriterTests {
    @Test func blockLayout() {
        let value: ConfigValue = [
            "name": "vae",
            "training": ["lr": 3e-4, "epochs": 10, "amp": true, "sched": .null],
            "layers": [1, [2, 3], ["k": 1, "v": [4]], [], .mapping(ConfigMapping())],
            "empty": .mapping(ConfigMapping()),
            "none": [],
        ]
        let expected = """
        name: vae
        training:
          lr: 0.0003
          epochs: 10
          amp: true
          sched: null
        layers:
          - 1
          - - 2
            - 3
          - k: 1
            v:
              - 4
          - []
          - {}
        empty: {}
        none: []

        """
        #expect(ConfigFile.yaml(value) == expected)
        #expect(ConfigFile.yaml(.mapping(ConfigMapping())) == "{}\n")
    }

    @Test(arguments: [
        (3e-4, "0.0003"), (1e-10, "1.0e-10"), (1e20, "1.0e+20"), (2.5e-7, "2.5e-07"), (-0.0, "-0.0"),
        (1.0, "1.0"), (0.1, "0.1"), (.leastNonzeroMagnitude, "5.0e-324"), (.greatestFiniteMagnitude, "1.7976931348623157e+308"),
        (.nan, ".nan"), (.infinity, ".inf"), (-.infinity, "-.inf"), (1e16, "1.0e+16"), (123456.789, "123456.789"),
    ] as [(Double, String)])
    func floats(_ value: Double, _ text: String) {
        #expect(ConfigFile.yaml(["x": .float(value)]) == "x: \(text)\n")
    }

    @Test(arguments: [
        ("abc", "abc"), ("hello world", "hello world"), ("a:b", "a:b"), ("é🙂", "é🙂"), ("a#b", "a#b"),
        ("path/to/x.pt", "path/to/x.pt"), ("x-1", "x-1"), ("yes", "\"yes\""), ("No", "\"No\""), ("on", "\"on\""),
        ("null", "\"null\""), ("~", "\"~\""), ("", "\"\""), ("1e3", "\"1e3\""), ("0x1F", "\"0x1F\""),
        ("012", "\"012\""), ("08", "08"), ("1:30", "\"1:30\""), ("2024-01-31", "\"2024-01-31\""),
        ("0o17", "\"0o17\""), ("1_000_", "\"1_000_\""), ("<<", "\"<<\""), ("=", "\"=\""),
        (" padded ", "\" padded \""), ("a: b", "\"a: b\""), ("a #b", "\"a #b\""), ("#x", "\"#x\""),
        ("-", "\"-\""), ("- x", "\"- x\""), ("ends:", "\"ends:\""), ("...", "\"...\""), ("&a", "\"&a\""),
        ("*a", "\"*a\""), ("!x", "\"!x\""), ("|", "\"|\""), (">", "\">\""), ("'q'", "\"'q'\""),
        ("\"q\"", "\"\\\"q\\\"\""), ("%x", "\"%x\""), ("@x", "\"@x\""), ("`x", "\"`x\""), ("[x]", "\"[x]\""),
        ("{x}", "\"{x}\""), ("?", "\"?\""), ("multi\nline", "\"multi\\nline\""), ("tab\t", "\"tab\\t\""),
        ("\u{7F}\u{85}\u{2028}\u{FEFF}", "\"\\x7F\\N\\L\\uFEFF\""), ("back\\slash", "back\\slash"),
        ("\u{A0}x", "\"\u{A0}x\""),
    ])
    func strings(_ value: String, _ text: String) {
        #expect(ConfigFile.yaml(["x": .string(value)]) == "x: \(text)\n")
    }

    @Test func keysAreQuotedLikeStrings() {
        let value: ConfigValue = ["1": 1, "true": 2, "null": 3, "a b": 4, "": 5, "x: y": 6]
        #expect(ConfigFile.yaml(value) == "\"1\": 1\n\"true\": 2\n\"null\": 3\na b: 4\n\"\": 5\n\"x: y\": 6\n")
    }

    @Test func roundTripsThroughTheReader() throws {
        let long = String(repeating: "k", count: 1200)
        let value: ConfigValue = [
            "s": ["yes", "", " a ", "a\nb", "1e3", "x: y", "2024-01-31", "é", "\u{0}"],
            "f": [3e-4, 1e20, -0.0, .float(.leastNonzeroMagnitude), .float(.nan), .float(.infinity), 0.1],
            "i": [0, -1, .int(Int64.max), .int(Int64.min)],
            "b": [true, false], "n": .null,
            "m": [["a": [["b": []]]], [[], [.mapping(ConfigMapping())]]],
            long: ["nested": 1], "short": ["\(long)x": "v"],
        ]
        let text = ConfigFile.yaml(value)
        #expect(try ConfigFile.parse(text, fileName: "config.yaml") == value)
    }
}
