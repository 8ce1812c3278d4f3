import Foundation
import CairnTestSupport

/// The choices a tree generator makes, drawn from a seeded generator so that a tree can be made again
/// from its seed.
struct ConventionRandom {
    var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    /// An integer in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &generator) < p }

    /// One of `choices`.
    mutating func pick<T>(_ choices: [T]) -> T { choices[int(0...(choices.count - 1))] }

    /// Between `count.lowerBound` and `count.upperBound` distinct elements of `choices`, in their order.
    mutating func sample<T>(_ choices: [T], _ count: ClosedRange<Int>) -> [T] {
        let n = min(int(count), choices.count)
        var indices = Array(choices.indices)
        indices.shuffle(using: &generator)
        return indices.prefix(n).sorted().map { choices[$0] }
    }

    /// `count` distinct integers in `range`, increasing.
    mutating func increasing(_ count: Int, in range: ClosedRange<Int>) -> [Int] {
        var values = Set<Int>()
        while values.count < min(count, range.count) { values.insert(int(range)) }
        return values.sorted()
    }

    /// A score as Python writes one: `str(x)` or `f"{x:.Nf}"`, sometimes negative or in exponent form.
    mutating func scoreText() -> String {
        let value = Double(int(0...1_000_000)) / Double(pick([1, 10, 1000, 1_000_000, 10_000_000]))
        let signed = chance(0.15) ? -value : value
        switch int(0...3) {
        case 0: return pythonRepr(signed)
        case 1: return fixed(signed, decimals: int(1...9))
        case 2: return pick(["1e-3", "1e-05", "2.5e-07", "1.5e+20", "-3e-4"])
        default: return fixed(signed, decimals: 4)
        }
    }

    /// `f"{value:.{decimals}f}"`.
    func fixed(_ value: Double, decimals: Int) -> String {
        var text = String(format: "%.\(decimals)f", value)
        if text.hasPrefix("-"), Double(text) == 0 { text.removeFirst() }  // keep the spellings simple: no -0.0
        return text
    }

    /// Python's `repr` of a float for the values drawn here (Swift's description agrees with it).
    func pythonRepr(_ value: Double) -> String { value == 0 ? "0.0" : value.description }
}
