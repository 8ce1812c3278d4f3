import Foundation
import Testing
import CairnTestSupport

/// `cairn artifact put|get|ls`: files and folders put among a run's artifacts and at the places its
/// layout names (embeddings, predictions), listed with dtype and shape, copied out checked against
/// `artifacts.jsonl`; bad input is one clear error line, a non-zero exit and an unchanged store.
@Suite struct CLIArtifactTests {
    static let fixtures = PackagePaths.shared.appendingPathComponent("fixtures/interop")

    /// A store with one run, and a scratch folder holding a text file, an npy file, a safetensors file and a folder.
    struct Scene {
        let store: CLITestStore
        let scratch: TemporaryDirectory
        let run: String

        init(layout: String? = nil, experiment: String = "vae/baseline") throws {
            store = try CLITestStore(layout: layout)
            scratch = try TemporaryDirectory("cairn-artifact")
            run = try store.newRun(experiment)
            try Data("hello\n".utf8).write(to: scratch.appending("notes.txt"))
            try FileManager.default.copyItem(atPath: CLIArtifactTests.fixtures.appendingPathComponent("npy/float32_fortran_3x4.npy").path,
                                             toPath: scratch.appending("emb.npy").path)
            try FileManager.default.copyItem(atPath: CLIArtifactTests.fixtures.appendingPathComponent("safetensors/model_mixed.safetensors").path,
                                             toPath: scratch.appending("model.safetensors").path)
            try FileManager.default.createDirectory(at: scratch.appending("outputs/sub"), withIntermediateDirectories: true)
            try Data("a".utf8).write(to: scratch.appending("outputs/a.txt"))
            try Data("bb".utf8).write(to: scratch.appending("outputs/sub/b.txt"))
        }

        func file(_ name: String) -> String { scratch.appending(name).path }

        /// The run folder (where `run new` put it).
        func runFolder() throws -> String {
            let object = try #require(try store.json("run", "show", run, "--json") as? [String: Any])
            return try #require(object["folder"] as? String)
        }
    }

    static func lines(_ result: TestProcess.Result) -> [Substring] { result.stderr.split(separator: "\n") }

    @Test func putListAndGetFilesFoldersAndTheLayoutsPlaces() throws {
        let scene = try Scene()
        let (store, run) = (scene.store, scene.run)
        let golden = GoldenJSON()
        golden.replace(store.path, with: "$STORE")
        golden.replace(scene.scratch.path, with: "$SCRATCH")

        #expect(try store.output("artifact", "put", run, scene.file("notes.txt")).hasPrefix("notes.txt: 6 B, sha256 "))
        try golden.check("artifact-put", try store.output("artifact", "put", run, scene.file("emb.npy"), "--role", "embeddings", "--split", "val", "--json"))
        _ = try store.output("artifact", "put", run, scene.file("model.safetensors"), "models/")
        let piped = try store.cairn(["artifact", "put", run, "-", "logs/stdin.txt"], stdin: "from a pipe\n")
        #expect(piped.status == 0 && piped.stdout.hasPrefix("logs/stdin.txt: 12 B, sha256 "), "\(piped.stderr)")
        let folder = try store.output("artifact", "put", run, scene.file("outputs"), "reports/")
        #expect(folder.split(separator: "\n").map { $0.prefix { $0 != ":" } } == ["reports/outputs/a.txt", "reports/outputs/sub/b.txt"])

        let runFolder = try scene.runFolder()
        #expect(FileManager.default.fileExists(atPath: runFolder + "/embeddings/val_embeddings.npy"))
        #expect(FileManager.default.fileExists(atPath: runFolder + "/artifacts/models/model.safetensors"))
        let records = try String(contentsOfFile: runFolder + "/artifacts.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(records.count == 6 && records[1].contains("\"role\":\"embeddings\""))

