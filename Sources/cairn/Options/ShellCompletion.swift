import ArgumentParser
import Foundation
import CairnCore
import CairnKit

/// What the shell offers at TAB for the arguments that name things in a store: run ids, experiment
/// names, layouts. The store is the one the command line names (`--store DIR`), else `$CAIRN_STORE`,
/// else the nearest store upwards, as for the command itself. Completion never fails loudly: with no
/// store, or a broken one, it offers nothing and the shell falls back to its own completion.
enum ShellCompletion {
    /// Run ids, newest first (of the experiment named on the line, if any, else of the whole store).
    static let runs = CompletionKind.custom { words, _, prefix in
        candidates(words, prefix: prefix) { store in
            let experiment = experimentName(in: words).flatMap { try? store.experimentIfPresent(named: $0) }
            return try store.runIDs(in: experiment).map(\.value)
        }
    }

    /// Run ids, with `latest` first (a run of the experiment named on the line).
    static let runsOrLatest = CompletionKind.custom { words, _, prefix in
        candidates(words, prefix: prefix) { store in
            let experiment = experimentName(in: words).flatMap { try? store.experimentIfPresent(named: $0) }
            return ["latest"] + (try store.runIDs(in: experiment).map(\.value))
        }
    }

    /// Experiment names.
    static let experiments = CompletionKind.custom { words, _, prefix in
        candidates(words, prefix: prefix) { store in try store.experiments().map(\.name.description) }
    }

    /// The store's config templates.
    static let templates = CompletionKind.custom { words, _, prefix in
        candidates(words, prefix: prefix) { store in try store.templates().map(\.name) }
    }

    /// Experiment names, then run ids (`cairn path TARGET`, `cairn ckpt latest TARGET`).
    static let experimentsOrRuns = CompletionKind.custom { words, _, prefix in
        candidates(words, prefix: prefix) { store in
            try store.experiments().map(\.name.description) + store.runIDs().map(\.value)
        }
    }

    /// The files among the artifacts of the run named on the line (`cairn artifact get|ls RUN <TAB>`),
    /// as paths inside its `artifacts/` folder.
    static let artifactPaths = CompletionKind.custom { words, _, prefix in
        candidates(words, prefix: prefix) { store in
            guard let id = firstArgument(after: "get", in: words) ?? firstArgument(after: "ls", in: words) else { return [] }
            return try store.artifactPaths(of: try store.run(.text(id)))
        }
    }

    /// The layouts the store knows, or the built-in ones outside a store.
    static let layouts = CompletionKind.custom { words, _, prefix in layoutNames(words, prefix: prefix) }

    /// `auto`, then the layouts (`cairn adopt --layout`).
    static let layoutsOrAuto = CompletionKind.custom { words, _, prefix in
        (["auto"].filter { $0.hasPrefix(prefix) }) + layoutNames(words, prefix: prefix)
    }

    /// The store's candidates that start with `prefix`; none when there is no usable store.
    private static func candidates(_ words: [String], prefix: String,
                                   _ list: (Store) throws -> [String]) -> [String] {
        guard let store = try? Store.locateIfPresent(explicit: storeOption(in: words),
                                                     environment: ProcessInfo.processInfo.environment),
              let names = try? list(store) else { return [] }
        return names.filter { $0.hasPrefix(prefix) }
    }

    /// The names of the layouts the store knows, or of the built-in ones outside a store.
    private static func layoutNames(_ words: [String], prefix: String) -> [String] {
        let store = try? Store.locateIfPresent(explicit: storeOption(in: words), environment: ProcessInfo.processInfo.environment)
        return (store.map(\.layouts) ?? Store.builtinLayouts).map(\.name).filter { $0.hasPrefix(prefix) }
    }

    /// The value of `--store DIR` or `--store=DIR` on the line, `~/` expanded.
    static func storeOption(in words: [String]) -> String? {
        value(of: "--store", in: words).map { path in
            guard path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] else { return path }
            return home + path.dropFirst(1)
        }
    }

    /// The experiment named on the line by `-e`/`--experiment`, or by the first argument of `path`.
    static func experimentName(in words: [String]) -> ExperimentName? {
        let text = value(of: "--experiment", in: words) ?? value(of: "-e", in: words) ?? firstArgument(after: "path", in: words)
        return text.flatMap { try? ExperimentName($0) }
    }

    /// The first word after `command` that is neither an option nor the value of `--store`.
    private static func firstArgument(after command: String, in words: [String]) -> String? {
        guard let start = words.firstIndex(of: command) else { return nil }
        var index = start + 1
        while index < words.count - 1 {
            if words[index] == "--store" { index += 2; continue }
            if !words[index].hasPrefix("-") { return words[index] }
            index += 1
        }
        return nil
    }

    /// The value given to `option` on the line, as `OPTION VALUE` or `OPTION=VALUE`.
    private static func value(of option: String, in words: [String]) -> String? {
        for (index, word) in words.enumerated() {
            if word == option, words.indices.contains(index + 1) { return words[index + 1] }
            if word.hasPrefix(option + "=") { return String(word.dropFirst(option.count + 1)) }
        }
        return nil
    }
}
