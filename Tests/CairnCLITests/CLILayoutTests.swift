import Foundation
import Testing
import CairnTestSupport

/// `cairn layout ls/show` outside a store list the built-in layouts; inside a broken one they say so.
@Suite struct CLILayoutTests {
    @Test func aBrokenStoreIsAnErrorNotTheBuiltinList() throws {
        let store = try CLITestStore()
        let settings = store.path + "/cairn.yaml"
        try "format: \"1.0\"\nlayout: [unclosed\n".write(toFile: settings, atomically: true, encoding: .utf8)
        for arguments in [["layout", "ls"], ["layout", "show"], ["layout", "ls", "--json"]] {
            let result = try store.cairn(arguments)
            #expect(result.status != 0, "\(arguments): \(result.stdout)")
            #expect(result.stderr.hasPrefix("cairn: error: ") && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(result.stderr.contains("cairn.yaml"), "\(result.stderr)")
        }
    }

    @Test func outsideAStoreTheBuiltinLayouts() throws {
        let empty = try TemporaryDirectory("cairn-no-store")
        let listed = try CLI.run(["layout", "ls", "--json"], directory: empty.url)
        #expect(listed.status == 0, "\(listed.stderr)")
        let layouts = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(layouts.allSatisfy { $0["builtin"] as? Bool == true && $0["in_use"] as? Bool == false })
        #expect(try CLI.run(["layout", "show", "nope"], directory: empty.url).stderr.contains("no layout named 'nope'"))
    }
}
