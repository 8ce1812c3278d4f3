import ArgumentParser
import Glibc
import CairnCore
import CairnKit

extension Cairn {
    struct Agent: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve one run to a client on standard input and output (what the Python client starts).",
            discussion: """
                Speaks the agent protocol (docs/FORMAT.md, 'Agent protocol'): the client's first request, \
                'hello', creates the run; metrics, params, tags and checkpoints follow. The agent ends when \
                the client closes its end; a client that did not finish the run (it died) leaves it KILLED, \
                with everything it had handed over written. Under 'cairn exec' the client uses exec's socket \
                ($CAIRN_SOCKET) instead.
                """)

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            // A client that goes away must not kill the agent before it has written what it was given.
            signal(SIGPIPE, SIG_IGN)
            let store = try StoreOptions.open(storeOptions.store)
            _ = try store.serveAgent(input: 0, output: 1)
        }
    }
}
