import CairnCore

/// Builds, from a seed, trees the way the projects behind the built-in layouts really write them:
/// spellings of ids and scores their code can produce, epochs past the padding width, pointers that are
/// files, symlinks or missing, folder checkpoints with and without their info files, stray files,
/// experiments generated but never trained, old and new forms side by side.
enum ConventionTreeGenerator {
    /// The layouts a tree can be made for.
    static let layouts = ["prompt-tree", "run-dirs", "pretrain-finetune", "typed-folders", "model-type-experiments"]

    /// The folder every run of a layout's trees sits in (`checkpoints`, `experiments`).
    static func topFolder(_ layout: String) -> String {
        layout == "pretrain-finetune" || layout == "model-type-experiments" ? "experiments" : "checkpoints"
    }

    /// A tree of `layout` made from `seed`.
    static func make(_ layout: String, seed: UInt64) -> ConventionTree {
        var tree = ConventionTree(layout: layout, seed: seed)
        var random = ConventionRandom(seed: seed)
        switch layout {
        case "prompt-tree": promptTree(&tree, &random)
        case "run-dirs": runDirs(&tree, &random)
        case "pretrain-finetune": pretrainFinetune(&tree, &random)
        case "typed-folders": typedFolders(&tree, &random)
        default: modelTypeExperiments(&tree, &random)
        }
        if random.chance(0.3) {
            tree.file("NOTES.txt")
            tree.unexplained.insert("NOTES.txt")
        }
        return tree
    }

    /// A run the training writes after adoption, the way the convention writes it: its folder, its
    /// files (relative to the tree) and its one checkpoint (relative to the run folder, with its epoch).
    static func grownRun(_ layout: String, in tree: ConventionTree) -> (folder: String, files: [String], checkpoint: String, epoch: Int) {
        let experiment = tree.runs.values.map(\.experiment).sorted().first
        switch layout {
        case "prompt-tree":
            let folder = "checkpoints/\(experiment ?? "grown/tag")/train-Pgrown/val-P1"
            return (folder, [folder + "/checkpoint_4_400.pt"], "checkpoint_4_400.pt", 4)
        case "run-dirs":
            let folder = "checkpoints/\(experiment ?? "grown")/RUN_20251231_235959_000001"
            return (folder, [folder + "/ckpt_epoch_19.pth", folder + "/log_Dec31_23_59_59.txt"], "ckpt_epoch_19.pth", 19)
        case "pretrain-finetune":
            let folder = "experiments/finetuning/grown-run"
            return (folder, [folder + "/config.yaml", folder + "/checkpoints/epoch_2.ckpt"], "checkpoints/epoch_2.ckpt", 2)
        case "typed-folders":
            let folder = "checkpoints/grown"
            return (folder, [folder + "/grown_model_checkpoint_5/model.pth"], "grown_model_checkpoint_5", 5)
        default:
            let folder = "experiments/\(experiment?.split(separator: "/").first.map(String.init) ?? "vision")/grown"
            return (folder, [folder + "/checkpoints/epoch_1000.pt"], "checkpoints/epoch_1000.pt", 1000)
        }
    }

    /// Checkpoints at `epochs` named by `name`, then the best and last pointer files (see
    /// ``pointer(_:in:targets:run:_:_:)``), with what `best` and `last` must name: the pointer files', else
    /// the newest save for `last`, else the best for both.
    static func epochRun(_ epochs: [Int], name: (Int) -> String, best: String, last: String, in folder: String,
                         run: inout ConventionTree.ExpectedRun, _ tree: inout ConventionTree, _ random: inout ConventionRandom) {
        var saves: [String] = []
        for epoch in epochs {
            let item = name(epoch)
            tree.file(folder + "/" + item)
            run.checkpoints[item] = .init(epoch: epoch)
            saves.append(item)
        }
        let bestItem = pointer(best, in: folder, targets: saves, run: &run, &tree, &random)
        let lastItem = pointer(last, in: folder, targets: Array(saves.suffix(1)), run: &run, &tree, &random)
        run.best = bestItem
        run.last = lastItem ?? saves.last ?? bestItem
    }

    /// A pointer file at `path` in `folder`: a file of its own, a symlink to one of `targets`, or
    /// nothing. Returns the item it names (the target for a symlink), and records a file of its own
    /// as a checkpoint of unknown position.
    static func pointer(_ name: String, in folder: String, targets: [String], run: inout ConventionTree.ExpectedRun,
                        _ tree: inout ConventionTree, _ random: inout ConventionRandom) -> String? {
        switch random.int(0...2) {
        case 0:
            tree.file(folder + "/" + name)
            run.checkpoints[name] = .init()
            return name
        case 1 where !targets.isEmpty:
            let target = random.pick(targets)
            tree.symlink(folder + "/" + name, to: folder + "/" + target)
            return target
        default:
            return nil
        }
    }

    // MARK: prompt tree

