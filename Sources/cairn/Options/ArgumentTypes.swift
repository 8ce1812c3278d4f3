import ArgumentParser
import Foundation
import CairnCore
import CairnKit

// The library's value types, read straight from the command line. Whatever they mean is checked by
// the library; here a word only has to have the right shape.

extension Assignment: ExpressibleByArgument {
    /// `KEY=VALUE`, split at the first `=`.
    public init?(argument: String) { self.init(argument) }
}

extension RunReference: ExpressibleByArgument {
    /// A run id, a unique prefix of one, or `latest` where an experiment is given.
    public init?(argument: String) { self = .text(argument) }
    /// TAB offers the store's run ids, newest first.
    public static var defaultCompletionKind: CompletionKind { ShellCompletion.runs }
}

extension CheckpointSelector: ExpressibleByArgument {
    /// `best`, `last`, `epoch=N` or `step=N`.
    public init?(argument: String) { self.init(argument) }
    public static var allValueStrings: [String] { spellings }
    /// TAB offers `best`, `last`, `epoch=` and `step=` (the number is the user's to type).
    public static var defaultCompletionKind: CompletionKind { .list(["best", "last", "epoch=", "step="]) }
}

extension CheckpointPolicy.SaveStrategy: ExpressibleByArgument {
    /// TAB offers `best`, `last` and `all`, never file names.
    public static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}
extension CheckpointPolicy.Mode: ExpressibleByArgument {
    /// TAB offers `min` and `max`.
    public static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}
extension CheckpointSource.Transfer: EnumerableFlag {}

/// A comma-separated list of epochs (`10,15`).
struct EpochList: ExpressibleByArgument {
    var epochs: [Int]

    init?(argument: String) {
        var epochs: [Int] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let epoch = Int(part.trimmingCharacters(in: .whitespaces)) else { return nil }
            epochs.append(epoch)
        }
        self.epochs = epochs
    }
}
