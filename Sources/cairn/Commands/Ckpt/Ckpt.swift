import ArgumentParser

extension Cairn {
    struct Ckpt: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Save, list, verify and prune checkpoints under a policy, with best and last pointers.",
            discussion: """
                A Python script saves with torch.save to a temporary path, then calls:
                  cairn ckpt save /tmp/ckpt.pt --epoch 3 --step 1200 --metric val_loss=0.31 --move
                (the run is $CAIRN_RUN_ID, set by cairn exec). Policies come from cairn.yaml (defaults.checkpoint), \
                the experiment ('cairn exp set EXP checkpoint.top_k=3') and the flags of each call, in that order of precedence.
                """,
            subcommands: [CkptSave.self, CkptLs.self, CkptBest.self, CkptLast.self, CkptPath.self, CkptVerify.self,
                          CkptPrune.self, CkptLatest.self, CkptAverage.self])
    }
}
