import ArgumentParser
import CairnCore
import CairnKit

/// `ckpt best` and `ckpt last`: one checkpoint a pointer names.
struct PointerQuery: ParsableArguments {
    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: ArgumentHelp("The run (default: $CAIRN_RUN_ID).", valueName: "run")) var runArgument: String?
    @OptionGroup var output: JSONFlag

    func show(_ name: String) throws {
        let store = try storeOptions.open()
        let view = try RunCheckpoints.view(store: store, run: try RunReference.resolve(runArgument))
        guard let entry = view.entry(pointer: name) else {
            let why = name == "best" ? "no checkpoint is best yet (the policy in force monitors no metric, or none was saved)"
                                     : "no checkpoint was saved yet"
            throw CairnError(.notFound, "run \(view.runFolder.split(separator: "/").last ?? ""): \(why)",
                             hint: name == "best" ? "save with --monitor METRIC (or set checkpoint.monitor) to rank checkpoints" : "save one with 'cairn ckpt save'")
        }
        if output.json {
            var object = CheckpointJSON.entry(entry, runFolder: view.runFolder, pointers: [name])
            object["pointer"] = view.pointerPaths[name] ?? ""
            try JSONOutput.print(object)
        } else {
            Terminal.out(view.absolutePath(entry))
        }
    }
}

extension Cairn.Ckpt {
    struct CkptBest: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "best", abstract: "Print the best checkpoint of a run.")
        @OptionGroup var query: PointerQuery
        func run() throws { try query.show("best") }
    }

    struct CkptLast: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "last", abstract: "Print the last checkpoint of a run.")
        @OptionGroup var query: PointerQuery
        func run() throws { try query.show("last") }
    }
}
