import CairnCore
import CairnTestSupport
import Testing

@Suite struct RunFilterTests {
    @Test(arguments: [
        ("metrics.loss < 0.5", "metrics.loss < 0.5"),
        ("metrics.`eval/loss` <= 1e-3 and params.training.lr > 0.001",
         "metrics.`eval/loss` <= 1e-3 AND params.training.lr > 0.001"),
        ("metric.eval/loss>=-2", "metrics.`eval/loss` >= -2"),
        ("params.optimizer LIKE 'adam%' AND tags.team ILIKE \"VIS%\"",
         "params.optimizer LIKE 'adam%' AND tags.team ILIKE 'VIS%'"),
        ("attributes.status IN ('FINISHED', \"KILLED\")", "attributes.status IN ('FINISHED', 'KILLED')"),
        ("status not in ('RUNNING')", "attributes.status NOT IN ('RUNNING')"),
        ("attr.run_id = 'x' and run.run_name != 'it''s'", "attributes.run_id = 'x' AND attributes.run_name != 'it''s'"),
        ("created > 1700000000000", "attributes.start_time > 1700000000000"),
        ("params.`a b` = '1' AND params.\"c.d\" != 'x'", "params.`a b` = '1' AND params.c.d != 'x'"),
        ("checkpoints.best.val_loss < .25", "checkpoints.best.val_loss < .25"),
        ("  ", ""),
        ("tags.`é` = 'ß'", "tags.é = 'ß'"),
    ])
    func readsMLflowSpellings(text: String, canonical: String) throws {
        let filter = try RunFilter(parsing: text)
        #expect(filter.description == canonical)
        #expect(try RunFilter(parsing: filter.description) == filter)
    }

