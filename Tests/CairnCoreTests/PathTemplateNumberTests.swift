import CairnCore
import CairnTestSupport
import Foundation
import Testing

/// `{name:number}`: every spelling of a number Python writes, read back with its exact text.
@Suite("Path templates: numbers in any spelling")
struct PathTemplateNumberTests {
    let template = try! PathTemplate("checkpoint_best_score_{score:number}.pt")

    @Test(arguments: ["12.5", "0.912345678", "1e-3", "1e-05", "2.5e-07", "1.5e+20", "1.5E+20", "-0.25", "-3e-4",
                      "0.8310", "12", "-7", "0.0", "inf", "-inf", "nan", "100000000000000000000.0"])
    func pythonSpellingsMatchWithTheirText(_ text: String) throws {
        let fields = try #require(template.match("checkpoint_best_score_\(text).pt"), "\(text)")
        guard case .float(let value, let matched)? = fields["score"] else {
            Issue.record("\(text): not a float: \(String(describing: fields["score"]))")
            return
        }
        #expect(matched == text)
        #expect(value.isNaN ? text.lowercased().hasSuffix("nan") : value == Double(text))
        // A matched value renders back byte for byte.
        #expect(try template.render(fields) == "checkpoint_best_score_\(text).pt")
    }

    @Test(arguments: ["", "1.", ".5", "1e", "1e+", "--1", "+1", "1..2", "abc", "0x10", "1_000", "1.5.pt", "nanx", "in"])
    func otherTextDoesNotMatch(_ text: String) {
        #expect(template.match("checkpoint_best_score_\(text).pt") == nil, "\(text)")
    }

    @Test func numbersNextToOtherFieldsSplitAsWritten() throws {
        let two = try PathTemplate("{epoch:int}_{score:number}.pt")
        let fields = try #require(two.match("12_1e-05.pt"))
        #expect(fields["epoch"] == 12 && fields["score"] == .float(1e-05, text: "1e-05"))
    }

    @Test func valuesWithoutTextRenderShortestOrWithTheDecimalsGiven() throws {
        #expect(try template.render(["score": .float(0.831, text: nil)]) == "checkpoint_best_score_0.831.pt")
        #expect(try template.render(["score": 3]) == "checkpoint_best_score_3.pt")
        #expect(try template.render(["score": .float(.infinity, text: nil)]) == "checkpoint_best_score_inf.pt")
        let fixed = try PathTemplate("best_{score:number:.4f}.pt")
        #expect(try fixed.render(["score": .float(0.831, text: nil)]) == "best_0.8310.pt")
        #expect(try fixed.render(["score": 3]) == "best_3.0000.pt")
        // Reading takes every spelling, and keeps it.
        #expect(fixed.match("best_0.912345678.pt")?["score"] == .float(0.912345678, text: "0.912345678"))
        #expect(try fixed.render(["score": .float(0.912345678, text: "0.912345678")]) == "best_0.912345678.pt")
        #expect(throws: CairnError.self) { try PathTemplate("best_{score:number:x}.pt") }
    }

    /// Python's spellings of random values: `repr`, and `f"{x:.Nf}"` for N from 0 to 12.
    @Test func randomValuesInEveryFixedSpellingRoundTrip() throws {
        var random = SeededGenerator(seed: 7)
        for _ in 0..<2_000 {
            let value = Double(Int.random(in: -10_000_000...10_000_000, using: &random)) / Double([1, 7, 1000, 1_000_000].randomElement(using: &random)!)
            let decimals = Int.random(in: 1...12, using: &random)
            for text in [value.description, String(format: "%.\(decimals)f", value)] {
                let fields = try #require(template.match("checkpoint_best_score_\(text).pt"), "\(text)")
                #expect(fields["score"]?.doubleValue == Double(text), "\(text)")
                #expect(try template.render(fields) == "checkpoint_best_score_\(text).pt")
            }
        }
    }
}
