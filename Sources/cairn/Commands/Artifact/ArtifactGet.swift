import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.Artifact {
    struct ArtifactGet: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Copy an artifact out of a run, atomically, checking its sha256 against artifacts.jsonl.",
            discussion: """
                The copy appears whole or not at all; when the file no longer matches its record, nothing is written \
                and the command fails. '-o -' writes it to stdout (after the check). PATH may be a folder: its files are \
                copied under DEST (made if missing; 'DIR/' copies into DIR/NAME), all checked before any appears.
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run: its id or a unique prefix of one.", valueName: "run")) var runReference: RunReference
        @Argument(help: ArgumentHelp("The artifact's path inside the run's artifacts/ folder (or give --role).", valueName: "path"), completion: ShellCompletion.artifactPaths)
        var path: String?
        @OptionGroup var place: ArtifactPlaceOptions
        @Option(name: [.customShort("o"), .customLong("output")],
                help: ArgumentHelp("Where to copy it: a file, a folder ending in '/', or '-' for stdout (default: its name in the current folder).", valueName: "dest"),
                completion: .file())
        var destination: String?
        @OptionGroup var output: JSONFlag

        func validate() throws {
            if path == nil && place.role == nil { throw ValidationError("give the artifact's PATH, or --role with its fields") }
            if path != nil && place.role != nil { throw ValidationError("give PATH or --role, not both") }
            if destination == "-" && output.json { throw ValidationError("'-o -' writes the file to stdout: --json cannot go there too") }
        }

        func run() throws {
            let store = try storeOptions.open()
            let run = try store.run(runReference)
            let location = try place.location(in: store, of: run, path: path ?? "")
            let folder = try store.isArtifactFolder(of: run, at: location)
            if destination == "-" {
                if folder {
                    throw CairnError(.invalidValue, "the artifact path '\(location.path)' is a folder", hint: "copy it to a folder with -o DIR/")
                }
                _ = try store.writeArtifact(of: run, at: location, to: 1)
                return
            }
            let total = try store.artifactBytes(of: run, at: location)
            let bar = ProgressBar(label: "copying", enabled: !output.json)
            let progress = { (done: Int64) in bar.update(done: done, total: total, unit: .bytes) }
            if folder {
                let copies = try store.copyArtifactFolder(of: run, at: location.path, to: destination ?? "./", progress: progress)
                bar.finish()
                try output.print(copies) { $0.compactMap(\.destination).joined(separator: "\n") }
            } else {
                let copy = try store.copyArtifact(of: run, at: location, to: destination ?? "./", progress: progress)
                bar.finish()
                try output.print(copy) { $0.destination }
            }
        }
    }
}
