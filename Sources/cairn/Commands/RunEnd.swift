import ArgumentParser
import CairnCore
import CairnKit

/// The arguments of `run finish` and `run fail`.
struct RunEndOptions: ParsableArguments {
    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: ArgumentHelp("The run: its id or a unique prefix (default: $CAIRN_RUN_ID).", valueName: "run"))
    var run: RunReference?
    @OptionGroup var output: JSONFlag

    func end(as status: RunStatus) throws {
        let store = try storeOptions.open()
        let ended = try store.endRun(try store.run(run ?? .environment), status: status)
        try output.print(store.info(of: ended), text: RunText.ended)
    }
}

extension Cairn.RunGroup {
    struct RunFinish: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "finish", abstract: "Mark a run FINISHED.")
        @OptionGroup var options: RunEndOptions
        func run() throws { try options.end(as: .finished) }
    }

    struct RunFail: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "fail", abstract: "Mark a run FAILED.")
        @OptionGroup var options: RunEndOptions
        func run() throws { try options.end(as: .failed) }
    }
}
