/// What moving a tree from one layout to another would do, computed before anything moves.
public struct MigrationPlan: Sendable, Equatable {
    /// The layout the tree follows now, and the one it moves to.
    public var from: String
    public var to: String
    /// Every file that moves (and every link rewritten in place), in the order the moves run.
    public var moves: [MigrationMove]
    /// Files already where the target layout puts them.
    public var unchanged: Int
    /// What stops the migration: two sources for one target, a target that exists, a checkpoint the
    /// target cannot name, a file that would change what it is. Nothing moves while there is one.
    public var problems: [MigrationProblem]
    /// Files the target layout has no other name for, moved with their run to its `extra` place (among
    /// ``moves``), by source path.
    public var extras: [String]
    /// Files that stay where they are: in no run folder, or extras of a run that has no single place
    /// in the target layout.
    public var leftInPlace: [String]
    /// Each run folder's place in the target layout, by its place now, for the runs that have one.
    public var runFolders: [String: String]

    public init(from: String, to: String, moves: [MigrationMove], unchanged: Int, problems: [MigrationProblem],
                extras: [String] = [], leftInPlace: [String], runFolders: [String: String] = [:]) {
        self.from = from
        self.to = to
        self.moves = moves
        self.unchanged = unchanged
        self.problems = problems
        self.extras = extras
        self.leftInPlace = leftInPlace
        self.runFolders = runFolders
    }

    /// True when the plan can run: no problems.
    public var isExecutable: Bool { problems.isEmpty }

    /// The problems, one group per cause (in the order causes first appear), each with its files.
    public var problemGroups: [MigrationProblemGroup] {
        var order: [String] = []
        var byCause: [String: [MigrationProblem]] = [:]
        for problem in problems {
            if byCause[problem.cause] == nil { order.append(problem.cause) }
            byCause[problem.cause, default: []].append(problem)
        }
        return order.map { cause in
            let group = byCause[cause]!.sorted { $0.path < $1.path }
            return MigrationProblemGroup(cause: cause, paths: group.map(\.path), example: group[0].detail ?? group[0].path)
        }
    }
}
