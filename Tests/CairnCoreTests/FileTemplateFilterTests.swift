import CairnTestSupport
import Testing
@testable import CairnCore

/// The filter that rules templates out before matching never rules out a template that matches: every
/// path a template matches passes its slash count, its head (against the folders, once per folder) and
/// its tail.
@Suite("File template filter")
struct FileTemplateFilterTests {
    /// Templates of every built-in layout, and shapes that stress the limits: optional segments holding
    /// `/`, path fields, time formats, templates that are one literal.
    static let extraTemplates = [
        "[{model_type}/]{model_type}_model_checkpoint_{epoch:int}", "a/[b/{c}|d_{d}]/e_{n:int}.pt", "{p:path}/x.pt",
        "logs/{t:%Y/%m}/run.log", "best", "ckpt/{name}{ext:ext}", "[x_{a}|y/{b}/]z", "{a}/{b}/{c}",
        "checkpoints/[epoch_{epoch:04}-step_{step:08}{ext:ext}|epoch_{epoch:04}{ext:ext}|step_{step:08}{ext:ext}]",
    ]

    static let fieldTexts = ["1", "0042", "7", "a", "a/b", "x/y/z", "12.5", "-3", "2024", "2024/05", "20240101_120000_000000",
                             ".pt", ".tar.gz", "", "model", "val"]

    /// A path in the template's shape: each field replaced by some text, each optional segment taken or not.
    static func path(for text: String, random: inout SeededGenerator) -> String {
        let chars = Array(text)
        var out = "", i = 0
        var alternatives: [String] = [], current = "", inGroup = false
        func emit(_ piece: String) { if inGroup { current += piece } else { out += piece } }
        while i < chars.count {
            let c = chars[i], next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            if (c == "[" || c == "]" || c == "{" || c == "}" || (c == "|" && inGroup)), next == c { emit(String(c)); i += 2; continue }
            switch c {
            case "[": inGroup = true; current = ""; alternatives = []
            case "|" where inGroup: alternatives.append(current); current = ""
            case "]":
                alternatives.append(current)
                inGroup = false
                let pick = Int(random.next() % UInt64(alternatives.count + 1))
                if pick < alternatives.count { out += alternatives[pick] }
            case "{":
                while i < chars.count, chars[i] != "}" { i += 1 }
                emit(fieldTexts[Int(random.next() % UInt64(fieldTexts.count))])
            default: emit(String(c))
            }
            i += 1
        }
        return out
    }

    @Test func everyMatchingPathPasses() throws {
        // One filter per layout, as recognition builds them, and one for the extra shapes.
        var groups = [try Self.extraTemplates.map { try PathTemplate($0) }]
        for layout in BuiltinLayouts.all {
            groups.append(TreeRecognizer.fileRoles.compactMap { layout.template($0) })
        }
        var random = SeededGenerator(seed: 0xF117_0001)
        var matched = 0
        for templates in groups {
            let filter = FileTemplateFilter(templates)
            for (index, template) in templates.enumerated() {
                for _ in 0..<300 {
                    let path = Self.path(for: template.text, random: &random)
                    guard template.match(path) != nil else { continue }
                    matched += 1
                    var bytes = Array(path.utf8)
                    let slash = bytes.lastIndex(of: UInt8(ascii: "/")) ?? 0
                    let mask = bytes.withUnsafeBufferPointer { filter.candidates(inside: UnsafeBufferPointer(rebasing: $0[..<slash])) }
                    #expect(mask & (1 << UInt64(index)) != 0, "\(template.text) ruled out for the folders of '\(path)'")
                    let passes = filter.limits.withUnsafeBufferPointer { limits in
                        filter.bytes.withUnsafeBufferPointer { filterBytes in
                            bytes.withUnsafeMutableBufferPointer { FileTemplateFilter.mayMatch(limits[index], filterBytes, UnsafeBufferPointer($0)) }
                        }
                    }
                    #expect(passes, "\(template.text) ruled out by head or tail for '\(path)'")
                }
            }
        }
        #expect(matched > 2_000)
    }

    @Test func templatesThatCannotMatchAreRuledOutPerFolder() throws {
        let templates = try ["checkpoints/epoch_{epoch:int}.ckpt", "ckpt_best.pth", "{p:path}/x.pt", "runs/{name}/events.{n:int}"].map { try PathTemplate($0) }
        let filter = FileTemplateFilter(templates)
        func mask(_ folders: String) -> UInt64 {
            var bytes = Array(folders.utf8)
            return bytes.withUnsafeMutableBufferPointer { filter.candidates(inside: UnsafeBufferPointer($0)) }
        }
        #expect(mask("") == 0b0010)            // a file in the run folder: only a template without folders
        #expect(mask("checkpoints") == 0b0101)
        #expect(mask("tag0/train-P0/val-P1") == 0b0100)
        #expect(mask("runs/first") == 0b1100)
        #expect(mask("run/first") == 0b0100)
    }
}
