import ArgumentParser
import Foundation
import CairnCore
import CairnFormats
import CairnKit

extension Cairn.Metric {
    struct MetricShow: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a run's metrics: a summary per key (last, min, max), or with --key the history.")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run (default: $CAIRN_RUN_ID).", valueName: "run")) var runArgument: String?
        @Option(help: "Only this metric, as a history.") var key: String?
        @Option(help: "Only this split.") var split: String?
        @Flag(help: "Print the history as CSV (time,step,epoch,key,value).") var csv = false
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let run = try store.run(try RunReference.resolve(runArgument))
            let splits = try split.map { [$0] } ?? store.metricSplits(of: run)
            var bySplit: [(String, [MetricPoint])] = []
            for name in splits {
                var points = try store.metrics(of: run, split: name)
                if let key { points = points.filter { $0.key == key } }
                bySplit.append((name, points))
            }
            if key != nil || csv {
                if csv {
                    Terminal.write(1, String(decoding: MetricsCSV.encode(bySplit.flatMap(\.1)), as: UTF8.self))
                } else if output.json {
                    try JSONOutput.print(bySplit.flatMap { split, points in points.map { Self.json($0, split: split) } })
                } else {
                    var table = Table("SPLIT", "STEP", "EPOCH", "KEY", "VALUE")
                    for (split, points) in bySplit {
                        for p in points { table.add([split, String(p.step), p.epoch.map(String.init) ?? "-", p.key, Formatting.number(p.value)]) }
                    }
                    Terminal.out(table.text)
                }
                return
            }
            var rows: [(String, MetricSummary)] = []
            for (split, points) in bySplit {
                for summary in MetricSummary.summaries(of: points).values.sorted(by: { $0.key < $1.key }) { rows.append((split, summary)) }
            }
            if output.json {
                try JSONOutput.print(rows.map { split, s in
                    ["split": split, "key": s.key, "count": s.count, "last": Self.value(s.last), "last_step": s.lastStep,
                     "min": s.min.map(Self.value) ?? NSNull(), "min_step": JSONOutput.optional(s.minStep),
                     "max": s.max.map(Self.value) ?? NSNull(), "max_step": JSONOutput.optional(s.maxStep)] as [String: Any]
                })
                return
            }
            if rows.isEmpty {
                Terminal.out("No metrics yet. Log some with 'cairn metric log RUN loss=0.5 --step 1'.")
                return
            }
            var table = Table("SPLIT", "KEY", "COUNT", "LAST (STEP)", "MIN (STEP)", "MAX (STEP)")
            for (split, s) in rows {
                table.add([split, s.key, String(s.count), "\(Formatting.number(s.last)) (\(s.lastStep))",
                           s.min.map { "\(Formatting.number($0)) (\(s.minStep ?? 0))" } ?? "-",
                           s.max.map { "\(Formatting.number($0)) (\(s.maxStep ?? 0))" } ?? "-"])
            }
            Terminal.out(table.text)
        }

        static func value(_ v: Double) -> Any { v.isFinite ? v : String(v) }

        static func json(_ p: MetricPoint, split: String) -> [String: Any] {
            ["split": split, "key": p.key, "step": p.step, "epoch": JSONOutput.optional(p.epoch), "value": value(p.value),
             "time": JSONOutput.optional(p.time)]
        }
    }
}
