import ArgumentParser
import CairnCore
import CairnKit

/// The arguments of `run finish` and `run fail`.
struct RunEndOptions: ParsableArguments {
    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The run: its id or a unique prefix (default: $CAIRN_RUN_ID).")
    var run: String?

    func end(as status: RunStatus) throws {
        let store = try storeOptions.open()
        let reference = try RunReference.resolve(run)
        let ended = try store.endRun(try store.resolveRun(reference), status: status)
        Terminal.out("Run \(ended.id) \(ended.record.status.rawValue) after \(Formatting.duration(ended.record.durationSeconds))")
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
