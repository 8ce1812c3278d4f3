import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.Artifact {
    struct ArtifactPut: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "put",
            abstract: "Copy a file, or a folder's files, among a run's artifacts (each atomically, its sha256 recorded).",
            discussion: """
                DEST is the path inside the run's artifacts/ folder (default: the file's or folder's name); ending in '/', \
                the folder to put it into. A folder's files keep their paths under DEST. With --role (and the role's fields, \
                e.g. --split val) the run's layout names the place instead. An existing artifact at the same path is replaced. SOURCE '-' reads \
                stdin to its end (give DEST or --role): 'python plot.py | cairn artifact put RUN - plots/loss.png'.
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run: its id or a unique prefix of one.", valueName: "run")) var runReference: RunReference
        @Argument(help: "The file or folder to copy ('-': stdin).", completion: .file()) var source: String
        @Argument(help: ArgumentHelp("Its path inside the run's artifacts/ folder (a folder when it ends in '/').", valueName: "dest"))
        var destination: String?
        @OptionGroup var place: ArtifactPlaceOptions
        @Flag(help: "Remove the source once it is copied and recorded.") var move = false
        @OptionGroup var output: JSONFlag

        func validate() throws {
            if destination != nil && place.role != nil { throw ValidationError("give DEST or --role, not both") }
            if source == "-" && (destination ?? "/").hasSuffix("/") && place.role == nil {
                throw ValidationError("reading stdin ('-') needs the file's path: give DEST (not a folder) or --role")
            }
            if source == "-" && move { throw ValidationError("--move cannot remove stdin") }
        }

        func run() throws {
            let store = try storeOptions.open()
            let run = try store.run(runReference)
            var path = destination ?? ""
            if path.isEmpty || path.hasSuffix("/") { path += Paths.absolute(source).split(separator: "/").last.map(String.init) ?? "" }
            let location = try place.location(in: store, of: run, path: path)
            if source == "-" {
                try output.print([try store.putArtifact(run, reading: 0, at: location)]) { ArtifactText.written($0) }
                return
            }
            let plan = try store.planArtifactPut(run, from: source, at: location)
            let bar = ProgressBar(label: move ? "moving" : "copying", enabled: !output.json)
            let total = plan.totalBytes
            let written = try store.putArtifacts(run, plan, removingSources: move) { done in bar.update(done: done, total: total, unit: .bytes) }
            bar.finish()
            try output.print(written) { ArtifactText.written($0) }
        }
    }
}
