import CairnCore
import CairnDemo
import CairnKit
import CairnTestSupport
import Foundation
import Testing

/// `cairn demo DIR` uses the store at DIR, or creates one; it never replaces a store it cannot read.
@Suite("Demo store")
struct DemoPrepareStoreTests {
    @Test func anExistingStoreIsOpened() throws {
        let fixture = try DemoStoreFixture()
        let prepared = try Demo.prepareStore(at: fixture.store.root)
        #expect(!prepared.created)
        #expect(prepared.store.root == fixture.store.root)
    }

    @Test func aMissingFolderBecomesAStore() throws {
        let directory = try TemporaryDirectory("cairn-demo")
        let root = directory.path + "/not/yet/there"
        let prepared = try Demo.prepareStore(at: root)
        #expect(prepared.created)
        #expect(FileManager.default.fileExists(atPath: root + "/cairn.yaml"))
        // The second time, it is opened.
        #expect(try !Demo.prepareStore(at: root).created)
    }

    @Test func anEmptyFolderBecomesAStore() throws {
        let directory = try TemporaryDirectory("cairn-demo")
        let prepared = try Demo.prepareStore(at: directory.path)
        #expect(prepared.created)
        #expect(try prepared.store.root == Store.open(at: directory.path).root)
    }

    @Test func aBrokenCairnYAMLIsTheErrorNotANewStore() throws {
        let directory = try TemporaryDirectory("cairn-demo")
        let file = directory.path + "/cairn.yaml"
        let broken = "format: [1.0\nlayout: {\n"
        try Data(broken.utf8).write(to: URL(fileURLWithPath: file))
        do {
            _ = try Demo.prepareStore(at: directory.path)
            Issue.record("a store with a broken cairn.yaml was prepared")
        } catch {
            #expect(error.kind != .storeNotFound && error.kind != .alreadyExists, "\(error)")
            #expect(error.description.contains(file), "\(error)")
        }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == broken)
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/.cairn"))
    }
}
