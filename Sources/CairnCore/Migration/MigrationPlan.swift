/// What moving a tree from one layout to another would do, computed before anything moves.
public struct MigrationPlan: Sendable, Equatable {
    /// The layout the tree follows now, and the one it moves to.
    public var from: String
    public var to: String
    /// Every file that moves, in the order the moves run.
    public var moves: [MigrationMove]
    /// Files already where the target layout puts them.
    public var unchanged: Int
    /// Problems that stop the migration: two sources for one target, a target that exists, a file
    /// the target layout has no place for. Each is one line naming the paths.
    public var problems: [String]
    /// Files the source layout does not explain: they stay where they are.
    public var leftInPlace: [String]

    public init(from: String, to: String, moves: [MigrationMove], unchanged: Int, problems: [String], leftInPlace: [String]) {
        self.from = from
        self.to = to
        self.moves = moves
        self.unchanged = unchanged
        self.problems = problems
        self.leftInPlace = leftInPlace
    }

    /// True when the plan can run: no problems.
    public var isExecutable: Bool { problems.isEmpty }
}
