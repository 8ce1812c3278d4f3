import ArgumentParser
import CairnCore
import CairnKit

/// `ckpt best` and `ckpt last`: the checkpoint a pointer names.
struct PointerQuery: ParsableArguments {
    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: ArgumentHelp("The run (default: $CAIRN_RUN_ID).", valueName: "run")) var runReference: RunReference?
    @OptionGroup var output: JSONFlag

    func show(_ name: String) throws {
        let store = try storeOptions.open()
        let view = try RunCheckpoints.read(store: store, run: try store.run(runReference ?? .environment))
        try output.print(try view.checkpoint(.pointer(name))) { $0.path }
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
