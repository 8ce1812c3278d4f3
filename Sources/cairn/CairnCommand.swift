import ArgumentParser
import CairnKit

/// The `cairn` command: a thin layer that parses arguments, calls CairnKit, and prints.
struct Cairn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cairn",
        abstract: "Keep the outputs of machine-learning training in order.",
        discussion: """
            A store is a folder marked by cairn.yaml. Commands find it like git finds a repository: \
            --store DIR, else $CAIRN_STORE, else the nearest folder upwards holding cairn.yaml.
            Shell completion: cairn --generate-completion-script bash|zsh|fish
            """,
        version: "0.1.0",
        subcommands: [Init.self, Adopt.self, Migrate.self, Exp.self, RunGroup.self, Exec.self, Agent.self, Logs.self, Ckpt.self, Metric.self, TB.self, Latest.self, PathCommand.self, Compare.self, Reindex.self, Serve.self, Inspect.self, Artifact.self, Doctor.self,
                      Rm.self, TrashGroup.self, Du.self, Gc.self, ArchiveGroup.self, TemplateGroup.self, Resume.self, Reproduce.self,
                      LayoutGroup.self, Demo.self]
    )
}
