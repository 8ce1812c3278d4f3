import CairnCore

extension CairnAPI {
    /// A migration's plan and, once executed, what moved (`cairn migrate`).
    public struct Migration: Codable, Sendable, Equatable {
        /// One file or folder and where it goes (paths relative to the tree).
        public struct Move: Codable, Sendable, Equatable {
            /// Where it is now (before the migration), relative to the tree.
            public var source: String
            /// Where the migration puts it, relative to the tree.
            public var target: String

            /// A move.
            /// - Parameters:
            ///   - source: where the file or folder is, relative to the tree.
            ///   - target: where it goes, relative to the tree.
            public init(source: String, target: String) {
                self.source = source
                self.target = target
            }
        }

        /// The layout the tree follows before the migration.
        public var from: String
        /// The layout it moves to.
        public var to: String
        /// True when the moves were carried out (false for `--dry-run` and for a plan with problems).
        public var executed: Bool
        /// True when this undid an interrupted migration (`--rollback`).
        public var rolledBack: Bool
        /// How many files were moved.
        public var moved: Int
        /// Every file or folder the plan moves, and where.
        public var moves: [Move]
        /// How many files already sit where the target layout puts them.
        public var unchanged: Int
        /// What stops the plan (collisions, files the target layout has no place for); nothing moves
        /// while there is one.
        public var problems: [String]
        /// Files the source layout does not explain: they stay where they are.
        public var leftInPlace: [String]

        /// The report of a migration.
        /// - Parameters:
        ///   - report: what the store did.
        ///   - rolledBack: whether it was a rollback.
        public init(_ report: MigrationReport, rolledBack: Bool = false) {
            from = report.plan.from
            to = report.plan.to
            executed = report.executed
            self.rolledBack = rolledBack
            moved = report.moved
            moves = report.plan.moves.map { Move(source: $0.source, target: $0.target) }
            unchanged = report.plan.unchanged
            problems = report.plan.problems
            leftInPlace = report.plan.leftInPlace
        }

        enum CodingKeys: String, CodingKey {
            case from, to, executed, moved, moves, unchanged, problems
            case rolledBack = "rolled_back"
            case leftInPlace = "left_in_place"
        }
    }
}
