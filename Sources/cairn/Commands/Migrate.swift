import ArgumentParser
import CairnCore
import CairnKit

extension Cairn {
    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move an adopted tree to another layout, safely: plan, check, journal, move, verify.",
            discussion: """
                Shows the plan (every source -> target; collisions and files the target layout has no \
                place for are reported and nothing moves), then moves each file: a hard link then an \
                unlink within a file system, a copy verified by sha256 then a removal across file \
                systems. A killed migration is finished with --resume or undone with --rollback. \
                Seed 003's flat checkpoints/ folder moves into checkpoints/<type>/ with \
                'cairn adopt --layout typed-folders-legacy' then 'cairn migrate --to typed-folders'.
                """)

        @Argument(help: "The store's root (default: --store, $CAIRN_STORE, or the nearest store upwards).", completion: .directory)
        var path: String?

        @Option(help: "The layout to move to ('cairn layout ls').")
        var to: String?

        @Option(name: .customLong("map"), help: ArgumentHelp("A source field that gives a target field of another name (repeatable).", valueName: "SOURCE=TARGET"))
        var maps: [String] = []

        @Flag(help: "Show the plan; move nothing.")
        var dryRun = false

        @Flag(help: "Finish a migration that was interrupted.")
        var resume = false

        @Flag(help: "Undo a migration that was interrupted.")
        var rollback = false

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: JSONFlag

        func validate() throws {
            if resume && rollback { throw ValidationError("--resume and --rollback exclude each other") }
            if !resume && !rollback && to == nil { throw ValidationError("give --to LAYOUT (or --resume / --rollback)") }
        }

        func run() throws {
            let store = try path.map { try Store.open(at: $0) } ?? storeOptions.open()
            let bar = ProgressBar(label: rollback ? "rolling back" : "migrating", enabled: !output.json)
            let update: (Int, Int) -> Void = { done, total in bar.update(done: Int64(done), total: Int64(total), unit: .count) }
            if resume || rollback {
                let report = try resume ? store.resumeMigration(progress: update) : store.rollbackMigration(progress: update)
                bar.finish()
                guard let report else {
                    Terminal.out("No unfinished migration in \(store.root): nothing to do")
                    return
                }
                try print(report, rolledBack: rollback)
                return
            }
            let mapping = try FieldMapping(pairs: maps)
            let report = try store.migrate(to: to!, mapping: mapping, dryRun: dryRun, progress: update)
            bar.finish()
            try print(report, rolledBack: false)
            if !report.plan.isExecutable { throw ProcessExit(code: 1) }
        }

        private func print(_ report: MigrationReport, rolledBack: Bool) throws {
            let plan = report.plan
            if output.json {
                try JSONOutput.print([
                    "from": plan.from, "to": plan.to, "executed": report.executed, "moved": report.moved,
                    "moves": plan.moves.map { ["source": $0.source, "target": $0.target] },
                    "unchanged": plan.unchanged, "problems": plan.problems, "left_in_place": plan.leftInPlace,
                ] as [String: Any])
                return
            }
            if !report.executed {
                for move in plan.moves { Terminal.out("\(move.source) -> \(move.target)") }
            }
            for problem in plan.problems { Terminal.out("problem: \(problem)") }
            if !plan.leftInPlace.isEmpty {
                Terminal.out("\(plan.leftInPlace.count) file(s) the layout \(plan.from) does not explain stay where they are:")
                for file in plan.leftInPlace { Terminal.out("  \(file)") }
            }
            if !plan.isExecutable {
                Terminal.out("Nothing moved: \(plan.problems.count) problem(s) above")
            } else if report.executed {
                Terminal.out(rolledBack ? "Rolled back: \(report.moved) files moved back; the layout is \(plan.to) again"
                                        : "Migrated to \(plan.to): \(report.moved) files moved")
            } else if plan.moves.isEmpty {
                Terminal.out("Nothing to move: the tree already follows \(plan.to)")
            } else {
                Terminal.out("Plan: \(plan.moves.count) files move from \(plan.from) to \(plan.to), \(plan.unchanged) stay (dry run: nothing moved)")
            }
        }
    }
}
