import ArgumentParser
import Foundation
import CairnCore
import CairnDemo
import CairnKit

extension Cairn {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train a small model in pure Swift for three settings, each a Cairn run, and show the runs.",
            discussion: "DIR becomes a store if it is not one yet (default: ./cairn-demo). Running it again adds three more runs.")

        @Argument(help: "The store to use or create.", completion: .directory)
        var directory: String = "cairn-demo"

        func run() throws {
            let (store, created) = try CairnDemo.Demo.prepareStore(at: directory)
            if created { Terminal.out("Initialized a Cairn store in \(store.root)") }
            Terminal.out("Training a \(CairnDemo.Demo.experimentName) MLP for \(DemoSettings.standard.count) settings…")
            let report = try CairnDemo.Demo.run(in: store) { event in
                guard case .runStarted(let run, let setting) = event else { return }
                Terminal.out("  \(run.id.value)  " + pad(setting.name, 9) + " hidden=" + pad(String(setting.hidden), 3)
                             + " lr=" + pad(String(setting.learningRate), 4) + " → \(run.absoluteFolder)")
            }
            var table = Table("RUN", "NAME", "STATUS", "DURATION", "VAL ACC", "VAL LOSS", "BEST CKPT (VAL LOSS)", "LAST CKPT")
            for result in report.runs {
                let best = result.best.map { "epoch \($0.entry.epoch) (\(Formatting.number(result.bestValidationLoss ?? .nan)))" }
                table.add([result.run.id.value, result.run.record.name ?? "-", Formatting.status(CairnAPI.Run(result.summary)),
                           Formatting.duration(result.run.record.durationSeconds), CairnDemo.Demo.resultText(result.validationAccuracy),
                           CairnDemo.Demo.resultText(result.validationLoss), best ?? "-", result.last.map { "epoch \($0.entry.epoch)" } ?? "-"])
            }
            Terminal.out("\n" + table.text)
            if let winner = report.bestRun, let best = winner.best, let last = winner.last {
                Terminal.out("\nBest run: \(winner.run.record.name ?? winner.run.id.value) — checkpoints kept under the policy \(CairnDemo.Demo.policy):")
                Terminal.out("  best  \(best.path)\n  last  \(last.path)")
            }
            printLegacyTree(report.legacyTree)
            Terminal.out("\nNext: cairn run ls --store \(store.root)   ·   cairn ckpt ls --store \(store.root) \(report.runs.last?.run.id.value ?? "RUN")")
        }

        /// Adopting and migrating a tree of checkpoints kept the way teams hand-roll them.
        private func printLegacyTree(_ legacy: DemoLegacyTree.Outcome) {
            Terminal.out("\nA hand-rolled tree of these checkpoints (the typed-folders convention's old flat "
                         + "checkpoints/<type>_model_checkpoint_N/ and best_model/ folders):")
            Terminal.out("  adopted in place: \(legacy.adopted.recognition.runs.count) run, \(legacy.adopted.checkpoints) checkpoints, "
                         + "\(legacy.adopted.recognition.explainedCount) of \(legacy.adopted.fileCount) files explained (layout \(legacy.adopted.layout))")
            Terminal.out("  hashed: \(legacy.hashed) checkpoints verified, their sha256 recorded")
            Terminal.out("  migrated to typed-folders: \(legacy.migrated.moved) files moved into checkpoints/<type>/ → \(legacy.tree)")
            Terminal.out("  verified after the move: \(legacy.checked) checkpoints, \(legacy.carried) against their sha256 from before it, "
                         + (legacy.mismatches == 0 ? "all match" : "\(legacy.mismatches) do not match"))
        }

        private func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
    }
}
