import ArgumentParser
import Foundation
import CairnCore
import CairnKit

extension Cairn {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train a small model in pure Swift for three settings, each a Cairn run, and show the runs.",
            discussion: "DIR becomes a store if it is not one yet (default: ./cairn-demo). Running it again adds three more runs.")

        @Argument(help: "The store to use or create.", completion: .directory)
        var directory: String = "cairn-demo"

        private func openOrCreateStore() throws(CairnError) -> Store {
            do {
                return try Store.open(at: directory)
            } catch {
                guard error.kind == .storeNotFound else { throw error }
            }
            let store = try Store.initialize(at: directory)
            Terminal.out("Initialized a Cairn store in \(store.root)")
            return store
        }

        func run() throws {
            let store = try openOrCreateStore()
            Terminal.out("Training a \(CairnKit.Demo.experimentName) MLP for \(DemoSettings.standard.count) settings…")
            let runs = try CairnKit.Demo.run(in: store) { event in
                switch event {
                case .runStarted(let run, let setting):
                    Terminal.out("  \(run.id.value)  " + setting.name.padding(toLength: 9, withPad: " ", startingAt: 0) + " hidden=" + String(setting.hidden).padding(toLength: 3, withPad: " ", startingAt: 0) + " lr=" + String(setting.learningRate).padding(toLength: 4, withPad: " ", startingAt: 0) + " "
                                 + "→ \(run.absoluteFolder)")
                case .epoch:
                    break
                case .runEnded:
                    break
                }
            }
            let experiment = try store.experiment(named: try ExperimentName(CairnKit.Demo.experimentName))
            let byID = Set(runs.map(\.id))
            var table = Table("RUN", "NAME", "STATUS", "DURATION", "VAL ACC", "BEST ACC (EPOCH)", "VAL LOSS")
            for summary in try store.runs(in: experiment) where byID.contains(summary.run.id) {
                let location = try store.resolveRun(summary.run.id.value)
                let tags = try store.tags(of: location)
                table.add([summary.run.id.value, summary.run.record.name ?? "-", Formatting.status(summary),
                           Formatting.duration(summary.run.record.durationSeconds), tags["result.val_accuracy"] ?? "-",
                           "\(tags["result.best_val_accuracy"] ?? "-") (\(tags["result.best_epoch"] ?? "-"))",
                           tags["result.val_loss"] ?? "-"])
            }
            Terminal.out("\n" + table.text)
            Terminal.out("\nNext: cairn run ls --store \(store.root)   ·   cairn run show --store \(store.root) \(runs.last?.id.value ?? "RUN")")
        }
    }
}
