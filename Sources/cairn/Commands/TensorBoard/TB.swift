import ArgumentParser

extension Cairn {
    struct TB: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tb",
            abstract: "Export a run's metrics to a TensorBoard event file, or import scalars from any event file.",
            subcommands: [TBExport.self, TBImport.self])
    }
}
