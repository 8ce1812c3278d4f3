import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.Artifact {
    struct ArtifactLs: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls",
            abstract: "List a run's artifacts: size, recorded sha256, and the dtype and shape of tensor files.",
            discussion: """
                Lists every file under the run's artifacts/ folder (or under PATH there), then the files the run's layout \
                places for embeddings and predictions (recorded or not: an adopted tree's too). A '*' after the sha256 \
                marks a file whose size is no longer the recorded one.
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run: its id or a unique prefix of one.", valueName: "run")) var runReference: RunReference
        @Argument(help: ArgumentHelp("A file or folder inside the run's artifacts/ folder (default: all).", valueName: "path"), completion: ShellCompletion.artifactPaths)
        var path: String?
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let run = try store.run(runReference)
            let listing = try store.artifactListing(of: run, under: try path.map { text throws(CairnError) in try ArtifactPath(text) })
            try output.print(listing) { ArtifactText.table($0) }
        }
    }
}
