import CairnCore
import Testing
import CairnTestSupport


/// Random values over each field domain.
struct FieldValueSource {
    var random: SeededGenerator
    static let alphabet = Array("abcXYZ019_-.+ äé漢")

    /// A valid one-component string, sometimes containing `sep`.
    mutating func component(maxLength: Int = 12) -> String {
        while true {
            let length = Int.random(in: 1...maxLength, using: &random)
            let text = String((0..<length).map { _ in Self.alphabet.randomElement(using: &random)! })
            if (try? NameComponent.validate(Substring(text), what: "", whole: "")) != nil { return text }
        }
    }

    mutating func path() -> String {
        (0..<Int.random(in: 1...4, using: &random)).map { _ in component() }.joined(separator: "/")
    }

    mutating func int() -> Int {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: Int.random(in: -20...20, using: &random)
        case 1: Int.random(in: 0...100_000, using: &random)
        case 2: Int.random(in: Int.min...Int.max, using: &random)
        default: [Int.min, Int.max, 0, -1, 999, 1000][Int.random(in: 0..<6, using: &random)]
        }
    }

    mutating func double() -> Double {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: Double.random(in: 0...1, using: &random)
        case 1: Double.random(in: -1e6...1e6, using: &random)
        case 2: Double(bitPattern: random.next() & 0x7FEF_FFFF_FFFF_FFFF) * (Bool.random(using: &random) ? 1 : -1)
        default: Double(Int.random(in: -1000...1000, using: &random)) / 8
        }
    }

    /// Text as `{x:.Nf}` writes it.
    mutating func fixedText(decimals: Int) -> String {
        var text = Bool.random(using: &random) ? "-" : ""
        text += String(Int.random(in: 0...(Bool.random(using: &random) ? 9 : 99999), using: &random))
        if decimals > 0 {
            text += "." + String((0..<decimals).map { _ in "0123456789".randomElement(using: &random)! })
        }
        return text
    }

    mutating func ext() -> String {
        let chars = Array("abzAZ09_-")
        return (0..<Int.random(in: 0...3, using: &random)).map { _ in
            "." + String((0..<Int.random(in: 1...4, using: &random)).map { _ in chars.randomElement(using: &random)! })
        }.joined()
    }

    mutating func time(years: ClosedRange<Int> = 1900...2200) -> LayoutTime {
        LayoutTime(utc: .init(year: Int.random(in: years, using: &random), month: Int.random(in: 1...12, using: &random),
                              day: Int.random(in: 1...28, using: &random), hour: Int.random(in: 0...23, using: &random),
                              minute: Int.random(in: 0...59, using: &random), second: Int.random(in: 0...59, using: &random),
                              microsecond: Int.random(in: 0...999_999, using: &random)))!
    }
}

@Suite("PathTemplate properties")
struct PathTemplatePropertyTests {
    static let iterations = 3000

    @Test func everyDomainRoundTrips() throws {
        let template = try PathTemplate("{a}/{p:path}/x_{n:int}_{w:04}_{w2:02d}/{s:.4f}_{z:.0f}_{f:float}{e:ext}")
        var source = FieldValueSource(random: SeededGenerator(seed: 1))
        for _ in 0..<Self.iterations {
            let s = source.fixedText(decimals: 4), z = source.fixedText(decimals: 0)
            let f = source.double()
            let fields: LayoutFields = [
                "a": .string(source.component()), "p": .string(source.path()), "n": .int(source.int()),
                "w": .int(source.int()), "w2": .int(source.int()),
                "s": .float(Double(s)!, text: s), "z": .float(Double(z)!, text: z),
                "f": .float(f, text: f.description), "e": .string(source.ext()),
            ]
            let path = try template.render(fields)
            let matched = try #require(template.match(path), "\(path)")
            #expect(matched == fields, "\(path)")
            #expect(try template.render(matched) == path)
        }
    }

    @Test func floatsWithoutTextRenderAndParseBack() throws {
        let template = try PathTemplate("s_{s:.4f}_{f:float}.pt")
        var source = FieldValueSource(random: SeededGenerator(seed: 2))
        for _ in 0..<Self.iterations {
            let s = Double(Int.random(in: -10_000_000...10_000_000, using: &source.random)) / 10_000 + 0.00001
            let f = source.double()
            let path = try template.render(["s": .float(s, text: nil), "f": .float(f, text: nil)])
            let matched = try #require(template.match(path), "\(path)")
            #expect(matched["f"]?.doubleValue?.bitPattern == f.bitPattern)
            #expect(abs(matched["s"]!.doubleValue! - s) <= 0.00005 + 1e-9, "\(path)")
            #expect(try template.render(matched) == path)
        }
    }

    @Test func timesRoundTrip() throws {
        let template = try PathTemplate("RUN_{t:%Y%m%d_%H%M%S_%f}/log_{u:%b%d_%H_%M_%S}.txt/{v:%y%m%d%H%M%S}")
        var source = FieldValueSource(random: SeededGenerator(seed: 3))
        for _ in 0..<Self.iterations {
            let t = source.time(), u = source.time()
            var v = source.time(years: 1969...2068).utc
            v.microsecond = 0
            var partial = u.utc
            partial.year = nil
            partial.microsecond = nil
            let fields: LayoutFields = ["t": .time(t), "u": .partialTime(partial), "v": .time(LayoutTime(utc: v)!)]
            let path = try template.render(fields)
            let matched = try #require(template.match(path), "\(path)")
            #expect(matched == fields, "\(path)")
            #expect(try template.render(matched) == path)
            #expect(try template.render(fields.merging(["u": .time(u)])) == path)
        }
    }

    @Test func ambiguousTemplatesStillReRenderIdentically() throws {
        let template = try PathTemplate("{a}_{b}.{c}-{d:int}{e:ext}")
        var source = FieldValueSource(random: SeededGenerator(seed: 4))
        for _ in 0..<Self.iterations {
            let fields: LayoutFields = ["a": .string(source.component()), "b": .string(source.component()),
                                        "c": .string(source.component()), "d": .int(source.int()), "e": .string(source.ext())]
            guard let path = try? template.render(fields) else { continue }   // e.g. a component ending in a space
            let matched = try #require(template.match(path), "\(path)")
            #expect(try template.render(matched) == path)
        }
    }

    @Test func matchingIsFast() throws {
        let template = try PathTemplate("checkpoints/{arch}/{exp_tag}/train-P{t:int}/val-P{v:int}/checkpoint_{epoch:int}_{step:int}.pt")
        let paths = (0..<20_000).map { "checkpoints/resnet18/aug_strong_\($0 % 7)/train-P\($0 % 13)/val-P2/checkpoint_\($0)_\($0 * 250).pt" }
        let clock = ContinuousClock()
        var matched = 0
        let elapsed = clock.measure {
            for path in paths where template.match(path) != nil { matched += 1 }
        }
        #expect(matched == paths.count)
        #expect(elapsed < .seconds(10), "\(elapsed) for \(paths.count) paths")
    }
}
