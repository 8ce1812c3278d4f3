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
            /// For a symbolic link the migration rewrites: its new text (null for other files).
            public var link: String?

            /// A move.
            /// - Parameters:
            ///   - source: where the file or folder is, relative to the tree.
            ///   - target: where it goes, relative to the tree.
            ///   - link: a rewritten link's new text.
            public init(source: String, target: String, link: String? = nil) {
                self.source = source
                self.target = target
                self.link = link
            }

            /// Every key, `link` as null for a file that is not a rewritten link.
            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(source, forKey: .source)
                try container.encode(target, forKey: .target)
                try container.encode(link, forKey: .link)
            }

            enum CodingKeys: String, CodingKey { case source, target, link }
        }

        /// The files one cause stops.
        public struct Problem: Codable, Sendable, Equatable {
            /// What is wrong, the same words for each of its files.
            public var cause: String
            /// How many files it stops.
            public var count: Int
            /// The first of them (or what happens to it), as an example.
            public var example: String
            /// Every file it stops, relative to the tree.
            public var paths: [String]

            public init(_ group: MigrationProblemGroup) {
                cause = group.cause
                count = group.count
                example = group.example
                paths = group.paths
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
        /// What stops the plan (collisions, checkpoints the target cannot name, files that would change
        /// what they are), one entry per cause; nothing moves while there is one.
        public var problems: [Problem]
        /// Files the target layout has no other name for, moving with their run to its `extra` place.
        public var extras: [String]
        /// Files that stay where they are (in no run folder, or extras of a run with no single new place).
        public var leftInPlace: [String]
        /// Values in runs' configs that name moved files.
        public var configReferences: [ConfigReference]
        /// Whether those configs were rewritten (`--rewrite-configs`).
        public var configsRewritten: Bool

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
            moves = report.plan.moves.map { Move(source: $0.source, target: $0.target, link: $0.link?.to) }
            unchanged = report.plan.unchanged
            problems = report.plan.problemGroups.map(Problem.init)
            extras = report.plan.extras
            leftInPlace = report.plan.leftInPlace
            configReferences = report.configReferences
            configsRewritten = report.configsRewritten
        }

        enum CodingKeys: String, CodingKey {
            case from, to, executed, moved, moves, unchanged, problems, extras
            case rolledBack = "rolled_back"
            case leftInPlace = "left_in_place"
            case configReferences = "config_references"
            case configsRewritten = "configs_rewritten"
        }
    }
}
