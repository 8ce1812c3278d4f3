import ArgumentParser
import CairnCore
import CairnKit

extension Cairn {
    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move an adopted tree to another layout, safely: plan, check, journal, move, verify.",
            discussion: """
                Shows the plan (every source -> target; collisions and checkpoints the target layout cannot name are \
                reported and nothing moves), then moves each file: a hard link then an unlink within a file system, a copy \
                verified by sha256 then a removal across file systems. Files the target layout has no other name for move \
                with their run; relative links are rewritten to name the same files; files go back where they were when the \
                tree returns to a layout it left; values in runs' configs that name moved files are listed (rewritten with \
                --rewrite-configs). Problems go to stderr, one line per cause. A killed migration is finished with --resume \
                or undone with --rollback. The typed-folders convention's old flat checkpoints/ folder moves into \
                checkpoints/<type>/ with 'cairn adopt --layout typed-folders-legacy' then 'cairn migrate --to typed-folders'.
                """)

        @Argument(help: "The store's root (default: --store, $CAIRN_STORE, or the nearest store upwards).", completion: .directory)
        var path: String?
        @Option(help: "The layout to move to ('cairn layout ls').", completion: ShellCompletion.layouts) var to: String?
        @Option(name: .customLong("map"), help: ArgumentHelp("A source field that gives a target field of another name (repeatable).", valueName: "SOURCE=TARGET"))
        var maps: [String] = []
        @Flag(help: "Show the plan; move nothing.") var dryRun = false
        @Flag(help: "Rewrite the values in runs' configs that name moved files (atomically), not only list them.") var rewriteConfigs = false
        @Flag(help: "Finish a migration that was interrupted.") var resume = false
        @Flag(help: "Undo a migration that was interrupted.") var rollback = false
        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: JSONFlag

        func validate() throws {
            if resume && rollback { throw ValidationError("--resume and --rollback exclude each other") }
            if !resume && !rollback && to == nil { throw ValidationError("give --to LAYOUT (or --resume / --rollback)") }
        }

        func run() throws {
            let store = try path.map { path throws(CairnError) in try Store.open(at: path, logger: StoreOptions.logger) } ?? storeOptions.open()
            let bar = ProgressBar(label: rollback ? "rolling back" : "migrating", enabled: !output.json)
            let update: (Int, Int) -> Void = { done, total in bar.update(done: Int64(done), total: Int64(total), unit: .count) }
            guard let to, !resume, !rollback else {
                let report = try resume ? store.resumeMigration(progress: update) : store.rollbackMigration(progress: update)
                bar.finish()
                return try output.print(report.map { CairnAPI.Migration($0, rolledBack: rollback) }) { report in
                    guard let report else { return "No unfinished migration in \(store.root): nothing to do" }
                    return MigrationText.report(report)
                }
            }
            let report = try store.migrate(to: to, mapping: try FieldMapping(pairs: maps), dryRun: dryRun, rewriteConfigs: rewriteConfigs,
                                           progress: update)
            bar.finish()
            let result = CairnAPI.Migration(report)
            try output.print(result, text: MigrationText.report)
            if !report.plan.isExecutable {
                for line in MigrationText.problems(result) { Terminal.error(line) }
                throw ProcessExit(code: 1)
            }
        }
    }
}
