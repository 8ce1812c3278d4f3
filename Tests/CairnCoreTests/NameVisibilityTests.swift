import CairnCore
import Foundation
import Testing

/// Names a user gives to what Cairn creates may not start with '.'; names already stored still read.
@Suite struct NameVisibilityTests {
    @Test(arguments: [".cairn/runs", ".x", "a/.b", "a/b/.c", "..hidden", ".cairn"])
    func hiddenExperimentNamesAreRefused(_ text: String) {
        let error = #expect(throws: CairnError.self) { try ExperimentName(text) }
        #expect(error?.kind == .invalidName)
        #expect(error?.message.contains("starts with '.'") == true, "\(String(describing: error))")
        #expect(error?.hint?.contains(".cairn is Cairn's own") == true)
    }

    @Test(arguments: ["a.b", "v1.2/x", "x./y", "a/b."])
    func innerDotsAreFine(_ text: String) throws {
        #expect(try ExperimentName(text).description == text)
    }

    @Test func validateVisibleAddsTheDotRuleToValidate() throws {
        try NameComponent.validate(".hydra", what: "path", whole: ".hydra/config.yaml")
        let error = #expect(throws: CairnError.self) { try NameComponent.validateVisible(".h", what: "split name", whole: ".h") }
        #expect(error?.message == "split name '.h' starts with '.'")
        #expect(throws: CairnError.self) { try NameComponent.validateVisible("..", what: "run name", whole: "..") }
        try NameComponent.validateVisible("train", what: "split name", whole: "train")
    }

    @Test func storedHiddenNamesStillDecode() throws {
        let name = try JSONDecoder().decode(ExperimentName.self, from: Data(#"".cairn/runs""#.utf8))
        #expect(name.components == [".cairn", "runs"])
        #expect(throws: (any Error).self) { try JSONDecoder().decode(ExperimentName.self, from: Data(#""a/../b""#.utf8)) }
    }
}
