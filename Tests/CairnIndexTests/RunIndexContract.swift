import CairnCore
import CairnIndex
import CairnTestSupport
import Testing

/// What every index answers the same way, whatever its database: run by the SQLite and the PostgreSQL
/// suites against an index `make` opens (each call opens the same index again).
struct RunIndexContract {
    let make: @Sendable () throws -> any RunIndex

    static func indexed(_ runs: [RunFacts]) -> [IndexedRun] {
        runs.map { IndexedRun(facts: $0, stamp: "s-\($0.record.id)") }
    }

    func answersEveryGeneratedQueryAsTheFilterDefinesIt(rounds: Int = 600) async throws {
        let index = try make()
        var generator = RandomRunFacts(seed: 42)
        let runs = (0..<300).map { generator.run(index: $0) }
        try await index.update(runs: Self.indexed(runs), removing: [], experiments: [])
        for round in 0..<rounds {
            var query = RunQuery(filter: generator.filter(), orderings: (0..<Int(generator.random.next() % 3)).map { _ in generator.ordering() })
            if round % 3 == 0 { query.limit = Int(generator.random.next() % 20) + 1 }
            if round % 5 == 0 { query.offset = Int(generator.random.next() % 10) }
            if round % 7 == 0 { query.experiments = [ExperimentID(Int(generator.random.next() % 3) + 1)] }
            query.lifecycle = [RunQuery.Lifecycle.active, .deleted, .all][round % 3]
            let expected = query.evaluate(Self.indexed(runs))
            let answer = try await index.search(query)
            #expect(answer.runs.map(\.facts.record.id) == expected.runs.map(\.facts.record.id), "\(query.filter) ORDER BY \(query.orderings)")
            #expect(answer.nextOffset == expected.nextOffset)
        }
    }

    func givesBackWhatItWasGiven() async throws {
        let index = try make()
        var generator = RandomRunFacts(seed: 5)
        var runs = (0..<50).map { generator.run(index: $0) }
        try await index.update(runs: Self.indexed(runs), removing: [], experiments: [])
        #expect(try await index.facts(of: runs.map(\.record.id)) == runs)
        // Replace some, remove some.
        let removed = runs.prefix(5).map(\.record.id)
        runs.removeFirst(5)
        runs[0].tags = ["changed": "yes"]
        runs[0].metrics = [:]
        try await index.update(runs: Self.indexed([runs[0]]), removing: removed, experiments: [])
        #expect(try await index.facts(of: removed).isEmpty)
        #expect(try await index.facts(of: runs.map(\.record.id)) == runs)
        let stamps = try await index.stamps(in: nil)
        #expect(stamps.count == runs.count && stamps[runs[0].record.id] == "s-\(runs[0].record.id)")
        let first = runs[0].record.experimentID
        #expect(try await index.stamps(in: [first]).keys.sorted() == runs.filter { $0.record.experimentID == first }.map(\.record.id).sorted())
        // Reopening finds it all again; metadata survives, and is replaced and removed.
        try await index.setMetadata("k", "v")
        let reopened = try make()
        #expect(try await reopened.facts(of: runs.map(\.record.id)) == runs)
        #expect(try await reopened.metadata("k") == "v")
        try await reopened.setMetadata("k", "w")
        #expect(try await reopened.metadata("k") == "w")
        try await reopened.setMetadata("k", nil)
        #expect(try await reopened.metadata("k") == nil)
        try await reopened.optimize()
        try await reopened.removeAll()
        #expect(try await reopened.stamps(in: nil).isEmpty)
    }

    /// Runs with more rows than one statement binds (PostgreSQL's 65,535 values): 6,000 metrics
    /// (13 values a row), 3,000 params and tags each, written, one replaced and one removed, read back whole.
    func takesRunsLargerThanOneStatement() async throws {
        let index = try make()
        var generator = RandomRunFacts(seed: 8)
        var runs = (0..<2).map { generator.run(index: $0) }
        for r in runs.indices {
            for i in 0..<6_000 {
                var metric = MetricSummary(MetricPoint(key: "k\(i)", value: generator.number(), step: Int64(i)))
                metric.add(MetricPoint(key: "k\(i)", value: generator.number(), step: Int64(i + 1)))
                runs[r].metrics[MetricName.of(split: ["train", "val"][i % 2], key: "k\(i)")] = metric
            }
            for i in 0..<3_000 {
                runs[r].params["p\(i)"] = generator.text()
                runs[r].tags["t\(i)"] = generator.text()
            }
        }
        try await index.update(runs: Self.indexed(runs), removing: [], experiments: [])
        #expect(try await index.facts(of: runs.map(\.record.id)) == runs)
        runs[0].metrics = runs[0].metrics.filter { $0.key.hasPrefix("val/") }
        runs[0].params["p0"] = "replaced"
        let kept = [runs[0]]
        try await index.update(runs: Self.indexed(kept), removing: [runs[1].record.id], experiments: [])
        #expect(try await index.facts(of: runs.map(\.record.id)) == kept)
        #expect(try await index.stamps(in: nil).count == 1)
    }

