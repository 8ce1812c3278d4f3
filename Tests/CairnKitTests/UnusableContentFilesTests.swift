import CairnCore
import CairnTestSupport
import Foundation
import Logging
import Testing
@testable import CairnKit

/// Folder checkpoints whose `config.json` cannot be read: one warning for all of them, not one each.
@Suite struct UnusableContentFilesTests {
    @Test func manyBrokenConfigsMakeOneWarning() throws {
        let directory = try TemporaryDirectory("cairn-content-fields")
        let tree = directory.appending("tree")
        try FileManager.default.copyItem(at: PackagePaths.shared.appendingPathComponent("fixtures/layouts/example/typed-folders-legacy"),
                                         to: tree)
        let folders = try FileManager.default.contentsOfDirectory(atPath: tree.path + "/checkpoints").sorted()
        for folder in folders { try Data("yyyy".utf8).write(to: tree.appendingPathComponent("checkpoints/\(folder)/config.json")) }
        let records = LogRecords()
        _ = try Store.adopt(AdoptRequest(tree: tree.path, layout: BuiltinLayouts.typedFoldersLegacy.name), logger: records.logger)
        let store = try Store.open(at: tree.path, logger: records.logger)
        _ = try store.planMigration(to: BuiltinLayouts.typedFolders.name, mapping: FieldMapping())
        let warnings = records.warnings.filter { $0.message.contains("reads fields from") }
        #expect(warnings.count == 1, "\(warnings.map(\.message))")
        #expect(warnings.first?.message.contains("and \(folders.count - 1) other files like it, which are unusable") == true,
                "\(warnings.map(\.message))")
        #expect(warnings.first?.metadata["files"] == "\(folders.count)")
    }

    @Test func oneBrokenConfigIsNamed() {
        var unusable = UnusableContentFiles()
        let records = LogRecords()
        unusable.warn(records.logger, layout: BuiltinLayouts.typedFoldersLegacy)
        #expect(records.all.isEmpty, "nothing noted, nothing said")
        unusable.note("/t/c/config.json", CairnError(.invalidConfig, "not JSON"))
        unusable.warn(records.logger, layout: BuiltinLayouts.typedFoldersLegacy)
        #expect(records.warnings.map(\.message) == [
            "the layout 'typed-folders-legacy' reads fields from '/t/c/config.json', which is unusable (not JSON); those checkpoints go without the fields",
        ])
    }
}
