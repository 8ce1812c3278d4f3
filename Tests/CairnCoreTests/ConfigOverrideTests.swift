import CairnCore
import Testing

@Suite struct ConfigOverrideTests {
    @Test(arguments: [
        ("training.lr=3e-4", ["training", "lr"], ConfigValue.float(3e-4)),
        ("epochs=10", ["epochs"], 10),
        ("a.b.c=yes", ["a", "b", "c"], true),
        ("name=abc", ["name"], "abc"),
        ("name= abc  ", ["name"], "abc"),
        ("name=a,b", ["name"], "a,b"),
        ("name=x: y", ["name"], "x: y"),
        ("url=http://h:80/p?q=1", ["url"], "http://h:80/p?q=1"),
        ("x=", ["x"], .null),
        ("x=null", ["x"], .null),
        ("x=~", ["x"], .null),
        ("x=\"yes\"", ["x"], "yes"),
        ("x='it''s'", ["x"], "it's"),
        ("x=\"a\\tb\\u00e9\\U0001F642\"", ["x"], "a\tbé🙂"),
        ("x=\"\"", ["x"], ""),
        ("x=[]", ["x"], []),
        ("x=[1, 2.5, \"x\", [3]]", ["x"], [1, 2.5, "x", [3]]),
        ("x=[a b, yes, null, , ]", ["x"], []),  // replaced below: an empty item is an error
        ("x=[1,2,]", ["x"], [1, 2]),
        ("x={a: 1, b: [x, y], c: {d: null}}", ["x"], ["a": 1, "b": ["x", "y"], "c": ["d": .null]]),
        ("x={}", ["x"], .mapping(ConfigMapping())),
        ("x={a: , 'b c': 2}", ["x"], ["a": .null, "b c": 2]),
        ("x=[1:30, a:b]", ["x"], ["1:30", "a:b"]),
        ("x= [ 1 ,2 ] ", ["x"], [1, 2]),
        ("eq=a=b", ["eq"], "a=b"),
    ] as [(String, [String], ConfigValue)])
    func parses(_ text: String, _ path: [String], _ value: ConfigValue) throws {
        if text == "x=[a b, yes, null, , ]" {
            #expect(throws: CairnError.self) { try ConfigOverride(parsing: text) }
            return
        }
        let override = try ConfigOverride(parsing: text)
        #expect(override.path == path)
        #expect(override.value == value)
        #expect(override.text == text)
    }

    @Test(arguments: [
        ("abc", "has no '='"),
        ("=1", "has an empty key"),
        ("a..b=1", "empty component"),
        (".a=1", "empty component"),
        ("a.=1", "empty component"),
        ("x=[1, 2", "the list is not closed"),
        ("x=[1, [2]", "the list is not closed"),
        ("x=[1 2]]", "unexpected text after the value"),
        ("x=[1, ]2", "unexpected text after the value"),
        ("x=[,]", "an empty list item"),
        ("x={a: 1", "the mapping is not closed"),
        ("x={a 1}", "expected ':'"),
        ("x={a: 1, a: 2}", "appears twice"),
        ("x={[1]: 2}", "a mapping key must be a string"),
        ("x=\"abc", "the quoted string is not closed"),
        ("x='abc", "the quoted string is not closed"),
        ("x=\"a\"b", "unexpected text after the value"),
        ("x=\"\\q\"", "unknown escape"),
        ("x=\"\\x4\"", "hex digits"),
        ("x=[a]b", "unexpected text after the value"),
    ])
    func rejects(_ text: String, _ fragment: String) {
        do {
            _ = try ConfigOverride(parsing: text)
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.kind == .invalidConfig)
            #expect(error.message.contains(fragment), "\(error.message)")
            #expect(error.hint?.isEmpty == false)
        }
    }

    @Test func keyAndValueText() throws {
        let override = try ConfigOverride(parsing: "a.b= 1e3 ")
        #expect(override.key == "a.b")
        #expect(override.valueText == "1e3")
        let made = ConfigOverride(path: ["x", "y"], value: [1, "a b"])
        #expect(made.text == "x.y=[1, a b]")
    }
}

@Suite struct ConfigAdditionParsingTests {
    @Test func plusMarksAnAddition() throws {
        let plus = try ConfigOverride(parsing: "+training.warmup=5")
        #expect(plus.adds && plus.path == ["training", "warmup"] && plus.value == 5 && plus.option == "--set")
        let added = try ConfigOverride(parsing: "training.warmup=5", adding: true)
        #expect(added.adds && added.path == ["training", "warmup"] && added.option == "--add")
        #expect(try ConfigOverride(parsing: "+x=1", adding: true).path == ["x"])
        #expect(try !ConfigOverride(parsing: "training.lr=1").adds)
    }

    @Test(arguments: [("++a=1", "'++'"), ("+=1", "empty key"), ("+.a=1", "empty component")])
    func malformedAdditions(_ text: String, _ fragment: String) {
        let error = #expect(throws: CairnError.self) { try ConfigOverride(parsing: text) }
        #expect(error?.message.contains(fragment) == true, "\(String(describing: error))")
    }
}
