import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite("Store: init, open, locate, cairn.yaml")
struct StoreTests {
    @Test func initializeWritesTheMarkerAndCairnFolders() throws {
        let dir = try TemporaryDirectory("cairn-kit")
        let root = dir.appending("deep/new-store").path
        let store = try Store.initialize(at: root)
        #expect(store.root == root)
        #expect(store.layout.name == "cairn")
        #expect(store.settings.format == StoreFormat.current)
        #expect(Disk.exists(root + "/cairn.yaml"))
        #expect(Disk.isDirectory(root + "/.cairn/experiments"))
        #expect(Disk.isDirectory(root + "/.cairn/runs"))
        let yaml = try Disk.text(root + "/cairn.yaml")
        #expect(yaml.contains("format: \"1.1\"") || yaml.contains("format: '1.1'"), "\(yaml)")
        // A new store has an id of its own (32 hexadecimal digits), which a database index records.
        let id = try #require(store.settings.storeID)
        #expect(id.count == 32 && id.allSatisfy(\.isHexDigit) && yaml.contains("store_id: \(id)"))
        #expect(try Store.initialize(at: dir.appending("other-store").path).settings.storeID != id)
        #expect(yaml.contains("layout: cairn"))
        // No temporary file is left beside the marker.
        #expect(!Disk.tree(root).contains { $0.contains(AtomicFile.temporaryPrefix) })
        // What was written opens again to the same settings.
        let reopened = try Store.open(at: root)
        #expect(reopened.settings == store.settings)
    }

    @Test func initializeInAnExistingEmptyFolder() throws {
        let dir = try TemporaryDirectory("cairn-kit")
        let store = try Store.initialize(at: dir.path, layoutName: "run-dirs")
        #expect(store.layout.name == "run-dirs")
        #expect(try Store.open(at: dir.path).layout == BuiltinLayouts.runDirs)
    }

    @Test func reinitializingFailsWithAlreadyExistsAndKeepsTheFile() throws {
        let fixture = try StoreFixture()
        let before = try Disk.text(fixture.root + "/cairn.yaml")
        Expect.error(.alreadyExists) { try Store.initialize(at: fixture.root, layoutName: "run-dirs") }
        #expect(try Disk.text(fixture.root + "/cairn.yaml") == before)
    }

    @Test func initializeRefusesAnUnknownLayoutAndAFile() throws {
        let dir = try TemporaryDirectory("cairn-kit")
        let error = Expect.error(.layout) { try Store.initialize(at: dir.appending("s").path, layoutName: "nope") }
        #expect(error?.hint?.contains("prompt-tree") == true)
        #expect(!Disk.exists(dir.appending("s").path))
        try Disk.write("x", to: dir.appending("file").path)
        Expect.error(.conflict) { try Store.initialize(at: dir.appending("file").path) }
    }

    @Test func openWithoutMarkerIsStoreNotFoundWithAHint() throws {
        let dir = try TemporaryDirectory("cairn-kit")
        let error = Expect.error(.storeNotFound) { try Store.open(at: dir.path) }
        #expect(error?.message.contains(dir.path) == true)
        #expect(error?.hint?.contains("cairn init") == true)
    }

    @Test func locateWalksUpFromANestedFolder() throws {
        let fixture = try StoreFixture()
        let nested = fixture.root + "/a/b/c"
        try Disk.makeFolder(nested)
        let found = try Store.locate(explicit: nil, environment: [:], from: nested)
        #expect(found.root == fixture.root)
        // From a folder outside any store, with nothing else to go by: not found.
        let outside = try TemporaryDirectory("cairn-kit-outside")
        let error = Expect.error(.storeNotFound) { try Store.locate(explicit: nil, environment: [:], from: outside.path) }
        #expect(error?.hint?.contains("CAIRN_STORE") == true)
    }

    @Test func explicitBeatsEnvironmentBeatsWalkingUp() throws {
        let explicit = try StoreFixture(), fromEnvironment = try StoreFixture(), around = try StoreFixture()
        let nested = around.root + "/sub"
        try Disk.makeFolder(nested)
        let env = [Store.environmentVariable: fromEnvironment.root]
        #expect(try Store.locate(explicit: explicit.root, environment: env, from: nested).root == explicit.root)
        #expect(try Store.locate(explicit: nil, environment: env, from: nested).root == fromEnvironment.root)
        #expect(try Store.locate(explicit: "", environment: env, from: nested).root == fromEnvironment.root)
        #expect(try Store.locate(explicit: nil, environment: [Store.environmentVariable: ""], from: nested).root == around.root)
        #expect(try Store.locate(explicit: nil, environment: [:], from: nested).root == around.root)
        // An explicit store that is not one fails; it does not fall back.
        let empty = try TemporaryDirectory("cairn-kit")
        Expect.error(.storeNotFound) { try Store.locate(explicit: empty.path, environment: env, from: nested) }
        Expect.error(.storeNotFound) {
            try Store.locate(explicit: nil, environment: [Store.environmentVariable: empty.path], from: nested)
        }
    }

