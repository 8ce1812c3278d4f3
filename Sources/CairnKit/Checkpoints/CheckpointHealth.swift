import CairnCore

/// What reading a run's checkpoints against the disk found (``RunCheckpoints/inspect()``): the view
/// readers answer with, and what a repair under the run's lock would change.
struct CheckpointHealth: Sendable {
    /// A stable name (`best`, `last`…) that does not lead where the run's answer is.
    struct PointerProblem: Sendable, Equatable {
        enum Kind: String, Sendable {
            /// Nothing is at the stable name, though a checkpoint should be.
            case dangling
            /// The stable name leads to another checkpoint than the one the manifest names.
            case misplaced
            /// The manifest's pointer names a checkpoint that is gone: it moves to the best or last
            /// that exists (``expected``), or its stable name is removed when none exists.
            case moved
        }
        /// The pointer's name.
        var name: String
        /// The stable name, absolute.
        var path: String
        var kind: Kind
        /// The sequence number of the checkpoint it should lead to; nil when none exists.
        var expected: Int?
    }

    /// The checkpoints as readers answer them: missing ones marked, pointers that lead elsewhere not
    /// given as paths.
    var view: CheckpointView
    /// Saves begun and not committed nor aborted (a live save between its two events, or a dead one).
    var pending: [Int]
    /// Stable names that do not lead where the run's answer is.
    var pointerProblems: [PointerProblem]
    /// Temporary files and folders of writers that are gone (absolute paths).
    var abandoned: [String]

    /// Whether a repair under the run's lock has something to do.
    var needsRepair: Bool { !pending.isEmpty || !pointerProblems.isEmpty || !abandoned.isEmpty }
}
