import CairnCore
import CairnFormats
import Testing

@Suite struct ConfigYAMLReaderTests {
    @Test func typesAndOrder() throws {
        let text = """
        # a comment
        z: 1
        lr: 3e-4
        wd: 1.0e-5
        hexa: 0x1F
        oct: 012
        flag: yes
        off: off
        nothing:
        tilde: ~
        name: vae
        quoted: "yes"
        single: '012'
        date: 2024-01-31
        time: 1:30
        big: 99999999999999999999
        nan: .nan
        literal: |
          line 1
          line 2
        list: [1, 2.5, "x", [3]]
        block:
          - a: 1
            b: [true]
          - - 1
            - 2
        nested:
          empty_map: {}
          empty_list: []
          1: int key
          true: bool key
          null: null key
        """
        let value = try ConfigYAMLReader.parse(text, fileName: "c.yaml")
        guard case .mapping(let root) = value else {
            Issue.record("not a mapping")
            return
        }
        #expect(root.keys == ["z", "lr", "wd", "hexa", "oct", "flag", "off", "nothing", "tilde", "name", "quoted",
                              "single", "date", "time", "big", "nan", "literal", "list", "block", "nested"])
        #expect(root["z"] == 1)
        #expect(root["lr"] == 3e-4)
        #expect(root["wd"] == 1e-5)
        #expect(root["hexa"] == 31)
        #expect(root["oct"] == 10)
        #expect(root["flag"] == true)
        #expect(root["off"] == false)
        #expect(root["nothing"] == .null)
        #expect(root["tilde"] == .null)
        #expect(root["name"] == "vae")
        #expect(root["quoted"] == "yes")
        #expect(root["single"] == "012")
        #expect(root["date"] == "2024-01-31")
        #expect(root["time"] == "1:30")
        #expect(root["big"] == "99999999999999999999")
        #expect(root["nan"] == .float(.nan))
        #expect(root["literal"] == "line 1\nline 2\n")
        #expect(root["list"] == [1, 2.5, "x", [3]])
        #expect(root["block"] == [["a": 1, "b": [true]], [1, 2]])
        #expect(root["nested"] == ["empty_map": .mapping(ConfigMapping()), "empty_list": [], "1": "int key",
                                   "true": "bool key", "null": "null key"])
    }

    @Test func tags() throws {
        let text = """
        a: !!str 123
        b: !!int "12"
        c: !!float 1
        d: !!float "2.5"
        e: !!bool "yes"
        f: !!null ""
        g: ! 12
        h: !!seq [1]
        i: !!map {x: 1}
        """
        let value = try ConfigYAMLReader.parse(text, fileName: "c.yaml")
        #expect(value == ["a": "123", "b": 12, "c": 1.0, "d": 2.5, "e": true, "f": .null, "g": "12", "h": [1],
                          "i": ["x": 1]])
    }

    @Test func aliasesAndMerges() throws {
        let text = """
        base: &base
          lr: 0.1
          depth: 2
        other: &other
          depth: 3
          width: 8
        copy: *base
        merged:
          <<: *base
          lr: 0.2
          extra: 1
        multi:
          <<: [*base, *other]
        """
        let value = try ConfigYAMLReader.parse(text, fileName: "c.yaml")
        #expect(value.value(at: ["copy"]) == ["lr": 0.1, "depth": 2])
        #expect(value.value(at: ["merged"]) == ["lr": 0.2, "depth": 2, "extra": 1])
        // As PyYAML: {'depth': 2, 'width': 8, 'lr': 0.1} (later sources first, earlier ones win).
        #expect(value.value(at: ["multi"]) == ["depth": 2, "width": 8, "lr": 0.1])
    }

    @Test(arguments: ["", "# only a comment\n", "---\n", "null\n", "~"])
    func emptyDocumentsAreEmptyMappings(_ text: String) throws {
        #expect(try ConfigYAMLReader.parse(text, fileName: "c.yaml") == .mapping(ConfigMapping()))
    }

    @Test(arguments: [
        ("a: [1, 2\nb: 3\n", "c.yaml:"),
        ("a:\n  b: 1\n c: 2\n", "c.yaml:3:"),
        ("a:\n\tb: 1\n", "c.yaml:2:1: found character that cannot start any token"),
        ("a: 1\nb: 2\na: 3\n", "c.yaml:3:1: duplicate key \"a\" in a mapping (first at line 1, column 1)"),
        ("a: 1\n\"a\": 2\n", "c.yaml:2:1: duplicate key \"a\""),
        ("top:\n  x: 1\n  y: 2\n  x: 3\n", "c.yaml:4:3: duplicate key \"x\" in a mapping (first at line 2, column 3)"),
        ("m: {k: 1, j: 2, k: 3}\n", "c.yaml:1:17: duplicate key \"k\" in a mapping (first at line 1, column 5)"),
        ("l:\n  - a: 1\n    a: 2\n", "c.yaml:3:5: duplicate key \"a\""),
        ("é: 1\nx: {é: 1, é: 2}\n", "c.yaml:2:11: duplicate key \"é\" in a mapping (first at line 2, column 5)"),
        ("1: x\n\"1\": y\n", "c.yaml:2:1: duplicate key \"1\" (first at line 1)"),
        ("a: 1\n---\nb: 2\n", "c.yaml:2:1:"),
        ("- 1\n- 2\n", "c.yaml:1:1: the top level is a list"),
        ("just text\n", "the top level is a string"),
        ("a: *nope\n", "c.yaml:1:4:"),
        ("a: !!int abc\n", "c.yaml:1:4: \"abc\" is not an int but is tagged !!int"),
        ("a: !!binary aGk=\n", "the tag !!binary is not supported"),
        ("a: !custom 1\n", "the tag !custom is not supported"),
        ("? [1, 2]\n: x\n", "c.yaml:1:3: a list used as a mapping key"),
        ("a: 'unclosed\n", "c.yaml:"),
        ("x:\n  <<: 1\n", "a merge (<<) of something that is not a mapping"),
    ])
    func errors(_ text: String, _ fragment: String) {
        do {
            let value = try ConfigYAMLReader.parse(text, fileName: "c.yaml")
            Issue.record("accepted \(text) as \(value)")
            return
        } catch {
            #expect(error.kind == .invalidConfig)
            #expect(error.message.contains(fragment), "\(error.message)")
            #expect(error.hint?.isEmpty == false)
        }
    }

    @Test func tabsAreNamed() {
        do {
            _ = try ConfigYAMLReader.parse("a:\n\tb: 1\n", fileName: "c.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.message.hasSuffix(": a tab"))
            #expect(error.hint?.contains("indent with spaces") == true)
        }
    }

    @Test func aliasBombIsRefused() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...7 {
            let previous = "*a\(level - 1)"
            text += "a\(level): &a\(level) [" + Array(repeating: previous, count: 10).joined(separator: ", ") + "]\n"
        }
        #expect(throws: CairnError.self) { try ConfigYAMLReader.parse(text, fileName: "bomb.yaml") }
    }
}
