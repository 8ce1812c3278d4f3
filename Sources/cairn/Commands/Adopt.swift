import ArgumentParser
import CairnCore
import CairnKit

extension Cairn {
    struct Adopt: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make an existing tree of runs a store in place: writes only cairn.yaml and .cairn/ (nothing with --store).",
            discussion: """
                Reads the tree with a layout (--layout NAME, or auto: the one that explains most files), \
                and records its experiments, runs, checkpoints (epoch/step/score from their names; best \
                and last), configs, metrics, event files and logs. No file of the tree is changed, and \
                checkpoints are not hashed (their sha256 is recorded by the first 'cairn ckpt verify' or \
                migration). Files no layout explains are listed.
                """)

        @Argument(help: "The tree's root folder.", completion: .directory)
        var path: String = "."

        @Option(help: "The layout the tree follows ('cairn layout ls'), or auto.")
        var layout: String = "auto"

        @Option(help: "Put the store (cairn.yaml, .cairn/) in this folder instead, leaving the tree untouched.", completion: .directory)
        var store: String?

        @Flag(help: "Only report what would be adopted.")
        var dryRun = false

        @OptionGroup var output: JSONFlag

        func run() throws {
            let bar = ProgressBar(label: "adopting", enabled: !output.json)
            let report = try Store.adopt(AdoptRequest(tree: path, layout: layout, storeRoot: store, dryRun: dryRun)) { _, done, total in
                bar.update(done: Int64(done), total: Int64(total ?? max(done, 1)), unit: .count)
            }
            bar.finish()
            if output.json {
                try JSONOutput.print(Self.json(report))
                return
            }
            let recognition = report.recognition
            let verb = report.dryRun ? "Would adopt" : "Adopted"
            Terminal.out("\(verb) \(report.tree) with the layout \(report.layout): \(recognition.experimentNames.count) experiments, "
                         + "\(recognition.runs.count) runs, \(report.checkpoints) checkpoints; "
                         + "\(recognition.explainedCount) of \(report.fileCount) files explained")
            if report.storeRoot != report.tree { Terminal.out("store: \(report.storeRoot)") }
            if report.ranking.count > 1 {
                Terminal.out("layouts tried (files explained): " + report.ranking.map { "\($0.layout) \($0.explained)" }.joined(separator: ", "))
            }
            if !recognition.unexplained.isEmpty {
                Terminal.out("\(recognition.unexplained.count) file\(recognition.unexplained.count == 1 ? "" : "s") no role of \(report.layout) explains (left as they are, not recorded):")
                for file in recognition.unexplained { Terminal.out("  \(file)") }
            }
            for line in report.skipped { Terminal.out("skipped: \(line)") }
            for line in report.warnings { Terminal.out("warning: \(line)") }
            if !report.dryRun { Terminal.out("Next: cairn run ls --store \(report.storeRoot)") }
        }

        static func json(_ report: AdoptReport) -> [String: Any] {
            [
                "tree": report.tree, "store": report.storeRoot, "layout": report.layout, "dry_run": report.dryRun,
                "files": report.fileCount, "explained": report.recognition.explainedCount,
                "checkpoints": report.checkpoints,
                "ranking": report.ranking.map { ["layout": $0.layout, "explained": $0.explained] as [String: Any] },
                "experiments": report.recognition.experimentNames,
                "runs": zip(report.recognition.runs, report.runIDs).map { run, id in
                    ["id": id.value, "folder": run.folder, "experiment": run.experimentName, "files": run.files.count] as [String: Any]
                },
                "unexplained": report.recognition.unexplained,
                "skipped": report.skipped, "warnings": report.warnings,
            ]
        }
    }
}
