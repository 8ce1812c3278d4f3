import Foundation
import CairnCore
import CairnDemo
import CairnKit

/// The demo's results as text.
enum DemoText {
    /// What the demo's store takes on disk, by kind, as `cairn du` shows it.
    static func disk(_ usage: CairnAPI.DiskUsage, store: String) -> String {
        let total = usage.total
        return "Disk (cairn du --store \(store)): \(Formatting.bytes(total.total)) in \(usage.runs.count) runs: checkpoints "
            + "\(Formatting.bytes(total.checkpoints)), metrics \(Formatting.bytes(total.metrics)), logs \(Formatting.bytes(total.logs)), "
            + "artifacts \(Formatting.bytes(total.artifacts)), other \(Formatting.bytes(total.other)); "
            + "cairn rm RUN moves a run to the trash (cairn trash ls|restore|empty)"
    }

    /// The runs table, the best run's checkpoints, the legacy-tree step and what to try next.
    static func report(_ report: DemoReport, store: String, found: [CairnAPI.Run] = [], replay: DemoAnswer.MLflowReplay? = nil) -> String {
        var table = Table("RUN", "NAME", "STATUS", "DURATION", "VAL ACC", "VAL LOSS", "BEST CKPT (VAL LOSS)", "LAST CKPT")
        for result in report.runs {
            let best = result.best.map { "epoch \(Formatting.optional($0.entry.epoch)) (\(Formatting.number(result.bestValidationLoss ?? .nan)))" }
            table.add([result.run.id.value, result.run.record.name ?? "-", Formatting.status(CairnAPI.Run(result.summary)),
                       Formatting.duration(result.run.record.durationSeconds), Demo.resultText(result.validationAccuracy),
                       Demo.resultText(result.validationLoss), best ?? "-", result.last.map { "epoch \(Formatting.optional($0.entry.epoch))" } ?? "-"])
        }
        var lines = ["", table.text]
        if let winner = report.bestRun, let best = winner.best, let last = winner.last {
            lines += ["", "Best run: \(winner.run.record.name ?? winner.run.id.value) — checkpoints kept under the policy \(Demo.policy):",
                      "  best  \(best.path)", "  last  \(last.path)"]
            if !winner.artifacts.isEmpty {
                lines += ["Its validation embeddings and predictions, saved as NumPy files where the layout puts them (sha256 in artifacts.jsonl):",
                          "  " + winner.artifacts.map(\.path).joined(separator: ", "),
                          "  list them: cairn artifact ls --store \(store) \(winner.run.id)   ·   one: cairn inspect --store \(store) --run \(winner.run.id) predictions/val_predictions.npy"]
            }
            if let average = report.average {
                lines += ["Its 2 best checkpoints averaged (cairn ckpt average \(winner.run.id) --top 2): validation loss "
                          + "\(Formatting.number(average.validationLoss)), accuracy \(Formatting.number(average.validationAccuracy)) "
                          + "(the best alone: \(Formatting.number(winner.bestValidationLoss ?? .nan)))",
                          "  \(average.safetensors.path)", "  \(average.torch.path)   (a PyTorch checkpoint: torch.load reads it; so does cairn inspect)"]
            }
        }
        if let fineTune = report.fineTune { lines += Self.fineTune(fineTune) }
        if let hygiene = report.diskHygiene {
            lines += ["", "Disk hygiene: cairn gc \(Demo.experimentName) --keep best,last --dry-run would delete \(hygiene.gcCheckpoints) checkpoints of "
                      + "\(hygiene.gcRunsExamined) runs, freeing \(Formatting.bytes(hygiene.gcBytes)) (nothing deleted)",
                      "  cairn archive create \(hygiene.archivedRun) -o …: \(hygiene.archivedFiles) files, \(Formatting.bytes(hygiene.archivedBytes)) → "
                      + "\(Formatting.bytes(hygiene.compressedBytes)) gzip, " + (hygiene.verified ? "verified" : "NOT verified") + ", a tar.gz GNU tar reads:",
                      "  \(hygiene.archive)   (cairn archive extract puts it back with its id; --remove would free its folder)"]
        }
        if !found.isEmpty {
            lines += ["", "Found by the store's index: cairn run ls -e \(Demo.experimentName) --filter \"\(Demo.searchFilter)\" --order-by \(Demo.searchOrdering)",
                      RunText.table(found, withExperiment: false, columns: ["params.model.hidden", "params.training.lr", Demo.searchOrdering])]
        }
        let legacy = report.legacyTree
        lines += ["", "A hand-rolled tree of these checkpoints (the typed-folders convention's old flat "
                  + "checkpoints/<type>_model_checkpoint_N/ and best_model/ folders):",
                  "  adopted in place: \(legacy.adopted.recognition.runs.count) run, \(legacy.adopted.checkpoints) checkpoints, "
                  + "\(legacy.adopted.recognition.explainedCount) of \(legacy.adopted.fileCount) files explained (layout \(legacy.adopted.layout))",
                  "  hashed: \(legacy.hashed) checkpoints verified, their sha256 recorded",
                  "  migrated to typed-folders: \(legacy.migrated.moved) files moved into checkpoints/<type>/ → \(legacy.tree)",
                  "  verified after the move: \(legacy.checked) checkpoints, \(legacy.carried) against their sha256 from before it, "
                  + (legacy.mismatches == 0 ? "all match" : "\(legacy.mismatches) do not match"),
                  "  kept writing after adoption: the next command found \(legacy.laterRuns) new run and \(legacy.laterCheckpoints) new checkpoints, no step needed",
                  "  migrated to Cairn's own layout (\(legacy.roundTrip.movedThere) files) and back (\(legacy.roundTrip.movedBack)): "
                  + (legacy.roundTrip.changedPaths == 0 ? "every path as before" : "\(legacy.roundTrip.changedPaths) paths differ")
                  + ", \(legacy.roundTrip.checked) checkpoints verified, "
                  + (legacy.roundTrip.mismatches == 0 ? "all match" : "\(legacy.roundTrip.mismatches) do not match"),
                  ] + Self.logdir(report.logdir) + Self.fileStore(report.fileStore) + Self.replay(replay) + [
                  "", Self.health(report.health),
                  "", "Next: cairn run ls --store \(store)   ·   cairn ckpt ls --store \(store) \(report.runs.last?.run.id.value ?? "RUN")"]
        return lines.joined(separator: "\n")
    }