    @Test(arguments: [
        ("metrics.loss", 13, "expected an operator"),
        ("metrics.loss < ", 16, "expected a number"),
        ("metrics.x = 'abc'", 13, "compare it with a number, not the string 'abc'"),
        ("metrics.x LIKE '%'", 11, "is a number"),
        ("tags.team < 3", 11, "is text"),
        ("tags.team = vision", 13, "expected a quoted string"),
        ("tags.team = 3", 13, "write the value 3 in quotes"),
        ("params.lr > 'abc'", 13, "'abc' is not a number"),
        ("params.a = '1' OR 1=1 --", 16, "OR is not supported"),
        ("params.a = '1' -- comment", 16, "expected AND or the end"),
        ("params.a = 'open", 12, "never closed"),
        ("foo.bar = 1", 1, "'foo' is not a kind of field"),
        ("attributes.colour = 'x'", 12, "'colour' is not an attribute"),
        ("colour = 'x'", 1, "'colour' is not a field"),
        ("metrics. < 1", 9, "expected a key"),
        ("status IN 'x'", 11, "expected ( and a list"),
        ("status IN ('a' 'b')", 16, "expected , or )"),
        ("status IN ()", 12, "expected a quoted string in the IN list"),
        ("metrics.a == 1", 11, "one equals sign"),
        ("metrics.a < 1 AND", 18, "expected a condition after AND"),
        ("checkpoints.worst.x < 1", 13, "expected best.KEY or last.KEY"),
        ("datasets.name = 'x'", 1, "does not record datasets"),
        ("status NOT 'x'", 12, "expected IN after NOT"),
        ("tags.a = 'x'\u{7}", 13, "control character"),
        ("metrics.a < 1e400", 13, "expected a number"),
        ("metrics.a < 0x10", 13, "expected a number"),
    ])
    func refusesWithTheColumn(text: String, column: Int, message: String) {
        #expect {
            _ = try RunFilter(parsing: text)
        } throws: { error in
            guard let error = error as? FilterError else { return false }
            return error.column == column && error.message.contains(message)
        }
    }

    @Test func refusesHugeFilters() throws {
        let long = String(repeating: "metrics.a < 1 AND ", count: 6_000) + "metrics.a < 1"
        #expect(throws: FilterError.self) { try RunFilter(parsing: long) }
        let many = Array(repeating: "metrics.a < 1", count: RunFilter.maximumConditions + 1).joined(separator: " and ")
        #expect(throws: FilterError.self) { try RunFilter(parsing: many) }
        let list = "status IN (" + Array(repeating: "'a'", count: RunFilter.maximumListLength + 1).joined(separator: ",") + ")"
        #expect(throws: FilterError.self) { try RunFilter(parsing: list) }
        let error = CairnError(FilterError(column: 3, "expected x"), in: long)
        #expect(error.description.count < 300)
    }

    @Test func matchesAsDocumented() throws {
        var generator = RandomRunFacts(seed: 1)
        var run = generator.run(index: 0)
        run.params = ["lr": "1e-3", "optimizer": "adam", "layers": "[64, 64]"]
        run.tags = ["team": "Vision"]
        var loss = MetricSummary(MetricPoint(key: "loss", value: 0.9, step: 5))
        loss.add(MetricPoint(key: "loss", value: 0.2, step: 10))
        loss.add(MetricPoint(key: "loss", value: 0.7, step: 3))  // resumed: a lower step logged later
        run.metrics = ["eval/loss": loss, "acc": MetricSummary(MetricPoint(key: "acc", value: .nan, step: 1))]
        func holds(_ text: String) throws -> Bool { try RunFilter(parsing: text).matches(run) }
        #expect(try holds("metrics.`eval/loss` = 0.2"))  // the value at the highest step
        #expect(try !holds("metrics.eval/loss = 0.7"))
        #expect(try !holds("metrics.acc != 1"))  // NaN matches nothing
        #expect(try !holds("metrics.loss != 1"))  // lacking matches nothing
        #expect(try holds("params.lr = 0.001 and params.lr >= '0.001' and params.lr = '1e-3'"))
        #expect(try !holds("params.lr = '0.001'"))  // quoted: text
        #expect(try !holds("params.layers > 1"))
        #expect(try holds("params.optimizer like 'a_a%' and params.optimizer not in ('sgd')"))
        #expect(try holds("tags.team ILIKE 'vis%' and tags.team != 'vision'"))
        #expect(try !holds("tags.team LIKE 'vis%'"))
        #expect(try holds("status = '\(run.record.status.rawValue)'"))
    }

    @Test func likePatternsMatchTheirReference() {
        var random = SeededGenerator(seed: 7)
        let alphabet: [Character] = ["a", "b", "A", "%", "_", "é"]
        for _ in 0..<3_000 {
            let pattern = String((0..<Int(random.next() % 6)).map { _ in alphabet.randomElement(using: &random)! })
            let text = String((0..<Int(random.next() % 6)).map { _ in alphabet.filter { $0 != "%" }.randomElement(using: &random)! })
            for fold in [false, true] {
                #expect(LikePattern(pattern, foldingCase: fold).matches(text) == Self.reference(Array(pattern.unicodeScalars), Array(text.unicodeScalars), fold),
                        "\(pattern) ~ \(text) fold \(fold)")
            }
        }
    }

    /// LIKE by its definition, recursively.
    private static func reference(_ p: [Unicode.Scalar], _ t: [Unicode.Scalar], _ fold: Bool) -> Bool {
        func low(_ s: Unicode.Scalar) -> Unicode.Scalar { fold && s >= "A" && s <= "Z" ? Unicode.Scalar(s.value + 32)! : s }
        guard let first = p.first else { return t.isEmpty }
        if first == "%" { return (0...t.count).contains { reference(Array(p.dropFirst()), Array(t.dropFirst($0)), fold) } }
        guard let head = t.first else { return false }
        return (first == "_" || low(first) == low(head)) && reference(Array(p.dropFirst()), Array(t.dropFirst()), fold)
    }

    @Test func generatedFiltersReadBackAsThemselves() throws {
        var generator = RandomRunFacts(seed: 11)
        for _ in 0..<2_000 {
            let filter = generator.filter()
            #expect(try RunFilter(parsing: filter.description) == filter, "\(filter)")
            let ordering = generator.ordering()
            #expect(try RunOrdering(parsing: ordering.description) == ordering)
        }
    }

    @Test func orderingPutsLackingRunsLast() throws {
        var generator = RandomRunFacts(seed: 3)
        let runs = (0..<200).map { generator.run(index: $0) }
        for text in ["metrics.loss", "metrics.loss DESC", "params.lr asc", "params.lr DESC", "tags.team", "attributes.end_time desc"] {
            let ordering = try RunOrdering(parsing: text)
            let sorted = RunOrdering.sorted(runs, by: [ordering])
            let present = sorted.map { $0.value(of: ordering.field) != nil }
            #expect(present == present.sorted(by: { $0 && !$1 }) , "\(text): lacking runs last")
            for (a, b) in zip(sorted, sorted.dropFirst()) {
                #expect(ordering.compare(a, b) <= 0, "\(text): \(a.record.id) before \(b.record.id)")
            }
            #expect(sorted.count == runs.count)
        }
    }
}
