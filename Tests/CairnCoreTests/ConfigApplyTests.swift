import CairnCore
import Testing

@Suite struct ConfigApplyTests {
    static let base: ConfigValue = [
        "training": ["lr": 0.001, "epochs": 10, "amp": true, "name": "run", "steps": [1, 2], "extra": .null],
        "model": ["kind": "vae", "dims": ["in": 3]],
        "seed": 0,
    ]

    private func apply(_ texts: String...) throws -> ConfigValue {
        try Self.base.applying(texts.map { try ConfigOverride(parsing: $0) })
    }

    @Test func replacesSameTypesInPlace() throws {
        let result = try apply("training.lr=3e-4", "training.epochs=20", "training.amp=off", "training.name=b",
                               "training.steps=[5]", "model.dims={out: 4}")
        #expect(result.value(at: ["training", "lr"]) == 3e-4)
        #expect(result.value(at: ["training", "epochs"]) == 20)
        #expect(result.value(at: ["training", "amp"]) == false)
        #expect(result.value(at: ["training", "name"]) == "b")
        #expect(result.value(at: ["training", "steps"]) == [5])
        #expect(result.value(at: ["model", "dims"]) == ["out": 4])
        #expect(result.mappingValue?.keys == ["training", "model", "seed"])
        #expect(result.value(at: ["training"])?.mappingValue?.keys == ["lr", "epochs", "amp", "name", "steps", "extra"])
    }

    @Test func createsNewKeysAndMappings() throws {
        let result = try apply("new=1", "a.b.c=x", "model.depth=4", "training.extra.inner=2")
        #expect(result.value(at: ["new"]) == 1)
        #expect(result.value(at: ["a"]) == ["b": ["c": "x"]])
        #expect(result.value(at: ["model"])?.mappingValue?.keys == ["kind", "dims", "depth"])
        #expect(result.value(at: ["training", "extra"]) == ["inner": 2])
        #expect(result.mappingValue?.keys == ["training", "model", "seed", "new", "a"])
    }

    @Test func numbersMix() throws {
        let result = try apply("training.lr=1", "training.epochs=2.5", "seed=-3")
        #expect(result.value(at: ["training", "lr"]) == .float(1))
        #expect(result.value(at: ["training", "epochs"]) == 2.5)
        #expect(result.value(at: ["seed"]) == -3)
    }

    @Test(arguments: [
        ("training.name=123", "123"), ("training.name=yes", "yes"), ("training.name=1e3", "1e3"),
        ("training.name=0x1F", "0x1F"), ("model.kind= 1.50 ", "1.50"), ("training.name=\"42\"", "42"),
    ])
    func stringFieldsTakeTheText(_ text: String, _ expected: String) throws {
        let override = try ConfigOverride(parsing: text)
        let result = try Self.base.applying([override])
        #expect(result.value(at: override.path) == .string(expected))
    }

    @Test func nullsTakeAnythingAndAnythingTakesNull() throws {
        let result = try apply("training.extra=[1]", "training.lr=null", "model=~", "training.amp=",
                               "training.name=null")
        #expect(result.value(at: ["training", "extra"]) == [1])
        #expect(result.value(at: ["training", "lr"]) == .null)
        #expect(result.value(at: ["model"]) == .null)
        #expect(result.value(at: ["training", "amp"]) == .null)
        #expect(result.value(at: ["training", "name"]) == .null)
        let retyped = try apply("training.lr=null", "training.lr=abc")
        #expect(retyped.value(at: ["training", "lr"]) == "abc")
    }

    @Test(arguments: [
        ("training.lr=abc", "--set training.lr=abc: training.lr is a float in the config, 'abc' is a string"),
        ("training.lr=true", "training.lr is a float in the config, 'true' is a bool"),
        ("training.lr=[1]", "training.lr is a float in the config, '[1]' is a list"),
        ("training.epochs=\"10\"", "training.epochs is an int in the config, '\"10\"' is a string"),
        ("training.epochs={a: 1}", "training.epochs is an int in the config, '{a: 1}' is a mapping"),
        ("training.amp=1", "training.amp is a bool in the config, '1' is an int"),
        ("training.amp=maybe", "training.amp is a bool in the config, 'maybe' is a string"),
        ("training.name=[a]", "training.name is a string in the config, '[a]' is a list"),
        ("training.name={a: 1}", "training.name is a string in the config, '{a: 1}' is a mapping"),
        ("training.steps=5", "training.steps is a list in the config, '5' is an int"),
        ("training.steps={a: 1}", "training.steps is a list in the config, '{a: 1}' is a mapping"),
        ("model=vae", "model is a mapping in the config, 'vae' is a string"),
        ("model=[1]", "model is a mapping in the config, '[1]' is a list"),
        ("seed.x=1", "seed is an int in the config, so it has no key 'x'"),
        ("training.steps.0=1", "training.steps is a list in the config, so it has no key '0'"),
        ("model.kind.x.y=1", "model.kind is a string in the config, so it has no key 'x'"),
    ])
    func clashes(_ text: String, _ message: String) throws {
        let override = try ConfigOverride(parsing: text)
        do {
            _ = try Self.base.applying([override])
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.kind == .typeMismatch)
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.hint?.isEmpty == false)
        }
    }

    @Test func floatHint() throws {
        do {
            _ = try apply("training.lr=abc")
            Issue.record("accepted")
        } catch let error as CairnError {
            #expect(error.hint?.contains("0.001") == true)
        }
    }

    @Test func appliesToANullRootAndRejectsAScalarRoot() throws {
        let result = try ConfigValue.null.applying([try ConfigOverride(parsing: "a.b=1")])
        #expect(result == ["a": ["b": 1]])
        #expect(throws: CairnError.self) { try ConfigValue.int(1).applying([try ConfigOverride(parsing: "a=1")]) }
    }
}

@Suite struct ConfigFlattenTests {
    @Test func flattensInDocumentOrder() {
        let config: ConfigValue = [
            "z": 1,
            "training": ["lr": 0.1, "opt": ["name": "adam", "betas": [0.9, 0.99]], "empty": .mapping(ConfigMapping())],
            "a": .null,
            "list": [["x": 1]],
        ]
        let leaves = config.flattened()
        #expect(leaves.map(\.key) == ["z", "training.lr", "training.opt.name", "training.opt.betas",
                                      "training.empty", "a", "list"])
        #expect(leaves.map(\.value) == [1, 0.1, "adam", [0.9, 0.99], .mapping(ConfigMapping()), .null, [["x": 1]]])
        #expect(leaves.map(\.value.description) == ["1", "0.1", "adam", "[0.9, 0.99]", "{}", "null", "[{x: 1}]"])
    }

    @Test func edgeCases() {
        #expect(ConfigValue.mapping(ConfigMapping()).flattened().isEmpty)
        #expect(ConfigValue.int(3).flattened().map(\.key) == [""])
        let dotted: ConfigValue = ["a.b": 1, "a": ["b": 2]]
        #expect(dotted.flattened().map(\.key) == ["a.b", "a.b"])
    }
}