        let listing = try #require(try store.json("artifact", "ls", run, "--json") as? [[String: Any]])
        #expect(listing.map { $0["relative_path"] as? String ?? "" }
                == ["logs/stdin.txt", "models/model.safetensors", "notes.txt", "reports/outputs/a.txt", "reports/outputs/sub/b.txt", "embeddings/val_embeddings.npy"])
        let embeddings = try #require(listing.last)
        #expect(embeddings["role"] as? String == "embeddings" && embeddings["fields"] as? [String: String] == ["split": "val"])
        let entry = try #require((embeddings["entries"] as? [[String: Any]])?.first)
        #expect(entry["dtype"] as? String == "float32" && entry["shape"] as? [Int] == [3, 4] && embeddings["format"] as? String == "npy")
        #expect((listing[1]["entries"] as? [[String: Any]])?.count == 5 && listing[2]["entries"] is NSNull)
        try golden.check("artifact-ls", try store.output("artifact", "ls", run, "models", "--json"))
        let text = try store.output("artifact", "ls", run)
        #expect(text.contains("embeddings split=val") && text.contains("float32 (3, 4)"), "\(text)")
        #expect(text.contains("safetensors: 5 tensors (int64, float32, float16, uint8), 29 elements"), "\(text)")
        #expect(try store.output("artifact", "ls", run, "reports").split(separator: "\n").count == 3)

        // TAB after the run offers its artifacts' paths; after --role, the roles.
        #expect(try CLICompletionTests.complete(["artifact", "get", "--store", store.path, run, "rep"])
                == ["reports/outputs/a.txt", "reports/outputs/sub/b.txt"])
        #expect(try CLICompletionTests.complete(["artifact", "ls", "--store", store.path, run, ""]).count == 5)
        #expect(try CLICompletionTests.complete(["artifact", "put", "--role", ""]) == ["embeddings", "predictions"])

        // Out again: to a file, into a folder, to stdout; by role.
        let out = try TemporaryDirectory("cairn-artifact-out")
        golden.replace(out.path, with: "$OUT")
        try golden.check("artifact-get", try store.output("artifact", "get", run, "notes.txt", "-o", out.path + "/copy.txt", "--json"))
        #expect(try String(contentsOfFile: out.path + "/copy.txt", encoding: .utf8) == "hello\n")
        #expect(try store.output("artifact", "get", run, "--role", "embeddings", "--split", "val", "-o", out.path + "/") == out.path + "/val_embeddings.npy")
        #expect(try Data(contentsOf: out.appending("val_embeddings.npy")) == Data(contentsOf: URL(fileURLWithPath: scene.file("emb.npy"))))
        let out2 = try store.cairn("artifact", "get", run, "reports/outputs/sub/b.txt", "-o", "-")
        #expect(out2.status == 0 && out2.stdout == "bb" && out2.stderr.isEmpty)
        // A folder, into a folder.
        let folderCopy = try store.output("artifact", "get", run, "reports", "-o", out.path + "/")
        #expect(folderCopy.split(separator: "\n").map(String.init) == [out.path + "/reports/outputs/a.txt", out.path + "/reports/outputs/sub/b.txt"])
        #expect(try String(contentsOfFile: out.path + "/reports/outputs/sub/b.txt", encoding: .utf8) == "bb")
        // With no -o: its name in the current folder.
        let here = try CLI.run(["artifact", "get", run, "notes.txt", "--store", store.path], directory: out.url)
        #expect(here.status == 0 && FileManager.default.fileExists(atPath: out.path + "/notes.txt"), "\(here.stderr)")
    }

    @Test func moveRemovesTheSourceOnceRecorded() throws {
        let scene = try Scene()
        _ = try scene.store.output("artifact", "put", scene.run, scene.file("outputs"), "--move")
        _ = try scene.store.output("artifact", "put", scene.run, scene.file("notes.txt"), "docs/readme.txt", "--move")
        #expect(!FileManager.default.fileExists(atPath: scene.file("outputs")) && !FileManager.default.fileExists(atPath: scene.file("notes.txt")))
        let listing = try #require(try scene.store.json("artifact", "ls", scene.run, "--json") as? [[String: Any]])
        #expect(listing.map { $0["relative_path"] as? String ?? "" } == ["docs/readme.txt", "outputs/a.txt", "outputs/sub/b.txt"])
    }

    @Test func aChangedFileIsNotCopiedOut() throws {
        let scene = try Scene()
        _ = try scene.store.output("artifact", "put", scene.run, scene.file("notes.txt"))
        try Data("HELLO\n".utf8).write(to: URL(fileURLWithPath: try scene.runFolder() + "/artifacts/notes.txt"))
        let out = try TemporaryDirectory("cairn-artifact-bad")
        for destination in [out.path + "/copy.txt", "-"] {
            let result = try scene.store.cairn("artifact", "get", scene.run, "notes.txt", "-o", destination)
            #expect(result.status != 0 && result.stdout.isEmpty)
            #expect(Self.lines(result).count == 1 && result.stderr.contains("does not match its record"), "\(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
        // A folder with one changed file: nothing is copied, no folder made.
        _ = try scene.store.output("artifact", "put", scene.run, scene.file("outputs"))
        try Data("B".utf8).write(to: URL(fileURLWithPath: try scene.runFolder() + "/artifacts/outputs/sub/b.txt"))
        let folder = try scene.store.cairn("artifact", "get", scene.run, "outputs", "-o", out.path + "/")
        #expect(folder.status != 0 && Self.lines(folder).count == 1 && folder.stderr.contains("outputs/sub/b.txt"), "\(folder.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
    }

    @Test func badInputIsOneClearLineAndLeavesTheStoreUnchanged() throws {
        let scene = try Scene()
        let (store, run) = (scene.store, scene.run)
        _ = try store.output("artifact", "put", run, scene.file("outputs"), "reports")
        let before = try AdoptFixture.digests(store.url)
        let out = try TemporaryDirectory("cairn-artifact-out")
        let notes = scene.file("notes.txt")
        let cases: [([String], String)] = [
            (["put", run, notes, "../escape.txt"], "'..' component"),
            (["put", run, notes, "a/../../b"], "'..' component"),
            (["put", run, notes, "/etc/passwd"], "is absolute"),
            (["put", run, notes, "bad\u{1}name"], "control character"),
            (["put", run, notes, "a//b"], "empty component"),
            (["put", "20990101-000000-000-zzzz", notes], "no run"),
            (["put", run, scene.file("missing.txt")], "no file or folder at"),
            (["put", run, notes, "reports"], "is a folder"),
            (["put", run, notes, "reports/a.txt/x"], "goes through the file"),
            (["put", run, scene.file("outputs"), "--role", "embeddings", "--split", "val"], "is a folder"),
            (["put", run, notes, "--role", "embeddings"], "needs the field 'split'"),
            (["put", run, notes, "--role", "embeddings", "--split", ".."], "embeddings"),
            (["put", run, notes, "--role", "checkpoint"], "--role must be one of"),
            (["put", run, notes, "--split", "val"], "give --role too"),
            (["put", run, notes, "x.txt", "--role", "embeddings", "--split", "val"], "not both"),
            (["put", run, "-"], "needs the file's path"),
            (["put", run, "-", "x.txt", "--move"], "cannot remove stdin"),
            (["put", run, notes, "--role", "embeddings", "--split", "val", "--field", "fold=1"], "no field 'fold'"),
            (["get", run, "missing.txt", "-o", out.path + "/m"], "has no artifact"),
            (["get", run, "reports", "-o", "-"], "is a folder"),
            (["get", run, "reports", "-o", notes], "is a file"),
            (["get", run, "reports/a.txt", "-o", out.path], "is a folder"),
            (["get", run, "reports/a.txt", "-o", out.path + "/no/such/dir/a"], "no folder"),
            (["get", run, "../run.json", "-o", out.path + "/r"], "'..' component"),
            (["get", run, "--role", "predictions", "--split", "test", "-o", out.path + "/p"], "has no predictions"),
            (["get", run, "reports/a.txt", "-o", "-", "--json"], "stdout"),
            (["get", run], "give the artifact's PATH"),
            (["ls", run, "nothing"], "has no artifact"),
            (["ls", run, "/abs"], "is absolute"),
        ]
        for (arguments, words) in cases {
            let result = try store.cairn(["artifact"] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(Self.lines(result).count == 1 && result.stderr.hasPrefix("cairn: error: ") && result.stderr.contains(words),
                    "\(arguments): \(result.stderr)")
        }
        #expect(try AdoptFixture.digests(store.url) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
    }

    @Test func inspectReadsARunsCheckpointsAndArtifactsInPlace() throws {
        let scene = try Scene()
        _ = try scene.store.output("ckpt", "save", scene.run, scene.file("model.safetensors"), "--epoch", "1")
        _ = try scene.store.output("artifact", "put", scene.run, scene.file("emb.npy"), "--role", "embeddings", "--split", "val")
        let checkpoint = try #require(try scene.store.json("inspect", "--run", scene.run, "--checkpoint", "last", "--json") as? [String: Any])
        #expect(checkpoint["format"] as? String == "safetensors" && (checkpoint["entries"] as? [Any])?.count == 5)
        let embeddings = try #require(try scene.store.json("inspect", "--run", scene.run, "embeddings/val_embeddings.npy", "--json") as? [String: Any])
        #expect(embeddings["format"] as? String == "npy")
        for (arguments, words) in [(["inspect", "--checkpoint", "last"], "give --run too"), (["inspect", "--run", scene.run], "give a FILE or --checkpoint"),
                                   (["inspect", "--run", scene.run, "--checkpoint", "epoch=9"], "epoch")] {
            let result = try scene.store.cairn(arguments)
            #expect(result.status != 0 && Self.lines(result).count == 1 && result.stderr.contains(words), "\(arguments): \(result.stderr)")
        }
    }

    /// An adopted tree's embeddings and predictions are its run's artifacts: listed with dtype and
    /// shape, copied out (without a record to check); `cairn inspect` reads them in place.
    @Test func anAdoptedTreesPlacesAreListedAndCopiedOut() throws {
        let fixture = try AdoptFixture("model-type-experiments")
        let adopted = try CLI.run(["adopt", fixture.tree.path, "--layout", "model-type-experiments"])
        try #require(adopted.status == 0, "\(adopted.stderr)")
        let runs = try #require(try fixture.json("run", "ls") as? [[String: Any]])
        let baseline = try #require(runs.first { ($0["folder"] as? String)?.hasSuffix("vae/baseline") == true })
        let run = try #require(baseline["id"] as? String)
        let listing = try #require(try fixture.json("artifact", "ls", run) as? [[String: Any]])
        #expect(listing.map { $0["relative_path"] as? String ?? "" }
                == ["embeddings/test_embeddings.npy", "embeddings/train_embeddings.npy", "embeddings/val_embeddings.npy",
                    "predictions/test_predictions.npy"])
        #expect(listing.allSatisfy { $0["format"] as? String == "npy" && $0["sha256"] is NSNull && $0["fields"] as? [String: String] != nil })
        #expect(listing.map { ($0["fields"] as? [String: String])?["split"] ?? "" } == ["test", "train", "val", "test"])
        let before = try AdoptFixture.digests(fixture.tree)
        let out = try TemporaryDirectory("cairn-adopted-out")
        let got = try fixture.cairn("artifact", "get", run, "--role", "embeddings", "--split", "val", "-o", out.path + "/")
        #expect(got.status == 0, "\(got.stderr)")
        let source = fixture.tree.path + "/experiments/vae/baseline/embeddings/val_embeddings.npy"
        #expect(try Data(contentsOf: out.appending("val_embeddings.npy")) == Data(contentsOf: URL(fileURLWithPath: source)))
        #expect(try AdoptFixture.digests(fixture.tree) == before)
        let inspected = try CLI.run(["inspect", source, "--json"])
        #expect(inspected.status == 0 && inspected.stdout.contains("\"format\" : \"npy\""), "\(inspected.stderr)")
        // By its path inside the run folder.
        let byRun = try fixture.cairn("inspect", "--run", run, "embeddings/train_embeddings.npy")
        #expect(byRun.status == 0 && byRun.stdout.contains("float32"), "\(byRun.stderr)")
        // A checkpoint by selector: found (these fixtures are placeholders, not tensor files).
        let best = try fixture.cairn("inspect", "--run", run, "--checkpoint", "best")
        #expect(best.status != 0 && best.stderr.contains("best_model.pt") && best.stderr.contains("not a file Cairn reads"), "\(best.stderr)")
        for (path, words) in [("../high_beta/config.yaml", "'..' component"), ("checkpoints/missing.pt", "has no file")] {
            let refused = try fixture.cairn("inspect", "--run", run, path)
            #expect(refused.status != 0 && Self.lines(refused).count == 1 && refused.stderr.contains(words), "\(refused.stderr)")
        }
    }
}
