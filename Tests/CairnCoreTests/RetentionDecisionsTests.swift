import CairnCore
import Testing

@Suite struct RetentionDecisionsTests {
    @Test func readsLikeADictionaryInSequenceOrder() {
        var decisions: RetentionDecisions = [5: "b", 2: "a"]
        decisions.insert(9, "a")
        decisions.insert(1, "c")
        #expect(decisions.keys == [1, 2, 5, 9])
        #expect(decisions.values == ["c", "a", "b", "a"])
        #expect(decisions[2] == "a" && decisions[9] == "a" && decisions[3] == nil && decisions[0] == nil && decisions[10] == nil)
        #expect(decisions.map(\.key) == [1, 2, 5, 9])
        #expect(decisions.count == 4 && !decisions.isEmpty)
    }

    @Test func insertingASequenceNumberAgainReplacesItsReason() {
        var decisions: RetentionDecisions = [1: "a", 2: "b"]
        decisions.insert(1, "z")
        #expect(decisions.count == 2)
        #expect(decisions[1] == "z")
    }

    @Test func equalityIgnoresTheOrderOfInsertion() {
        var forward = RetentionDecisions(), backward = RetentionDecisions()
        for seq in 1...40 { forward.insert(seq, "reason \(seq % 20)") }
        for seq in (1...40).reversed() { backward.insert(seq, "reason \(seq % 20)") }
        #expect(forward == backward)
        backward.insert(7, "other")
        #expect(forward != backward)
        #expect(RetentionDecisions() == [:])
    }

    /// More than a few distinct reasons (one per listed epoch, say) still map each to its own text.
    @Test func manyDistinctReasons() {
        var decisions = RetentionDecisions()
        for seq in stride(from: 1000, to: 0, by: -1) { decisions.insert(seq, "epoch \(seq) listed in keep_epochs") }
        #expect(decisions.count == 1000)
        #expect(decisions.keys == Array(1...1000))
        #expect((1...1000).allSatisfy { decisions[$0] == "epoch \($0) listed in keep_epochs" })
    }
}
