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

    private func applyNew(_ texts: String...) throws -> ConfigValue {
        try Self.base.applying(texts.map { try ConfigOverride(parsing: $0) }, addsAnyKey: true)
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
        let result = try apply("+new=1", "+a.b.c=x", "+model.depth=4", "+training.extra.inner=2")
        #expect(try applyNew("new=1", "a.b.c=x", "model.depth=4", "training.extra.inner=2") == result)
        #expect(result.value(at: ["new"]) == 1)
        #expect(result.value(at: ["a"]) == ["b": ["c": "x"]])
        #expect(result.value(at: ["model"])?.mappingValue?.keys == ["kind", "dims", "depth"])
        #expect(result.value(at: ["training", "extra"]) == ["inner": 2])
        #expect(result.mappingValue?.keys == ["training", "model", "seed", "new", "a"])
    }

    @Test func numbersMixOnlyIntoFloats() throws {
        let result = try apply("training.lr=1", "training.epochs=0x10", "seed=-3")
        #expect(result.value(at: ["training", "lr"]) == .float(1))
        #expect(result.value(at: ["training", "epochs"]) == 16)
        #expect(result.value(at: ["seed"]) == -3)
        for text in ["training.epochs=2.5", "training.epochs=1e3", "training.epochs=.inf", "seed=1.0"] {
            let error = #expect(throws: CairnError.self) { try apply(text) }
            #expect(error?.kind == .typeMismatch)
            #expect(error?.message.contains("is an int in the config") == true, "\(String(describing: error))")
            #expect(error?.hint?.contains("whole number") == true)
        }
    }

    @Test func unknownKeysAreRefusedUnlessAdded() throws {
        let cases: [(String, String, String)] = [
            ("training.lr_typo=0.1", "--set training.lr_typo=0.1: the config has no key training.lr_typo",
             "the keys of training are lr, epochs, amp, name, steps, extra; check the spelling, or add a new key with --add training.lr_typo=0.1 (or +training.lr_typo=0.1)"),
            ("typo=1", "--set typo=1: the config has no key typo", "the top-level keys are training, model, seed;"),
            ("optim.lr=1", "--set optim.lr=1: the config has no key optim (so none optim.lr)", "--add optim.lr=1"),
            ("training.extra.inner=2", "--set training.extra.inner=2: the config has training.extra as null, so no key training.extra.inner",
             "--add training.extra.inner=2"),
        ]
        for (text, message, hint) in cases {
            let error = #expect(throws: CairnError.self) { try apply(text) }
            #expect(error?.kind == .notFound)
            #expect(error?.message == message, "\(String(describing: error))")
            #expect(error?.hint?.contains(hint) == true, "\(String(describing: error?.hint))")
        }
        let added = try Self.base.applying([try ConfigOverride(parsing: "training.lr_min=0.01", adding: true)])
        #expect(added.value(at: ["training", "lr_min"]) == 0.01)
    }

    @Test func additionsOfExistingKeysAreRefused() throws {
        for (text, adding) in [("+training.lr=1", false), ("training.lr=1", true), ("+model.dims=[1]", false), ("+training.extra=1", false)] {
            let override = try ConfigOverride(parsing: text, adding: adding)
            let error = #expect(throws: CairnError.self) { try Self.base.applying([override]) }
            #expect(error?.kind == .alreadyExists)
            #expect(error?.message.contains("the config already has") == true, "\(String(describing: error))")
            #expect(error?.hint?.contains("--set") == true)
        }
        // An addition of a new key is fine, and so is --set after it (checked against the added value).
        let result = try apply("+training.warmup=3", "training.warmup=4")
        #expect(result.value(at: ["training", "warmup"]) == 4)
        #expect(throws: CairnError.self) { try apply("+training.warmup=3", "training.warmup=4.5") }
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
        let result = try ConfigValue.null.applying([try ConfigOverride(parsing: "a.b=1")], addsAnyKey: true)
        #expect(result == ["a": ["b": 1]])
        #expect(throws: CairnError.self) { try ConfigValue.null.applying([try ConfigOverride(parsing: "a.b=1")]) }
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
