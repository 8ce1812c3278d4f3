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
            var ends: [RunID: (best: CheckpointEntry?, last: CheckpointEntry?)] = [:]
            let runs = try CairnKit.Demo.run(in: store) { event in
                switch event {
                case .runStarted(let run, let setting):
                    Terminal.out("  \(run.id.value)  " + setting.name.padding(toLength: 9, withPad: " ", startingAt: 0) + " hidden=" + String(setting.hidden).padding(toLength: 3, withPad: " ", startingAt: 0) + " lr=" + String(setting.learningRate).padding(toLength: 4, withPad: " ", startingAt: 0) + " "
                                 + "→ \(run.absoluteFolder)")
                case .epoch:
                    break
                case .runEnded(let run, let best, let last):
                    ends[run.id] = (best, last)
                }
            }
            let experiment = try store.experiment(named: try ExperimentName(CairnKit.Demo.experimentName))
            let byID = Set(runs.map(\.id))
            var table = Table("RUN", "NAME", "STATUS", "DURATION", "VAL ACC", "VAL LOSS", "BEST CKPT (VAL LOSS)", "LAST CKPT")
            for summary in try store.runs(in: experiment) where byID.contains(summary.run.id) {
                let location = try store.resolveRun(summary.run.id.value)
                let tags = try store.tags(of: location)
                let end = ends[summary.run.id]
                let best = end?.best.map { "epoch \($0.epoch) (\(Formatting.number($0.metrics["val_loss"] ?? .nan)))" } ?? "-"
                let last = end?.last.map { "epoch \($0.epoch)" } ?? "-"
                table.add([summary.run.id.value, summary.run.record.name ?? "-", Formatting.status(CairnAPI.Run(summary)),
                           Formatting.duration(summary.run.record.durationSeconds), tags["result.val_accuracy"] ?? "-",
                           tags["result.val_loss"] ?? "-", best, last])
            }
            Terminal.out("\n" + table.text)
            if let winner = runs.min(by: { (ends[$0.id]?.best?.metrics["val_loss"] ?? .infinity) < (ends[$1.id]?.best?.metrics["val_loss"] ?? .infinity) }),
               let best = ends[winner.id]?.best, let last = ends[winner.id]?.last {
                Terminal.out("\nBest run: \(winner.record.name ?? winner.id.value) — checkpoints kept under the policy \(CairnKit.Demo.policy):")
                Terminal.out("  best  \(winner.absoluteFolder)/\(best.path)")
                Terminal.out("  last  \(winner.absoluteFolder)/\(last.path)")
            }
            // Adopting and migrating a tree of checkpoints kept the way teams hand-roll them.
            let legacy = try DemoLegacyTree.showcase(store: store, runs: runs)
            Terminal.out("\nA hand-rolled tree of these checkpoints (seed 003's flat checkpoints/<type>_model_checkpoint_N/, best_model/):")
            Terminal.out("  adopted in place: \(legacy.adopted.recognition.runs.count) run, \(legacy.adopted.checkpoints) checkpoints, "
                         + "\(legacy.adopted.recognition.explainedCount) of \(legacy.adopted.fileCount) files explained (layout \(legacy.adopted.layout))")
            Terminal.out("  hashed: \(legacy.hashed) checkpoints verified, their sha256 recorded")
            Terminal.out("  migrated to typed-folders: \(legacy.migrated.moved) files moved into checkpoints/<type>/ → \(legacy.tree)")
            Terminal.out("  verified after the move: \(legacy.checked) checkpoints, \(legacy.carried) against their sha256 from before it, "
                         + (legacy.mismatches == 0 ? "all match" : "\(legacy.mismatches) do not match"))
            Terminal.out("\nNext: cairn run ls --store \(store.root)   ·   cairn ckpt ls --store \(store.root) \(runs.last?.id.value ?? "RUN")")
        }
    }
}
