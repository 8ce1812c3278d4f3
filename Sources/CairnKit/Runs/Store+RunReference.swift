import Foundation
import CairnCore

extension Store {
    /// The run a user's reference names: the one place a run is looked up by text.
    ///
    /// ```swift
    /// let run = try store.run(RunReference(arguments.first))   // nil: the run in $CAIRN_RUN_ID
    /// let latest = try store.run(.text("latest"), in: try store.experiment(named: try ExperimentName("vae/baseline")))
    /// ```
    /// - Parameters:
    ///   - reference: an id, a unique prefix, `latest` (with `experiment`), or `$CAIRN_RUN_ID`.
    ///   - experiment: look only in this experiment (nil: the whole store).
    ///   - environment: where `CAIRN_RUN_ID` is read (the process's environment by default).
    /// - Throws: `CairnError` of kind `.invalidValue` when the reference is empty and
    ///   `CAIRN_RUN_ID` is not set; `.notFound` or `.ambiguous` (listing
    ///   candidates) when no run or several match.
    /// - Returns: the run, read from its `run.json`.
    public func run(_ reference: RunReference, in experiment: ExperimentRecord? = nil,
                    environment: [String: String] = ProcessInfo.processInfo.environment) throws(CairnError) -> Run {
        switch reference {
        case .text(let text):
            return try run(text, in: experiment)
        case .environment:
            guard let id = environment[RunReference.environmentVariable], !id.isEmpty else {
                throw CairnError(.invalidValue, "no run given and \(RunReference.environmentVariable) is not set",
                                 hint: "name the run (its id or a unique prefix; 'cairn run ls' lists them)")
            }
            return try run(id, in: experiment)
        }
    }

    /// What a word names where either an experiment or a run may be meant (`cairn path WORD`,
    /// `cairn ckpt latest WORD`): an experiment with exactly that name wins over a run id prefix.
    /// - Parameter word: the word the user typed.
    /// - Returns: the experiment, or else the run.
    /// - Throws: `CairnError` of kind `.notFound` when it names neither; `.ambiguous` when it is a run
    ///   id prefix several runs share.
    public func experimentOrRun(_ word: String) throws(CairnError) -> ExperimentOrRun {
        let name = try? ExperimentName(word)
        if let name, let experiment = try experimentIfPresent(named: name) {
            return .experiment(experiment)
        }
        if word.contains("/"), name != nil {  // a run id has no '/': only an experiment is meant
            throw CairnError(.notFound, "no experiment named \(NameComponent.quoted(word)) in the store '\(root)'",
                             hint: "'cairn exp ls' lists the experiments; 'cairn exp new \(word)' creates one")
        }
        do {
            return .run(try run(.text(word)))
        } catch where error.kind == .notFound || error.kind == .invalidName {
            throw CairnError(.notFound, "no experiment or run named \(NameComponent.quoted(word)) in the store '\(root)'",
                             hint: "'cairn exp ls' and 'cairn run ls' list them")
        }
    }
}
