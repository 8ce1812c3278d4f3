import ArgumentParser
import CairnCore
import CairnDemo
import CairnKit

extension Cairn {
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train a small model in pure Swift for three settings, each a Cairn run, and show the runs.",
            discussion: "DIR becomes a store if it is not one yet (default: ./cairn-demo). Running it again adds three more runs. With --json, progress goes to stderr and the result to stdout.")

        @Argument(help: "The store to use or create.", completion: .directory)
        var directory: String = "cairn-demo"
        @OptionGroup var output: JSONFlag

        func run() async throws {
            let say: (String) -> Void = output.json ? { Terminal.note($0) } : { Terminal.out($0) }
            let (store, created) = try CairnDemo.Demo.prepareStore(at: directory, logger: StoreOptions.logger)
            if created { say("Initialized a Cairn store in \(store.root)") }
            say("Training a \(CairnDemo.Demo.experimentName) MLP for \(DemoSettings.standard.count) settings…")
            let report = try CairnDemo.Demo.run(in: store) { event in
                if case .runStarted(let run, let setting) = event { say(DemoText.started(run, setting)) }
            }
            let found = output.json ? [] : try await CairnDemo.Demo.search(in: store)
            var answer = try report.answer(store: store)
            if let source = report.bestRun?.run ?? report.runs.last?.run {
                say("Serving the store over MLflow's REST API and replaying run \(source.id) through it…")
                answer.mlflowReplay = DemoAnswer.MLflowReplay(try await DemoMLflowReplay.replay(source, in: store), store: store)
            }
            let usage = output.json ? nil : try await store.diskUsage()
            try output.print(answer) { answer in
                DemoText.report(report, store: store.root, found: found, replay: answer.mlflowReplay)
                    + (usage.map { "\n" + DemoText.disk($0, store: store.root) } ?? "")
            }
        }
    }
}
