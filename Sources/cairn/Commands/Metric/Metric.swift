import ArgumentParser

extension Cairn {
    struct Metric: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Log and show a run's metrics (metrics/<split>/metrics.csv, one row per point).",
            subcommands: [MetricLog.self, MetricShow.self])
    }
}
