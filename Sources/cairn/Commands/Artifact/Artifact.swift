import ArgumentParser

extension Cairn {
    struct Artifact: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put, get and list a run's artifacts: free-form files, and the embeddings and predictions its layout places.",
            discussion: """
                Files go under the run's artifacts/ folder (the one MLflow's artifact API uses), or, with \
                --role embeddings|predictions and the role's fields (--split val), where the run's layout places them \
                (embeddings/val_embeddings.npy). Each file is written atomically and its sha256 recorded in the run's \
                artifacts.jsonl; get checks it.
                  cairn artifact put RUN plot.png plots/
                  cairn artifact put RUN emb.npy --role embeddings --split val
                  cairn artifact ls RUN
                  cairn artifact get RUN plots/plot.png -o - | display
                """,
            subcommands: [ArtifactPut.self, ArtifactGet.self, ArtifactLs.self])
    }
}