    static func promptTree(_ tree: inout ConventionTree, _ random: inout ConventionRandom) {
        let ids = ["0", "7", "007", "12", "12a", "A3", "x"]
        for arch in random.sample(["resnet18", "vit_b_16", "clip-ViT-L-14", "bert.base"], 1...2) {
            for tag in random.sample(["baseline", "lr-1e-4", "exp_03", "aug v2"], 1...2) {
                for train in random.sample(ids, 1...2) {
                    for val in random.sample(ids, 1...2) {
                        let folder = "checkpoints/\(arch)/\(tag)/train-P\(train)/val-P\(val)"
                        var run = ConventionTree.ExpectedRun(experiment: "\(arch)/\(tag)")
                        let count = random.int(0...5)
                        let steps = random.increasing(count, in: 1...100_000)
                        var epoch = random.int(0...2)
                        var saves: [String] = []
                        for step in steps {
                            let name = "checkpoint_\(epoch)_\(step).pt"
                            tree.file(folder + "/" + name)
                            run.checkpoints[name] = .init(epoch: epoch, step: step)
                            saves.append(name)
                            epoch += random.int(0...3)
                        }
                        var scored: String?
                        if random.chance(0.5) || saves.isEmpty {
                            scored = "checkpoint_best_score_\(random.scoreText()).pt"
                            tree.file(folder + "/" + scored!)
                            run.checkpoints[scored!] = .init()
                        }
                        let best = pointer("checkpoint_best.pt", in: folder, targets: saves, run: &run, &tree, &random)
                        let last = pointer("checkpoint_last.pt", in: folder, targets: Array(saves.suffix(1)), run: &run, &tree, &random)
                        run.best = best ?? scored
                        run.last = last ?? saves.last ?? run.best
                        tree.runs[folder] = run
                    }
                }
            }
        }
    }

    // MARK: SuperGradients run folders

    static func runDirs(_ tree: inout ConventionTree, _ random: inout ConventionRandom) {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        for experiment in random.sample(["yolox_s", "resnet50 coco", "ssd-lite", "ppyoloe_l"], 1...3) {
            var folders: [String] = []
            // Older versions wrote the run's files straight into the experiment folder.
            if random.chance(0.25) { folders.append("checkpoints/\(experiment)") }
            if folders.isEmpty || random.chance(0.3) {
                for day in random.increasing(random.int(1...3), in: 1...28) {
                    let micro = String(random.int(0...999_999)).leftPad(6)
                    folders.append("checkpoints/\(experiment)/RUN_2024\(two(random.int(1...12)))\(two(day))_\(two(random.int(0...23)))\(two(random.int(0...59)))\(two(random.int(0...59)))_\(micro)")
                }
            }
            for folder in folders {
                var run = ConventionTree.ExpectedRun(experiment: experiment)
                epochRun(random.increasing(random.int(0...4), in: 0...300), name: { "ckpt_epoch_\($0).pth" },
                         best: "ckpt_best.pth", last: "ckpt_latest.pth", in: folder, run: &run, &tree, &random)
                if random.chance(0.3) {
                    tree.file(folder + "/average_model.pth")
                    run.checkpoints["average_model.pth"] = .init()
                    run.last = run.last ?? "average_model.pth"  // a run with nothing else: its average is its last
                }
                let stamp = "\(random.pick(months))\(two(random.int(1...28)))_\(two(random.int(0...23)))_\(two(random.int(0...59)))_\(two(random.int(0...59)))"
                tree.file(folder + "/events.out.tfevents.\(1_700_000_000 + random.int(0...9_999_999)).gpu-\(random.int(1...8)).cluster.local.\(random.int(100...99999)).0")
                tree.file(folder + "/log_\(stamp).txt")
                if random.chance(0.5) { tree.file(folder + "/console_\(stamp).txt") }
                if random.chance(0.6) {
                    let maxEpochs = random.int(1...500)
                    tree.file(folder + "/.hydra/config.yaml", "training_hyperparams:\n  max_epochs: \(maxEpochs)\n  optimizer: SGD\narch: \(experiment)\n")
                    run.params = ["training_hyperparams.max_epochs": "\(maxEpochs)", "training_hyperparams.optimizer": "SGD"]
                    for extra in ["hydra.yaml", "overrides.yaml"] where random.chance(0.7) {
                        tree.file(folder + "/.hydra/" + extra)
                        tree.unexplained.insert(folder + "/.hydra/" + extra)
                    }
                }
                tree.runs[folder] = run
            }
        }
    }

    // MARK: pretrain-finetune experiments

