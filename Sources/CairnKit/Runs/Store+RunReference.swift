import Foundation
import CairnCore

extension Store {
    /// The run a user's reference names.
    /// - Parameters:
    ///   - reference: an id, a unique prefix, `latest` (with `experiment`), or `$CAIRN_RUN_ID`.
    ///   - experiment: look only in this experiment (nil: the whole store).
    ///   - environment: where `CAIRN_RUN_ID` is read (the process's environment by default).
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/invalidValue`` when the reference is empty and
    ///   `CAIRN_RUN_ID` is not set; ``CairnError/Kind/notFound`` or ``CairnError/Kind/ambiguous`` (listing
    ///   candidates) when no run or several match.
    public func run(_ reference: RunReference, in experiment: ExperimentRecord? = nil,
                    environment: [String: String] = ProcessInfo.processInfo.environment) throws(CairnError) -> Run {
        switch reference {
        case .text(let text):
            return try run(at: try resolveRun(text, in: experiment))
        case .environment:
            guard let id = environment[RunReference.environmentVariable], !id.isEmpty else {
                throw CairnError(.invalidValue, "no run given and \(RunReference.environmentVariable) is not set",
                                 hint: "name the run (its id or a unique prefix; 'cairn run ls' lists them)")
            }
            return try run(at: try resolveRun(id, in: experiment))
        }
    }

    /// What a word names where either an experiment or a run may be meant (`cairn path WORD`,
    /// `cairn ckpt latest WORD`): an experiment with exactly that name wins over a run id prefix.
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/notFound`` when it names neither.
    public func experimentOrRun(_ word: String) throws(CairnError) -> ExperimentOrRun {
        if let name = try? ExperimentName(word), let experiment = try experimentIfPresent(named: name) {
            return .experiment(experiment)
        }
        do {
            return .run(try run(.text(word)))
        } catch where error.kind == .notFound || error.kind == .invalidName {
            throw CairnError(.notFound, "no experiment or run named \(NameComponent.quoted(word)) in the store '\(root)'",
                             hint: "'cairn exp ls' and 'cairn run ls' list them")
        }
    }
}
