import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite("RunConfig: --config files and --set overrides")
struct RunConfigTests {
    static let yaml = """
        training:
          lr: 0.1
          epochs: 10
          optimizer: adam
        model:
          name: vae
          layers: [64, 32]
        """

    @Test func aYAMLFileWithTypedOverrides() throws {
        let dir = try TemporaryDirectory("cairn-kit")
        let path = dir.appending("cfg.yaml").path
        try Disk.write(Self.yaml, to: path)
        let (config, source) = try RunConfig.load(path: path, overrides: [
            "training.lr=3e-4", "training.epochs=20", "+model.depth=4", "model.name=123",
        ], additions: ["extra.flag=yes"])
        #expect(source == path)
        #expect(config.value(at: ["training", "lr"]) == .float(3e-4))
        #expect(config.value(at: ["training", "epochs"]) == .int(20))
        #expect(config.value(at: ["training", "optimizer"]) == .string("adam"))
        #expect(config.value(at: ["model", "depth"]) == .int(4))
        // A string field keeps a plain number as its text.
        #expect(config.value(at: ["model", "name"]) == .string("123"))
        #expect(config.value(at: ["model", "layers"]) == .list([.int(64), .int(32)]))
        #expect(config.value(at: ["extra", "flag"]) == .bool(true))
        // The flattened params of that config, as text.
        let params = Dictionary(uniqueKeysWithValues: config.flattened().map { ($0.key, $0.value.description) })
        #expect(params["training.lr"] == "0.0003")
        #expect(params["model.name"] == "\"123\"")
    }

    @Test func anIntGivenToAFloatFieldBecomesAFloat() throws {
        let dir = try TemporaryDirectory("cairn-kit")
        let path = dir.appending("cfg.yaml").path
        try Disk.write(Self.yaml, to: path)
        #expect(try RunConfig.load(path: path, overrides: ["training.lr=1"]).config.value(at: ["training", "lr"]) == .float(1))
    }

    @Test func keysNotInTheFileMustBeAdded() throws {
        let dir = try TemporaryDirectory("cairn-kit")
        let path = dir.appending("cfg.yaml").path
        try Disk.write(Self.yaml, to: path)
        let typo = Expect.error(.notFound) { try RunConfig.load(path: path, overrides: ["training.lr_typo=0.1"]) }
        #expect(typo?.message == "--set training.lr_typo=0.1: the config has no key training.lr_typo", "\(String(describing: typo))")
        #expect(typo?.hint?.contains("--add training.lr_typo=0.1 (or +training.lr_typo=0.1)") == true)
        #expect(typo?.hint?.contains("the keys of training are lr, epochs, optimizer") == true)
        let added = try RunConfig.load(path: path, overrides: ["+training.warmup=5"], additions: ["training.lr_min=0.01"]).config
        #expect(added.value(at: ["training", "warmup"]) == .int(5))
        #expect(added.value(at: ["training", "lr_min"]) == .float(0.01))
        Expect.error(.alreadyExists) { try RunConfig.load(path: path, overrides: [], additions: ["training.lr=0.2"]) }
        // Without a file every key is new, with or without --add.
        #expect(try RunConfig.load(path: nil, overrides: ["a=1"], additions: ["b=2"]).config == ["b": 2, "a": 1])
    }

    @Test func additionsAreRecordedWithAPlus() throws {
        let dir = try TemporaryDirectory("cairn-kit")
        let path = dir.appending("cfg.yaml").path
        try Disk.write(Self.yaml, to: path)
        let request = try RunRequest(experiment: "e", name: nil, configFile: path, overrides: ["training.lr=0.2"],
                                     additions: ["training.warmup=5", "+extra=1"], tags: [], fields: [], captureGit: false)
        #expect(request.configOverrides == ["+training.warmup=5", "+extra=1", "training.lr=0.2"])
    }

    @Test func aJSONFileIsReadAsJSON() throws {
        let dir = try TemporaryDirectory("cairn-kit")
        let path = dir.appending("cfg.json").path
        try Disk.write(#"{"training": {"lr": 0.5, "epochs": 3}}"#, to: path)
        let config = try RunConfig.load(path: path, overrides: ["training.epochs=4"]).config
        #expect(config == ["training": ["lr": 0.5, "epochs": 4]])
    }

    @Test(arguments: ["training.lr=fast", "training.epochs=[1, 2]", "training.epochs=2.5", "training.epochs=1e3", "training.optimizer.beta=0.9", "model.layers=3",
                      "training=5"])
    func typeClashesAreTypeMismatch(_ override: String) throws {
        let dir = try TemporaryDirectory("cairn-kit")
        let path = dir.appending("cfg.yaml").path
        try Disk.write(Self.yaml, to: path)
        let error = Expect.error(.typeMismatch) { try RunConfig.load(path: path, overrides: [override]) }
        #expect(error?.message.contains(override) == true, "\(String(describing: error))")
    }

    @Test func overridesWithoutAFile() throws {
        let (config, source) = try RunConfig.load(path: nil, overrides: ["a.b=1", "a.c=x", "d=2.5"])
        #expect(source == nil)
        #expect(config == ["a": ["b": 1, "c": "x"], "d": 2.5])
        #expect(try RunConfig.load(path: nil, overrides: []).config == .mapping(ConfigMapping()))
    }

    @Test func fileProblemsAreReported() throws {
        let dir = try TemporaryDirectory("cairn-kit")
        Expect.error(.notFound) { try RunConfig.load(path: dir.appending("missing.yaml").path, overrides: []) }
        Expect.error(.invalidConfig) { try RunConfig.load(path: dir.path, overrides: []) }
        let bad = dir.appending("bad.yaml").path
        try Disk.write("training: [1, 2\n", to: bad)
        let error = Expect.error(.invalidConfig) { try RunConfig.load(path: bad, overrides: []) }
        #expect(error?.description.contains("bad.yaml") == true)
        Expect.error(.invalidConfig) { try RunConfig.load(path: nil, overrides: ["no-equals"]) }
    }
}