    /// The TensorBoard step: the logdir adopted and its scalars read back.
    private static func logdir(_ step: DemoLogdir.Outcome?) -> [String] {
        guard let step else { return [] }
        return ["", "The same metrics as a TensorBoard logdir (runs/MonDD_HH-MM-SS_HOST/events.out.tfevents.*, as SummaryWriter() writes it):",
                "  adopted in place: \(step.adopted.recognition.runs.count) runs, one per folder of event files (layout \(step.adopted.layout)) → \(step.tree)",
                "  read back: \(step.read) of \(step.written) points, " + (step.mismatches == 0 ? "every step and value as logged" : "\(step.mismatches) differ")]
    }

    /// The MLflow file store step: `mlruns/` adopted and its runs read back.
    private static func fileStore(_ step: DemoFileStore.Outcome?) -> [String] {
        guard let step else { return [] }
        return ["", "The same runs as an MLflow file store (mlruns/ID/RUN_ID/meta.yaml, params/, tags/, metrics/, as mlflow writes it with MLFLOW_ALLOW_FILE_STORE):",
                "  adopted in place: \(step.adopted.recognition.runs.count) runs in '\(step.experimentName)' (id \(step.experimentID), from its meta.yaml), "
                    + "MLflow's run ids kept (layout \(step.adopted.layout)) → \(step.tree)",
                "  read back: " + (step.runMismatches == 0 ? "every run's name and params, " : "\(step.runMismatches) runs differ, ")
                    + "\(step.read) of \(step.written) points, " + (step.mismatches == 0 ? "every step, value and time as written" : "\(step.mismatches) differ"),
                "  migrated to \(step.migration.plan.to) (Cairn's EXPERIMENT/RUN_ID/ folders, MLflow's files moved with their run): \(step.migration.moved) files moved, "
                    + (step.mismatchesAfterMigration == 0 ? "every id, name, param and point as before" : "\(step.mismatchesAfterMigration) differ"),
                "  cairn serve --store \(step.adopted.storeRoot) answers the mlflow client for these runs with the same ids"]
    }