    /// A search that asks for some parts of the runs gets those, whole, and none of the others.
    func readsThePartsAskedFor() async throws {
        let index = try make()
        var generator = RandomRunFacts(seed: 9)
        let runs = (0..<24).map { generator.run(index: $0) }
        try await index.update(runs: Self.indexed(runs), removing: [], experiments: [])
        let given = Dictionary(uniqueKeysWithValues: runs.map { ($0.record.id, $0) })
        for raw in 0..<16 {
            let parts = RunQuery.Parts(rawValue: raw)
            var query = RunQuery()
            query.parts = parts
            query.lifecycle = .all
            let page = try await index.search(query)
            #expect(page.runs.count == runs.count)
            for run in page.runs {
                var expected = try #require(given[run.facts.record.id])
                if !parts.contains(.params) { expected.params = [:] }
                if !parts.contains(.tags) { expected.tags = [:] }
                if !parts.contains(.metrics) { expected.metrics = [:] }
                if !parts.contains(.checkpoints) {
                    expected.bestCheckpoint?.metrics = [:]
                    expected.lastCheckpoint?.metrics = [:]
                }
                #expect(run.facts == expected, "parts \(raw)")
            }
        }
    }

    func keepsExperiments() async throws {
        let index = try make()
        let first = ExperimentRecord(id: ExperimentID(1), name: try ExperimentName("vae/base"), createdAt: Timestamp(millisecondsSinceEpoch: 1_700_000_000_000))
        var second = ExperimentRecord(id: ExperimentID(2), name: try ExperimentName("gan"), createdAt: Timestamp(millisecondsSinceEpoch: 1_700_000_000_500))
        try await index.update(runs: [], removing: [], experiments: [second, first])
        #expect(try await index.experiments() == [first, second])
        second.name = try ExperimentName("gan/renamed")
        try await index.update(runs: [], removing: [], experiments: [second])
        #expect(try await index.experiments() == [first, second])
    }

    func valuesAreBoundNeverSpliced() async throws {
        let index = try make()
        var generator = RandomRunFacts(seed: 9)
        var run = generator.run(index: 1)
        run.deletedAt = nil
        run.params = ["a": "1' OR 1=1 --", "b'; DROP TABLE runs; --": "x", "c": "$1 ? \\\\ %_", "nul\u{0}key": "a\u{0}b\u{1}c"]
        run.tags["t\u{1}"] = "\u{0}"
        var other = generator.run(index: 2)
        other.deletedAt = nil
        other.params["nul\u{0}key"] = "a\u{1}"
        try await index.update(runs: Self.indexed([run, other]), removing: [], experiments: [])
        // Bytes 0 and 1 (PostgreSQL's text cannot hold 0) come back as given, and sort as bytes.
        #expect(try await index.facts(of: [run.record.id, other.record.id]) == [run, other])
        let byNul = RunQuery(orderings: [RunOrdering(.param("nul\u{0}key"), descending: true)])
        #expect(try await index.search(byNul).runs.map(\.facts.record.id) == [other.record.id, run.record.id])
        let hostile = try RunFilter(parsing: "params.a = '1'' OR 1=1 --'")
        #expect(try await index.search(RunQuery(filter: hostile)).runs.map(\.facts.record.id) == [run.record.id])
        let key = try RunFilter(parsing: "params.`b'; DROP TABLE runs; --` = 'x'")
        #expect(try await index.search(RunQuery(filter: key)).runs.count == 1)
        // Placeholders, backslashes and LIKE's wildcards in values are data, not syntax.
        let marks = try RunFilter(parsing: "params.c = '$1 ? \\\\ %_'")
        #expect(try await index.search(RunQuery(filter: marks)).runs.map(\.facts.record.id) == [run.record.id])
        let like = try RunFilter(parsing: "params.c LIKE '$1 ? \\\\ %'")
        #expect(try await index.search(RunQuery(filter: like)).runs.map(\.facts.record.id) == [run.record.id])
        #expect(try await index.search(RunQuery()).runs.count == 2)
    }

    func keepsTheLaterReadOfARun() async throws {
        let index = try make()
        var generator = RandomRunFacts(seed: 4)
        var later = generator.run(index: 1)
        later.tags = ["read": "later"]
        var earlier = later
        earlier.tags = ["read": "earlier"]
        try await index.update(runs: [IndexedRun(facts: later, stamp: "7:10:2000\tf/run.json\n-\tf/tags.json")], removing: [], experiments: [])
        // A process that read the run before committed after: its read is not kept.
        try await index.update(runs: [IndexedRun(facts: earlier, stamp: "7:10:1000\tf/run.json\n-\tf/tags.json")], removing: [], experiments: [])
        #expect(try await index.facts(of: [later.record.id]).first?.tags == ["read": "later"])
        var newest = later
        newest.tags = ["read": "newest"]
        try await index.update(runs: [IndexedRun(facts: newest, stamp: "8:12:3000\tf/run.json\n-\tf/tags.json")], removing: [], experiments: [])
        #expect(try await index.facts(of: [later.record.id]).first?.tags == ["read": "newest"])
    }

    /// Writers at once (several servers): every run ends up as its last update, none lost, none doubled.
    func takesConcurrentWriters() async throws {
        var generator = RandomRunFacts(seed: 11)
        let runs = (0..<120).map { generator.run(index: $0) }
        let make = self.make
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    let index = try make()
                    // Overlapping slices: each run is written by two writers.
                    let slice = Array(runs[(writer * 30)..<min(runs.count, writer * 30 + 60)])
                    for chunk in stride(from: 0, to: slice.count, by: 7) {
                        try await index.update(runs: Self.indexed(Array(slice[chunk..<min(slice.count, chunk + 7)])), removing: [], experiments: [])
                    }
                }
            }
            try await group.waitForAll()
        }
        let index = try make()
        #expect(try await index.stamps(in: nil).count == runs.count)
        #expect(try await index.facts(of: runs.map(\.record.id)) == runs)
    }
}
