import CairnCore
import Testing

@Suite struct CheckpointPolicyTests {
    @Test func readsEveryKeyAndWritesItBack() throws {
        let mapping: ConfigMapping = [
            "save_strategy": "best", "monitor": "val_acc", "mode": "max", "top_k": 3, "keep_last": 2,
            "every_n_epochs": 2, "every_n_steps": 500, "keep_epochs": [10, 15], "keep_period": 5,
            "keep_step_period": 1000,
        ]
        let policy = try CheckpointPolicy(mapping: mapping, source: "cairn.yaml")
        #expect(policy == CheckpointPolicy(saveStrategy: .best, monitor: "val_acc", mode: .max, topK: 3, keepLast: 2,
                                           everyNEpochs: 2, everyNSteps: 500, keepEpochs: [10, 15], keepPeriod: 5,
                                           keepStepPeriod: 1000))
        #expect(policy.mapping == mapping)
        #expect(try CheckpointPolicy(mapping: policy.mapping, source: "x") == policy)
    }

    @Test func mappingHoldsOnlyTheSetFields() throws {
        let policy = CheckpointPolicy(monitor: "val_loss", topK: 3)
        #expect(policy.mapping == ["monitor": "val_loss", "top_k": 3])
        #expect(CheckpointPolicy().mapping.isEmpty)
        #expect(CheckpointPolicy.default.mapping == ["save_strategy": "all"])
    }

    @Test func nullLeavesAFieldUnset() throws {
        let policy = try CheckpointPolicy(mapping: ["top_k": .null, "monitor": "loss"], source: "x")
        #expect(policy == CheckpointPolicy(monitor: "loss"))
    }

    @Test(arguments: [
        (ConfigValue.list([10, 15]), [10, 15]),
        (ConfigValue.int(7), [7]),
        (ConfigValue.string("10, 15"), [10, 15]),
        (ConfigValue.list([]), []),
    ])
    func keepEpochsForms(_ value: ConfigValue, _ expected: [Int]) throws {
        #expect(try CheckpointPolicy(mapping: ["keep_epochs": value], source: "x").keepEpochs == expected)
    }

    @Test func unknownKeyListsTheKnownOnes() {
        #expect {
            try CheckpointPolicy(mapping: ["topk": 3], source: "experiments/vae.yaml")
        } throws: { error in
            let e = error as? CairnError
            return e?.kind == .invalidConfig && e?.message == "experiments/vae.yaml: unknown checkpoint policy key 'topk'"
                && e?.hint?.contains("save_strategy, monitor, mode, top_k, keep_last") == true
        }
    }

    @Test(arguments: [
        ("top_k", ConfigValue.string("three"), "'top_k' must be a positive integer, not the string three"),
        ("top_k", ConfigValue.float(3.0), "'top_k' must be a positive integer, not the float 3.0"),
        ("top_k", ConfigValue.int(0), "'top_k' must be a positive integer, not 0"),
        ("keep_last", ConfigValue.int(-2), "'keep_last' must be a positive integer, not -2"),
        ("every_n_epochs", ConfigValue.bool(true), "'every_n_epochs' must be a positive integer, not the bool true"),
        ("keep_period", ConfigValue.int(0), "'keep_period' must be a positive integer, not 0"),
        ("save_strategy", ConfigValue.string("some"), "'save_strategy' must be one of best, last, all, not 'some'"),
        ("save_strategy", ConfigValue.int(1), "'save_strategy' must be one of best, last, all, not the int 1"),
        ("mode", ConfigValue.string("lowest"), "'mode' must be one of min, max, not 'lowest'"),
        ("monitor", ConfigValue.int(3), "'monitor' must be a metric name, not the int 3"),
        ("monitor", ConfigValue.string(""), "'monitor' must be a metric name"),
        ("keep_epochs", ConfigValue.list([10, -1]), "'keep_epochs' must be a list of epochs"),
        ("keep_epochs", ConfigValue.string("10,x"), "'keep_epochs' must be a list of epochs"),
    ])
    func wrongValuesNameSourceAndKey(_ key: String, _ value: ConfigValue, _ fragment: String) {
        #expect {
            try CheckpointPolicy(mapping: ConfigMapping([(key: key, value: value)]), source: "cairn.yaml")
        } throws: { error in
            let e = error as? CairnError
            return e?.kind == .invalidConfig && e?.message.hasPrefix("cairn.yaml: checkpoint policy key") == true
                && e?.message.contains(fragment) == true
        }
    }

    @Test func assignments() throws {
        let policy = try CheckpointPolicy(assignments: ["monitor=val_loss", "top_k=3", "keep_epochs=[10, 15]",
                                                        "mode=max", "keep_last=1"])
        #expect(policy == CheckpointPolicy(monitor: "val_loss", mode: .max, topK: 3, keepLast: 1, keepEpochs: [10, 15]))
        #expect(try CheckpointPolicy(assignments: ["keep_epochs=10,15"]).keepEpochs == [10, 15])
        #expect(throws: CairnError.self) { try CheckpointPolicy(assignments: ["top_k"]) }
        #expect(throws: CairnError.self) { try CheckpointPolicy(assignments: ["checkpoint.top_k=3"]) }
        #expect(throws: CairnError.self) { try CheckpointPolicy(assignments: ["top_k=many"]) }
    }

    @Test(arguments: [
        (CheckpointPolicy(topK: 3), "top_k 3 needs a monitored metric"),
        (CheckpointPolicy(saveStrategy: .best), "save_strategy best needs a monitored metric"),
        (CheckpointPolicy(saveStrategy: .last, monitor: "l", topK: 2), "save_strategy last keeps only the last"),
        (CheckpointPolicy(saveStrategy: .all, keepLast: 2), "save_strategy all keeps every checkpoint"),
        (CheckpointPolicy(keepLast: 0), "keep_last must be a positive integer"),
        (CheckpointPolicy(keepEpochs: [-1]), "keep_epochs holds the negative epoch -1"),
        (CheckpointPolicy(monitor: ""), "monitor is empty"),
    ])
    func validationErrors(_ policy: CheckpointPolicy, _ fragment: String) {
        #expect {
            try policy.validate()
        } throws: { error in
            (error as? CairnError)?.message.contains(fragment) == true
        }
    }

    @Test(arguments: [
        CheckpointPolicy.default,
        CheckpointPolicy(),
        CheckpointPolicy(saveStrategy: .best, monitor: "val_loss"),
        CheckpointPolicy(saveStrategy: .last, monitor: "val_loss", keepEpochs: [10, 15]),
        CheckpointPolicy(monitor: "val_loss", topK: 3, keepLast: 1),
        CheckpointPolicy(saveStrategy: .all, monitor: "acc", mode: .max),
    ])
    func validPolicies(_ policy: CheckpointPolicy) throws {
        try policy.validate()
    }

    @Test func precedenceCallOverExperimentOverStoreOverDefault() {
        #expect(CheckpointPolicy.resolve() == .default)
        let store = CheckpointPolicy(saveStrategy: .best, monitor: "val_loss", keepEpochs: [10])
        let experiment = CheckpointPolicy(mode: .max, keepEpochs: [10, 15])
        let call = CheckpointPolicy(monitor: "val_acc")
        #expect(CheckpointPolicy.resolve(store: store, experiment: experiment, call: call)
            == CheckpointPolicy(saveStrategy: .best, monitor: "val_acc", mode: .max, keepEpochs: [10, 15]))
        #expect(CheckpointPolicy.resolve(store: store) == store)
        #expect(CheckpointPolicy.resolve(call: CheckpointPolicy(everyNSteps: 10))
            == CheckpointPolicy(saveStrategy: .all, everyNSteps: 10))
    }

    @Test func retentionRuleIsTakenAsAWhole() {
        // An experiment's top_k replaces the default's "keep all" rather than being swallowed by it.
        let resolved = CheckpointPolicy.resolve(experiment: CheckpointPolicy(monitor: "val_loss", topK: 3))
        #expect(resolved == CheckpointPolicy(monitor: "val_loss", topK: 3))
        // A call's save_strategy replaces the store's top_k and keep_last.
        let store = CheckpointPolicy(monitor: "val_loss", topK: 3, keepLast: 2)
        #expect(store.overriding(with: CheckpointPolicy(saveStrategy: .last))
            == CheckpointPolicy(saveStrategy: .last, monitor: "val_loss"))
        // Other fields are taken one by one.
        #expect(store.overriding(with: CheckpointPolicy(mode: .max)) == CheckpointPolicy(monitor: "val_loss", mode: .max,
                                                                                        topK: 3, keepLast: 2))
        #expect(store.overriding(with: CheckpointPolicy()) == store)
    }

    @Test(arguments: [
        (CheckpointPolicy(everyNEpochs: 5), 0, nil as Int?, true),
        (CheckpointPolicy(everyNEpochs: 5), 5, nil, true),
        (CheckpointPolicy(everyNEpochs: 5), 7, nil, false),
        (CheckpointPolicy(everyNSteps: 100), 1, 300, true),
        (CheckpointPolicy(everyNSteps: 100), 1, 350, false),
        (CheckpointPolicy(everyNSteps: 100), 1, nil, true),
        (CheckpointPolicy(everyNEpochs: 2, everyNSteps: 100), 2, 200, true),
        (CheckpointPolicy(everyNEpochs: 2, everyNSteps: 100), 3, 200, false),
        (CheckpointPolicy(everyNEpochs: 2, everyNSteps: 100), 2, 250, false),
        (CheckpointPolicy.default, 3, 17, true),
    ])
    func saveFilters(_ policy: CheckpointPolicy, _ epoch: Int, _ step: Int?, _ expected: Bool) {
        #expect(policy.shouldSave(epoch: epoch, step: step) == expected)
    }

    @Test(arguments: [
        (CheckpointPolicy(monitor: "val_loss", topK: 3, keepLast: 1, keepEpochs: [10, 15]),
         "top 3 by val_loss (min), keep last 1, keep epochs 10, 15"),
        (CheckpointPolicy.default, "keep all"),
        (CheckpointPolicy(), "keep all"),
        (CheckpointPolicy(saveStrategy: .best, monitor: "val_acc", mode: .max), "best by val_acc (max)"),
        (CheckpointPolicy(saveStrategy: .last, keepEpochs: [10]), "keep only the last, keep epoch 10"),
        (CheckpointPolicy(saveStrategy: .all, monitor: "val_loss", everyNEpochs: 2),
         "keep all, best by val_loss (min), save every 2 epochs"),
        (CheckpointPolicy(keepLast: 2, keepPeriod: 5, keepStepPeriod: 1000),
         "keep last 2, keep epochs divisible by 5, keep steps divisible by 1000"),
    ])
    func description(_ policy: CheckpointPolicy, _ text: String) {
        #expect(policy.description == text)
    }
}
