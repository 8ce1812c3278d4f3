import CairnCore
import CairnTestSupport
import Testing

@Suite("PathTemplate optional segments")
struct PathTemplateOptionalSegmentTests {
    static let cairnCheckpoint = "checkpoints/[epoch_{epoch:04}-step_{step:08}{ext:ext}|epoch_{epoch:04}{ext:ext}|step_{step:08}{ext:ext}]"

    static let roundTrips: [TemplateCase] = [
        .init(template: "epoch_{epoch:04}[-step_{step:08}]", fields: ["epoch": 3], path: "epoch_0003"),
        .init(template: "epoch_{epoch:04}[-step_{step:08}]", fields: ["epoch": 3, "step": 300], path: "epoch_0003-step_00000300"),
        .init(template: "epoch_{epoch:04}[-step_{step:08}].pt", fields: ["epoch": 3], path: "epoch_0003.pt"),
        .init(template: "[{kind}/]model{ext:ext}", fields: ["ext": ".pt"], path: "model.pt"),
        .init(template: "[{kind}/]model{ext:ext}", fields: ["kind": "ema", "ext": ".pt"], path: "ema/model.pt"),
        .init(template: "ckpt[_{a:int}-{b:int}]", fields: ["a": 1, "b": 2], path: "ckpt_1-2"),
        .init(template: cairnCheckpoint, fields: ["epoch": 3, "step": 300, "ext": ".pt"], path: "checkpoints/epoch_0003-step_00000300.pt"),
        .init(template: cairnCheckpoint, fields: ["epoch": 3, "ext": ".pt"], path: "checkpoints/epoch_0003.pt"),
        .init(template: cairnCheckpoint, fields: ["step": 500, "ext": ""], path: "checkpoints/step_00000500"),
        .init(template: "a[[b]]c|d/[x{n:int}||y]", fields: ["n": 1], path: "a[b]c|d/x1|y"),
        .init(template: "a[[b]]c|d/[x{n:int}||y]", fields: [:], path: "a[b]c|d/"),
    ]

    @Test(arguments: roundTrips)
    func renderAndMatch(_ row: TemplateCase) throws {
        let template = try PathTemplate(row.template)
        if row.path.hasSuffix("/") {
            #expect(layoutError { () throws(CairnError) in _ = try template.render(row.fields) }?.message.contains("empty") == true)
            return
        }
        #expect(try template.render(row.fields) == row.path)
        #expect(template.match(row.path) == row.fields)
    }

    @Test func aSegmentWithAFieldMissingIsLeftOutWhole() throws {
        let template = try PathTemplate("ckpt[_{a:int}-{b:int}].pt")
        #expect(try template.render(["a": 1]) == "ckpt.pt")
        #expect(template.match("ckpt_1.pt") == nil)
        #expect(template.match("ckpt_1-.pt") == nil)
        #expect(template.requiredFieldNames.isEmpty)
        #expect(template.fieldNames == ["a", "b"])
    }

    @Test func requiredFieldsAreThoseOutsideOptionalSegments() throws {
        let template = try PathTemplate("{run}/epoch_{epoch:04}[-step_{step:08}]{ext:ext}")
        #expect(template.requiredFieldNames == ["run", "epoch", "ext"])
        #expect(template.shape == "RUN/epoch_EPOCH[-step_STEP]EXT")
        let missing = layoutError { () throws(CairnError) in _ = try template.render(["run": "r", "step": 3, "ext": ""]) }
        #expect(missing?.message.contains("'epoch'") == true)
    }

    @Test func theFirstAlternativeWithEveryFieldGivenIsWritten() throws {
        let template = try PathTemplate(Self.cairnCheckpoint)
        #expect(try template.render(["epoch": 1, "step": 2, "ext": ".pt"]) == "checkpoints/epoch_0001-step_00000002.pt")
        #expect(template.match("checkpoints/.pt") == nil)
        #expect(template.match("checkpoints/.gitignore") == nil)
        #expect(template.match("checkpoints/epoch_0001-.pt") == nil)
        #expect(template.match("checkpoints/-step_00000002.pt") == nil)
        #expect(template.match("checkpoints/step_00000002") == ["step": 2, "ext": ""])
    }

