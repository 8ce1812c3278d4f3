import ArgumentParser
import CairnCore

/// A run status for `--status` (`FAILED`, any case), or several comma-separated (`FAILED,KILLED`).
struct StatusArgument: ExpressibleByArgument, Sendable {
    let statuses: [RunStatus]

    init?(argument: String) {
        var statuses: [RunStatus] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let status = RunStatus(rawValue: part.uppercased()) else { return nil }
            statuses.append(status)
        }
        self.statuses = statuses
    }

    /// TAB offers the statuses.
    static var defaultCompletionKind: CompletionKind { .list(RunStatus.allCases.map(\.rawValue)) }
}
