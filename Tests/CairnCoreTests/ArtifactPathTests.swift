import Testing
import CairnTestSupport
@testable import CairnCore

/// Artifact paths on generated mixes of plain and hostile components: a path is taken exactly when
/// every component is plain, and then reads back as given.
@Suite struct ArtifactPathTests {
    static let plain = ["a", "plots", "loss.png", "é", "with space", "x%y", "%2", "...", ".hidden", "a.b"]
    // (An empty component is refused too, except as one trailing `/`: `a//b` in the test below.)
    static let hostile = ["..", ".", "a\\b", "nul\u{0}", "tab\u{9}", "%2e%2e", "%2F", "%5c", "%00", "del\u{7F}"]

    @Test func takesExactlyThePathsOfPlainComponents() {
        var random = SeededGenerator(seed: 21)
        for _ in 0..<5_000 {
            var components: [String] = []
            var bad = false
            for _ in 0..<Int(random.next() % 4 + 1) {
                if random.next() % 5 == 0 {
                    components.append(Self.hostile[Int(random.next() % UInt64(Self.hostile.count))])
                    bad = true
                } else {
                    components.append(Self.plain[Int(random.next() % UInt64(Self.plain.count))])
                }
            }
            var text = components.joined(separator: "/")
            let absolute = random.next() % 10 == 0
            if absolute { text = "/" + text }
            let trailing = !absolute && !bad && random.next() % 5 == 0
            if trailing { text += "/" }
            let parsed = try? ArtifactPath(text)
            if bad || absolute {
                #expect(parsed == nil, "\(text.debugDescription) was taken")
            } else {
                #expect(parsed?.components == components, "\(text.debugDescription)")
                #expect(parsed?.description == components.joined(separator: "/"))
            }
        }
        #expect((try? ArtifactPath(""))?.components.isEmpty == true)
    }

    @Test func refusalsSayWhatIsWrongInOneLine() {
        for text in ["../x", "/etc/passwd", "a\\b", "a//b", "%252e%252e/x", "a\u{0}b"] {
            #expect { try ArtifactPath(text) } throws: { error in
                let message = "\(error)"
                return (error as? CairnError)?.kind == .invalidValue && !message.contains("\n") && message.contains("artifact path")
            }
        }
    }
}
