import CairnCore
import CairnFormats
import Testing

@Suite struct ConfigJSONTests {
    @Test func typesAndOrder() throws {
        let text = """
        {"z": 1, "a": 1.0, "e": 1e3, "neg": -0.5, "big": 12345678901234567890, "t": true, "f": false,
         "n": null, "s": "a\\"b\\\\c\\n\\u00e9\\ud83d\\ude42\\/", "l": [1, [2, {}], []], "m": {"y": {"x": "1"}}}
        """
        let value = try ConfigJSON.parse(text, fileName: "c.json")
        let expected: ConfigValue = [
            "z": 1, "a": 1.0, "e": 1000.0, "neg": -0.5, "big": "12345678901234567890", "t": true, "f": false,
            "n": .null, "s": "a\"b\\c\né🙂/", "l": [1, [2, .mapping(ConfigMapping())], []], "m": ["y": ["x": "1"]],
        ]
        #expect(value == expected)
        #expect(value.mappingValue?.keys == ["z", "a", "e", "neg", "big", "t", "f", "n", "s", "l", "m"])
    }

    @Test(arguments: [
        ("{\"a\": [1, 2}", "c.json:1:12:"),
        ("{\n  \"a\": 1,\n  \"a\": 2\n}", "c.json:3:3: duplicate key \"a\" (first at line 2)"),
        ("{\"a\": 1,}", "c.json:1:9: expected a key"),
        ("{\"a\": 01}", "c.json:1:8: a number may not start with 0"),
        ("{\"a\": 1.}", "c.json:1:9: expected a digit after '.'"),
        ("{\"a\": NaN}", "c.json:1:7: expected a JSON value"),
        ("{\"a\": \"x\n\"}", "c.json:1:9: a control character"),
        ("{\"a\": \"\\ud800\"}", "unpaired surrogate"),
        ("{\"a\": 1} x", "c.json:1:10: unexpected 'x' after the JSON value"),
        ("", "c.json:1:1: the file is empty"),
        ("{\n\n  \"a\": tru\n}", "c.json:3:11: expected 'true', found the end of the line"),
        ("{\"a\": \"abc", "the string is not closed"),
        ("// c\n{}", "c.json:1:1: expected a JSON value"),
    ])
    func errors(_ text: String, _ fragment: String) {
        do {
            _ = try ConfigJSON.parse(text, fileName: "c.json")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.kind == .invalidConfig)
            #expect(error.message.contains(fragment), "\(error.message)")
            #expect(error.hint?.contains("c.json") == true)
        }
    }

    @Test func writesAndReadsBack() throws {
        let value: ConfigValue = [
            "a": 1, "b": 0.1, "c": 1e-10, "d": -0.0, "e": "x\"\n\u{1}", "f": [true, .null, [], .mapping(ConfigMapping())],
            "g": ["h": 1.0],
        ]
        for pretty in [false, true] {
            let text = ConfigJSON.string(value, pretty: pretty)
            #expect(try ConfigJSON.parse(text, fileName: "x.json") == value)
        }
        #expect(ConfigJSON.string(["a": [1, 2], "b": .float(.nan)]) == "{\"a\":[1,2],\"b\":null}")
        #expect(ConfigJSON.string(["a": [1]], pretty: true) == "{\n  \"a\": [\n    1\n  ]\n}")
    }

    @Test func configFileChoosesJSONByName() throws {
        #expect(try ConfigFile.parse("{\"a\": 1}", fileName: "dir/C.JSON") == ["a": 1])
        #expect(throws: CairnError.self) { try ConfigFile.parse("[1]", fileName: "c.json") }
        #expect(try ConfigFile.parse("a: 1e3", fileName: "c.yml") == ["a": 1000.0])
    }
}
