import CairnCore
import Testing

/// Layouts carrying a tool's files (`cairn+sacred`, what migrating a tool's tree makes), the MLflow file
/// store's layout, and hidden folders in recognition, on paths alone.
@Suite struct LayoutCarryingTests {
    @Test func aLayoutCarriesTheToolsFilesAndKeepsItsOwnFolders() throws {
        let carried = try #require(BuiltinLayouts.named("cairn+sacred"))
        #expect(carried.name == "cairn+sacred" && carried.tool == .sacred)
        #expect(carried.template(.run)?.text == BuiltinLayouts.cairn.template(.run)?.text)
        #expect(carried.template(.checkpoint)?.text == BuiltinLayouts.cairn.template(.checkpoint)?.text)
        #expect(carried.template(.toolRecord)?.text == "run.json" && carried.template(.toolMetrics)?.text == "metrics.json")
        // What the tool names otherwise than by default goes where the tool puts it.
        #expect(carried.template(.config)?.text == "config.json" && carried.template(.log)?.text == "cout.txt")
        #expect(carried.template(.runRecord)?.text == ".cairn-run.json")
        let mlflow = try #require(BuiltinLayouts.named("cairn+mlflow"))
        #expect(!mlflow.isMLflowFileStore && BuiltinLayouts.mlflow.isMLflowFileStore)
        #expect(mlflow.template(.metrics)?.text == "cairn-metrics/{split}/metrics.csv")
        // Only a layout with a tool can be carried; a carried layout names its tool's built-in layout.
        #expect(BuiltinLayouts.named("cairn+cairn") == nil && BuiltinLayouts.named("sacred+lightning") == nil)
        #expect(BuiltinLayouts.named("nope+sacred") == nil && BuiltinLayouts.named("+sacred") == nil)
        #expect(BuiltinLayouts.named("lightning+cairn+sacred")?.name == nil)
        #expect(try #require(BuiltinLayouts.cairn.carrying(carried)).name == "cairn+sacred")
        #expect(!BuiltinLayouts.names.contains("cairn+sacred"))
    }

    @Test func mlflowRunsAreFoundInTheirExperimentsAndInTheTrash() {
        let paths = [
            "0/meta.yaml",
            "0/6a1b2c3d4e5f60718293a4b5c6d7e8f9/meta.yaml",
            "0/6a1b2c3d4e5f60718293a4b5c6d7e8f9/params/optimizer/name",
            "0/6a1b2c3d4e5f60718293a4b5c6d7e8f9/metrics/eval/acc",
            "0/6a1b2c3d4e5f60718293a4b5c6d7e8f9/artifacts/plots/loss.csv",
            "123456789012345678/meta.yaml",
            "123456789012345678/tags/team",
            ".trash/987654321098765432/meta.yaml",
            ".trash/987654321098765432/0f1e2d3c4b5a69788796a5b4c3d2e1f0/meta.yaml",
            ".trash/987654321098765432/0f1e2d3c4b5a69788796a5b4c3d2e1f0/metrics/loss",
        ]
        let recognition = TreeRecognizer.recognize(paths, layout: BuiltinLayouts.mlflow)
        #expect(recognition.runs.map(\.folder).sorted() == [".trash/987654321098765432/0f1e2d3c4b5a69788796a5b4c3d2e1f0",
                                                             "0/6a1b2c3d4e5f60718293a4b5c6d7e8f9"])
        // Named by the experiment's id until its meta.yaml is read.
        #expect(recognition.experimentNames == ["0", "987654321098765432"])
        let run = recognition.runs.first { $0.folder.hasPrefix("0/") }
        #expect(run?.files.filter { $0.role == .toolRecord }.map(\.path).sorted() == ["meta.yaml", "params/optimizer/name"])
        #expect(run?.files.contains { $0.role == .toolMetrics && $0.path == "metrics/eval/acc" } == true)
        #expect(run?.files.contains { $0.role == .artifact } == true)
        #expect(recognition.unexplained.sorted() == ["0/meta.yaml", "123456789012345678/meta.yaml", "123456789012345678/tags/team",
                                                     ".trash/987654321098765432/meta.yaml"].sorted())
    }

    @Test func hiddenFoldersAreNeverExperiments() throws {
        // Cairn's own layout would read `.trash/EXP_ID/` (an MLflow experiment's folder) as run EXP_ID of
        // experiment `.trash`, and `.git/x/` likewise: a hidden folder is no experiment.
        let paths = [".trash/987654321098765432/meta.yaml", ".git/objects/config.yaml", "vae/.hidden/r1/config.yaml",
                     "vae/r1/config.yaml"]
        let recognition = TreeRecognizer.recognize(paths, layout: try #require(BuiltinLayouts.named("cairn+mlflow")))
        #expect(recognition.runs.map(\.folder) == ["vae/r1"])
        #expect(recognition.experimentNames == ["vae"])
    }
}