    @Test func existingCairnNamesStillMatchTheDefaultLayout() throws {
        let layout = try #require(BuiltinLayouts.named("cairn"))
        for (path, fields) in [("checkpoints/epoch_0012-step_00004800.pt", ["epoch": 12, "step": 4800, "ext": ".pt"] as LayoutFields),
                               ("checkpoints/epoch_0012-step_00004800", ["epoch": 12, "step": 4800, "ext": ""]),
                               ("checkpoints/epoch_0012.safetensors", ["epoch": 12, "ext": ".safetensors"]),
                               ("checkpoints/step_00004800.tar.gz", ["step": 4800, "ext": ".tar.gz"])] {
            #expect(layout.match(.checkpoint, path) == fields, "\(path)")
            #expect(try layout.render(.checkpoint, fields) == path)
        }
    }

    @Test(arguments: [
        ("a[b", "never closed"), ("a]b", "lone ']'"), ("a[b]", "without a field"), ("[{a}|]", "without a field"),
        ("[{a}[{b}]]", "inside the one opened at position 1"), ("[{a}|x]", "without a field"),
    ])
    func badSyntaxIsOneClearError(_ text: String, _ expected: String) {
        let error = layoutError { () throws(CairnError) in _ = try PathTemplate(text) }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "no error")")
    }

    @Test func propertyRenderThenMatchRoundTrips() throws {
        let templates = try [
            "{a}/e{e:04}[-s{s:08}][_v{v:.4f}]{x:ext}",
            "[a_{a}|n{n:int}][/t_{t:%Y%m%d_%H%M%S}]/{p:path}/f{f:float}.bin",
            Self.cairnCheckpoint,
            "r[{a}-{b}|{c:int}]z",
        ].map { try PathTemplate($0) }
        var source = FieldValueSource(random: SeededGenerator(seed: 12))
        var counts = [Int](repeating: 0, count: templates.count)
        for iteration in 0..<PathTemplatePropertyTests.iterations {
            let index = iteration % templates.count
            let template = templates[index]
            var fields: LayoutFields = [:]
            for name in template.fieldNames {
                // Required fields always; optional ones half the time.
                guard template.requiredFieldNames.contains(name) || Bool.random(using: &source.random) else { continue }
                switch name {
                case "a", "b": fields[name] = .string(source.component().replacingDashes())
                case "p": fields[name] = .string(source.path())
                case "e", "s", "epoch", "step": fields[name] = .int(Int.random(in: 0...99_999_999, using: &source.random))
                case "n", "c": fields[name] = .int(source.int())
                case "v": let text = source.fixedText(decimals: 4); fields[name] = .float(Double(text)!, text: text)
                case "f": let d = source.double(); fields[name] = .float(d, text: d.description)
                case "t": var t = source.time().utc; t.microsecond = 0; fields[name] = .time(LayoutTime(utc: t)!)
                case "x", "ext": fields[name] = .string(source.ext())
                default: Issue.record("no generator for \(name)")
                }
            }
            let path: String
            do throws(CairnError) { path = try template.render(fields) } catch {
                // Only an optional segment left out as the whole of a component may fail: an empty component.
                #expect(error.message.contains("empty"), "\(template) \(fields): \(error.message)")
                continue
            }
            counts[index] += 1
            let matched = try #require(template.match(path), "\(template) \(path)")
            #expect(try template.render(matched) == path, "\(template) \(path)")
            // What the rendering wrote is what matching reads back (an alternative not written reads nothing).
            for (name, value) in matched.values {
                #expect(fields[name] == value || fields[name]?.doubleValue == value.doubleValue, "\(template) \(path) \(name): \(fields)")
            }
        }
        #expect(counts.allSatisfy { $0 > PathTemplatePropertyTests.iterations / templates.count / 3 }, "\(counts)")
    }
}

/// The layout error `body` throws, or nil (recorded as an issue) when it throws none.
private func layoutError(_ body: () throws(CairnError) -> Void) -> CairnError? {
    do {
        try body()
        Issue.record("no error")
        return nil
    } catch {
        #expect(error.kind == .layout)
        return error
    }
}

private extension String {
    /// Generated text without `-`, which the template `r[{a}-{b}|…]` uses as a separator.
    func replacingDashes() -> String { String(map { $0 == "-" ? "x" : $0 }) }
}
