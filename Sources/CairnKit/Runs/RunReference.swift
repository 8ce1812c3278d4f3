import CairnCore

/// How a user names a run: its id or a unique prefix of one (like git), `latest` within an
/// experiment, or nothing, meaning `$CAIRN_RUN_ID` (which `cairn exec` sets for the command it runs).
///
/// A reference is resolved once, at the edge (``Store/run(_:in:environment:)``); everything after
/// works on the ``Run`` it names.
public enum RunReference: Sendable, Hashable, CustomStringConvertible {
    /// A run id, a unique prefix of one, or `latest` (with an experiment).
    case text(String)
    /// The run in `$CAIRN_RUN_ID`.
    case environment

    /// The variable `cairn exec` sets to the id of the run it created.
    public static let environmentVariable = "CAIRN_RUN_ID"

    /// A reference from an optional argument: the text, or `$CAIRN_RUN_ID` when none was given.
    /// - Parameter argument: what the user typed for the run, if anything.
    public init(_ argument: String?) {
        self = argument.map { .text($0) } ?? .environment
    }

    /// Splits `[RUN] REST...` words: the first word is the run when `isRun` says so, else the run is
    /// `$CAIRN_RUN_ID` and every word is in the rest.
    /// - Parameters:
    ///   - words: the words as given.
    ///   - isRun: whether the first word names a run (e.g. it holds no `=`, or is not an existing path).
    /// - Returns: the run reference and the words after it.
    public static func leading(_ words: [String], isRun: (String) -> Bool) -> (run: RunReference, rest: [String]) {
        guard let first = words.first, isRun(first) else { return (.environment, words) }
        return (.text(first), Array(words.dropFirst()))
    }

    /// The text, or `$CAIRN_RUN_ID`.
    public var description: String {
        switch self {
        case .text(let text): text
        case .environment: "$" + Self.environmentVariable
        }
    }
}
