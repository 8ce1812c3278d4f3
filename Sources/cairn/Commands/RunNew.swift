import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.RunGroup {
    struct RunNew: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "Create a run and print its folder (--json: the run).",
            discussion: "The run is RUNNING until 'cairn run finish' or 'cairn run fail'; its lease is held by the calling process (use --owner-pid to name another).")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var runOptions: RunCreationOptions
        @Option(help: "The process that owns the run while it is RUNNING (default: the parent of cairn, i.e. the calling script).")
        var ownerPid: Int32?
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            var request = try runOptions.request(in: store)
            request.command = CommandLine.arguments
            request.owner = ownerPid.map { LeaseOwner(pid: $0) } ?? .parentProcess
            let run = try store.createRun(request)
            try output.print(store.info(of: run)) { $0.folder }
        }
    }
}
