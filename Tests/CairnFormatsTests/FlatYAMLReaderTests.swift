import CairnCore
import CairnTestSupport
import Testing
@testable import CairnFormats

/// The fast reader of one-line `key: value` files either declines or reads exactly what the full YAML
/// reader reads.
@Suite struct FlatYAMLReaderTests {
    @Test func readsCairnYAMLAsCairnWritesIt() throws {
        let text = """
            # Cairn store: this file marks the root; its format is specified in Cairn's docs/FORMAT.md.
            format: "1.0"
            layout: prompt-tree
            layouts: {}
            defaults: {}
            adopted: true
            tree: /data/old-runs
            """
        let flat = try #require(FlatYAMLReader.parse(text))
        #expect(flat == (try ConfigYAMLReader.parse(text, fileName: "cairn.yaml")))
        #expect(flat.mappingValue?["format"] == .string("1.0"))
        #expect(flat.mappingValue?["adopted"] == .bool(true))
        #expect(flat.mappingValue?["layouts"] == .mapping(ConfigMapping()))
        // What the writer makes of a flat mapping is flat too.
        let written = ConfigFile.yaml(.mapping(["format": .string("1.0"), "layout": .string("cairn"), "file_mode": .string("0644")]))
        #expect(FlatYAMLReader.parse(written) != nil, "\(written)")
    }

    @Test func declinesWhatItCannotBeSureOf() {
        for text in ["a:\n  b: 1", "a: [1, 2]", "a: {b: 1}", "a: 'x'", "a: \"x\\n\"", "a: x # c", "  a: 1", "a:  1",
                     "a: &x 1", "a: *x", "a: !!str 1", "---\na: 1", "a: 1\na: 2", "a: -", "a: - x", "a: x: y", "\u{FEFF}a: 1",
                     "a:\tb", "a: é", "a: |\n  x", "? a\n: 1", "a b: 1", "1: x", "a: @x"] {
            #expect(FlatYAMLReader.parse(text) == nil, "\(text.debugDescription)")
        }
    }

    /// Generated files of the simple form, with tricky scalars: whenever the fast reader accepts one,
    /// the full reader reads the same mapping.
    @Test func agreesWithTheFullReader() throws {
        var random = SeededGenerator(seed: 0x5EED_F1A7)
        let words = ["cairn", "1.0", "1", "-1", "+1", "0x10", "0o7", "012", "08", "1_000", "1e5", "3e-4", ".5", "-.5", ".inf", "-.inf",
                     ".nan", "true", "False", "yes", "NO", "on", "off", "null", "Null", "~", "{}", "[]", "/data/x", "./rel", "a.b",
                     "2024-01-31", "x-y", "_", "\"\"", "\"1.0\"", "\"true\"", "\"a b\"", "\"#x\"", "+.inf", "1.", "-", "..", "1.2.3",
                     "9223372036854775807", "9223372036854775808", "-9223372036854775809", "0b101", "inf", "NaN"]
        let keys = ["format", "layout", "layouts", "defaults", "adopted", "tree", "file_mode", "a.b", "on", "x-y", "_k", "Null"]
        var accepted = 0
        for _ in 0..<2_000 {
            var lines: [String] = []
            var used = Set<String>()
            for _ in 0..<Int.random(in: 0...6, using: &random) {
                switch Int.random(in: 0..<10, using: &random) {
                case 0: lines.append("# a comment: with {} and 'quotes'")
                case 1: lines.append("")
                default:
                    let key = keys.randomElement(using: &random)!
                    if used.insert(key).inserted { lines.append("\(key): \(words.randomElement(using: &random)!)") }
                }
            }
            let text = lines.joined(separator: Bool.random(using: &random) ? "\n" : "\r\n")
            guard let flat = FlatYAMLReader.parse(text) else { continue }
            accepted += 1
            let full = try ConfigYAMLReader.parse(text, fileName: "generated.yaml")
            #expect(flat == full, "\(text.debugDescription)")
        }
        #expect(accepted > 1_000)
    }
}
