import Testing
import CairnCore
import CairnTestSupport
import CairnKit

/// MLflow run names (any text) as Cairn run names: valid ones unchanged, the others made valid.
@Suite struct MLflowRunNameTests {
    @Test(arguments: [
        ("bert-base", "bert-base"),
        ("lr 0.1 / bs 32", "lr 0.1 - bs 32"),
        ("a\\b", "a-b"),
        ("..", nil),
        (".hidden", "hidden"),
        ("  spaced  ", "spaced"),
        ("tab\there", "tabhere"),
        ("/", "-"),
        ("\u{7}", nil),
        ("名前/試行", "名前-試行"),
    ] as [(String, String?)])
    func namesMapAsDocumented(_ mlflow: String, _ cairn: String?) {
        #expect(MLflowRunName.cairnName(for: mlflow) == cairn)
    }

    /// Any text gives either no name or a name Cairn takes, and a valid name is kept as it is.
    @Test func everyGeneratedNameIsValidOrNone() throws {
        var random = SeededGenerator(seed: 16)
        let pieces = ["a", "Z", "0", " ", ".", "..", "/", "\\", "\t", "\n", "\u{0}", "\u{7F}", "\u{85}", "é", "名", "🙂", "-", "_"]
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...300, using: &random)
            let text = (0..<length).map { _ in pieces.randomElement(using: &random)! }.joined()
            let valid = (try? NameComponent.validateVisible(Substring(text), what: "run name", whole: text)) != nil
            guard let name = MLflowRunName.cairnName(for: text) else {
                #expect(!valid, "\(text.debugDescription) is valid but was dropped")
                continue
            }
            #expect((try? NameComponent.validateVisible(Substring(name), what: "run name", whole: name)) != nil, "\(name.debugDescription)")
            if valid { #expect(name == text) }
        }
    }
}