    @Test func aNewerMajorFormatIsRefused() throws {
        let fixture = try StoreFixture()
        try Disk.write("format: \"2.0\"\nlayout: cairn\n", to: fixture.root + "/cairn.yaml")
        let error = Expect.error(.unsupportedFormat) { try Store.open(at: fixture.root) }
        #expect(error?.message.contains("2.0") == true)
        #expect(error?.hint?.contains("upgrade") == true)
    }

    @Test func aNewerMinorFormatOpens() throws {
        let fixture = try StoreFixture()
        try Disk.write("format: \"1.7\"\nlayout: cairn\nsomething_new: {a: 1}\n", to: fixture.root + "/cairn.yaml")
        let store = try Store.open(at: fixture.root)
        #expect(store.settings.format == StoreFormat(major: 1, minor: 7))
        // Unknown keys are kept in the document.
        #expect(store.settings.document.value(at: ["something_new", "a"]) == .int(1))
    }

    @Test(arguments: [
        "format: [1.0\nlayout: cairn\n",     // malformed YAML
        "- format\n- layout\n",               // not a mapping
        "layout: cairn\n",                    // no format
        "format: \"one\"\nlayout: cairn\n",   // bad version
    ])
    func malformedMarkerIsInvalidConfigNamingThePath(_ text: String) throws {
        let fixture = try StoreFixture()
        try Disk.write(text, to: fixture.root + "/cairn.yaml")
        let error = Expect.error(.invalidConfig) { try Store.open(at: fixture.root) }
        #expect(error?.description.contains(fixture.root + "/cairn.yaml") == true, "\(String(describing: error))")
    }

    @Test func anUnknownLayoutNameIsAnError() throws {
        let fixture = try StoreFixture()
        try Disk.write("format: \"1.0\"\nlayout: no-such-layout\n", to: fixture.root + "/cairn.yaml")
        let error = Expect.error(.layout) { try Store.open(at: fixture.root) }
        #expect(error?.message.contains("no-such-layout") == true)
        #expect(error?.hint?.contains("run-dirs") == true)
    }

    @Test func anInvalidUserLayoutIsAnError() throws {
        let fixture = try StoreFixture()
        try Disk.write("""
            format: "1.0"
            layout: cairn
            layouts:
              broken:
                experiment_name: "{experiment}"
                experiment: "x/{experiment}"
            """, to: fixture.root + "/cairn.yaml")
        let error = Expect.error(.layout) { try Store.open(at: fixture.root) }
        #expect(error?.message.contains("broken") == true)
    }

    @Test func aUserDefinedLayoutIsUsable() throws {
        let fixture = try StoreFixture()
        try Disk.write("""
            format: "1.0"
            layout: team
            layouts:
              team:
                summary: "our own convention"
                experiment_name: "{project}/{exp}"
                experiment: "work/{project}/{exp}"
                run: "work/{project}/{exp}/r-{run_id}"
                log: "train.log"
            defaults: {}
            """, to: fixture.root + "/cairn.yaml")
        let store = try Store.open(at: fixture.root)
        #expect(store.layout.name == "team")
        #expect(store.layout.summary == "our own convention")
        #expect(store.settings.allLayouts.map(\.name).contains("team"))
        let run = try store.createRun(try .plain("vision/baseline", config: ["lr": 0.1]))
        #expect(run.folder == "work/vision/baseline/r-\(run.id)")
        #expect(run.record.layout == "team")
        #expect(Disk.exists(fixture.root + "/" + run.folder + "/run.json"))
        #expect(Disk.exists(fixture.root + "/" + run.folder + "/config.yaml"))
        #expect(try store.runFilePath(run, .log) == fixture.root + "/" + run.folder + "/train.log")
        // A name that does not fit the layout's experiment_name is a layout error.
        Expect.error(.layout) { try store.createRun(try .plain("flat")) }
    }
}