    /// The lifecycle step (template, fine-tuning from the best checkpoint, interruption, resume), in a few lines.
    private static func fineTune(_ step: DemoFineTune) -> [String] {
        ["", "Its config as the template '\(step.template)' (cairn template add), and a fine-tuning made from it (cairn exp new \(step.experiment) "
            + "--template \(step.template) --parent \(Demo.experimentName) --set \(DemoFineTune.overrides.joined(separator: " --set "))):",
         "  run \(step.interruptedRun) started from the parent's best checkpoint (validation accuracy \(Formatting.number(step.pretrainedValidationAccuracy))), "
            + "preempted after epoch \(step.interruptedAtEpoch) (KILLED by SIGTERM)",
         "  cairn resume \(step.interruptedRun): run \(step.resumedRun) (resumed_from \(step.resumedFrom)) loaded "
            + (step.resumeCheckpoint.split(separator: "/").last.map(String.init) ?? step.resumeCheckpoint)
            + (step.resumeStep.map { " (step \($0))" } ?? "") + ", trained epochs \(step.epochs.lowerBound)–\(step.epochs.upperBound) from step "
            + (step.firstResumedStep.map(String.init) ?? "-") + ": validation accuracy \(Formatting.number(step.validationAccuracy)), "
            + "loss \(Formatting.number(step.validationLoss))"]
    }

    /// The MLflow replay step, in a few lines.
    private static func replay(_ replay: DemoAnswer.MLflowReplay?) -> [String] {
        guard let replay else { return [] }
        return ["", "Through MLflow's REST API (cairn serve, in-process at \(replay.url)), as an MLflow client logs:",
                "  \(replay.points) metric points of the best run replayed in \(replay.requests) requests (log-batch, 1,000 a call) → run \(replay.run.id) of \(replay.run.experiment), \(replay.run.status)",
                "  in the store at \(replay.run.folder)",
                "  runs/search \"\(DemoMLflowReplay.searchFilter)\": " + (replay.foundBySearch ? "found" : "NOT found")
                + "; metrics/get-history: " + (replay.historyMatches ? "every point back" : "points missing"),
                "  try it: cairn serve --store <this store>, then MLFLOW_TRACKING_URI=http://127.0.0.1:5000 python train.py",
                "", "The web UI on the same server (cairn serve, then open http://127.0.0.1:5000/):",
                "  " + (replay.webUI.page ? "page served with its Content-Security-Policy" : "page NOT served")
                + "; its runs table lists \(replay.webUI.runs) runs of demo/*; the best run's loss (\(replay.webUI.chartPoints) points) "
                + "reaches a chart as \(replay.webUI.chartBuckets) buckets, min and max kept"]
    }

    /// The store's check at the end, in one line.
    private static func health(_ health: CairnAPI.Doctor) -> String {
        health.healthy ? "Store checked (cairn doctor): healthy, every run folder, checkpoint file and pointer where the records say"
                       : "Store checked (cairn doctor): \(health.found) problem\(health.found == 1 ? "" : "s") found; see 'cairn doctor'"
    }

    /// The line printed as each run starts.
    static func started(_ run: Run, _ setting: DemoSettings) -> String {
        "  \(run.id.value)  " + pad(setting.name, 9) + " hidden=" + pad(String(setting.hidden), 3)
            + " lr=" + pad(String(setting.learningRate), 4) + " → \(run.absoluteFolder)"
    }

    private static func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
}
