import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.Ckpt {
    struct CkptPath: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "path", abstract: "Print a checkpoint's path: best, last (their stable names), epoch=N or step=N.")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run.", valueName: "run")) var runArgument: String
        @Argument(help: "best | last | epoch=N | step=N") var which: String

        func run() throws {
            let store = try storeOptions.open()
            let view = try RunCheckpoints.view(store: store, run: runArgument)
            if which == "best" || which == "last" {
                guard view.entry(pointer: which) != nil, let path = view.pointerPaths[which] else {
                    throw CairnError(.notFound, "the run has no \(which) checkpoint yet", hint: "'cairn ckpt ls' lists its checkpoints")
                }
                Terminal.out(path)
                return
            }
            let (key, value) = try RunTags.parseAssignment(which, what: "checkpoint selector")
            guard let number = Int(value), key == "epoch" || key == "step" else {
                throw CairnError(.invalidValue, "'\(which)' is not best, last, epoch=N or step=N", hint: "e.g. cairn ckpt path RUN epoch=10")
            }
            guard let entry = key == "epoch" ? view.entry(epoch: number) : view.entry(step: number) else {
                throw CairnError(.notFound, "the run has no kept checkpoint at \(key) \(number)", hint: "'cairn ckpt ls' lists its checkpoints")
            }
            Terminal.out(view.absolutePath(entry))
        }
    }
}