    static func pretrainFinetune(_ tree: inout ConventionTree, _ random: inout ConventionRandom) {
        let pretrained = random.sample(["mlm-base", "mlm_small_v2", "mlm.large"], 0...3)
        for kind in ["pretraining", "finetuning"] {
            for name in kind == "pretraining" ? pretrained : random.sample(["cls-sst2", "cls.imdb", "ner_v1"], 1...3) {
                let folder = "experiments/\(kind)/\(name)"
                var run = ConventionTree.ExpectedRun(experiment: "\(kind)/\(name)")
                var config = "experiment:\n  name: \(name)\n  kind: \(kind)\n  seed: \(random.int(0...99))\n"
                if kind == "finetuning", random.chance(0.7) {
                    // The fine-tuning names its pre-training, which may or may not be in the tree.
                    let parent = random.pick(pretrained + ["mlm_gone"])
                    config += "pretrained_experiment:\n  name: \(parent)\n  checkpoint: best-model.ckpt\n"
                    if pretrained.contains(parent) { run.parentExperiment = "pretraining/\(parent)" }
                }
                tree.file(folder + "/config.yaml", config)
                run.params = ["experiment.name": name, "experiment.kind": kind]
                if random.chance(0.3) {
                    run.status = .scheduled  // generated, never trained
                } else {
                    epochRun(random.increasing(random.int(0...3), in: 0...60), name: { "checkpoints/epoch_\($0).ckpt" },
                             best: "checkpoints/best-model.ckpt", last: "checkpoints/model.ckpt", in: folder, run: &run, &tree, &random)
                    for split in random.sample(["train", "eval"], 1...2) {
                        tree.file(folder + "/metrics/\(split)/metrics.csv", "step,loss\n1,0.5\n")
                    }
                    if random.chance(0.3) {
                        tree.file(folder + "/notes.md")
                        tree.unexplained.insert(folder + "/notes.md")
                    }
                }
                tree.runs[folder] = run
            }
        }
    }

    // MARK: typed folders

    static func typedFolders(_ tree: inout ConventionTree, _ random: inout ConventionRandom) {
        if random.chance(0.5) {
            tree.file("checkpoints/README.md")
            tree.unexplained.insert("checkpoints/README.md")
        }
        for type in random.sample(["vision", "memory", "text_encoder"], 1...3) {
            let folder = "checkpoints/\(type)"
            var run = ConventionTree.ExpectedRun(experiment: type)
            var saves: [(item: String, epoch: Int)] = []
            for epoch in random.increasing(random.int(0...4), in: 0...2000) {
                let item = "\(type)_model_checkpoint_\(epoch)"
                writeFolderCheckpoint(folder + "/" + item, type: type, epoch: random.chance(0.8) ? epoch : nil, &tree)
                run.checkpoints[item] = .init(epoch: epoch)
                saves.append((item, epoch))
            }
            if saves.isEmpty || random.chance(0.7) {
                // The best model's epoch is known only from its training_info.json.
                let epoch = random.chance(0.6) ? (saves.isEmpty ? random.int(0...50) : random.pick(saves).epoch) : nil
                writeFolderCheckpoint(folder + "/best_model", type: type, epoch: epoch, &tree)
                run.checkpoints["best_model"] = .init(epoch: epoch)
                run.best = "best_model"
            }
            run.last = saves.last?.item ?? run.best
            tree.runs[folder] = run
        }
    }

    /// A folder checkpoint as the typed folders' trainer writes it; `epoch` nil leaves out training_info.json.
    static func writeFolderCheckpoint(_ folder: String, type: String, epoch: Int?, _ tree: inout ConventionTree) {
        tree.file(folder + "/model.pth")
        tree.file(folder + "/optimizer.pth")
        tree.file(folder + "/config.json", "{\"model_type\": \"\(type)\", \"hidden\": 256}\n")
        if let epoch { tree.file(folder + "/training_info.json", "{\"epoch\": \(epoch), \"loss\": 0.5}\n") }
    }

    // MARK: model-type experiments

    static func modelTypeExperiments(_ tree: inout ConventionTree, _ random: inout ConventionRandom) {
        for type in random.sample(["vision", "memory", "audio"], 1...2) {
            for name in random.sample(["baseline", "run-2", "wd_0.01"], 1...2) {
                let folder = "experiments/\(type)/\(name)"
                var run = ConventionTree.ExpectedRun(experiment: "\(type)/\(name)")
                // Three-digit padding, and epochs past it.
                epochRun(random.increasing(random.int(0...4), in: 0...1500), name: { "checkpoints/epoch_\(String($0).leftPad(3)).pt" },
                         best: "checkpoints/best_model.pt", last: "checkpoints/last_model.pt", in: folder, run: &run, &tree, &random)
                tree.file(folder + "/logs/training.log")
                for split in random.sample(["train", "val", "test"], 0...2) {
                    tree.file(folder + "/embeddings/\(split)_embeddings.npy")
                    tree.file(folder + "/predictions/\(split)_predictions.npy")
                }
                let lr = random.pick(["0.001", "0.0003"])
                tree.file(folder + "/config.yaml", "model_type: \(type)\ntraining:\n  lr: \(lr)\n")
                run.params = ["model_type": type, "training.lr": lr]
                tree.runs[folder] = run
            }
        }
    }
}

extension String {
    /// Padded on the left with zeros to `width` characters.
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
