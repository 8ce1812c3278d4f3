import Synchronization

/// The layouts Cairn knows by name: its own (`cairn`, the default), the conventions of five existing
/// training trees, PyTorch Lightning's and the Hugging Face Trainer's, TensorBoard logdirs, Sacred's
/// file storage, Hydra's output folders and MLflow's file store.
public enum BuiltinLayouts {
    /// Every built-in layout, the default first.
    public static let all: [Layout] = [cairn, promptTree, runDirs, pretrainFinetune, typedFolders, modelTypeExperiments,
                                       typedFoldersLegacy, lightning, huggingFace, tensorboard, sacred, hydra, mlflow]

    /// The built-in layout with this name, if any. Only that layout is built (each is built on first
    /// use): opening a store costs one layout, not all of them.
    public static func named(_ name: String) -> Layout? {
        switch name {
        case cairnName: cairn
        case "prompt-tree": promptTree
        case "run-dirs": runDirs
        case "pretrain-finetune": pretrainFinetune
        case "typed-folders": typedFolders
        case "model-type-experiments": modelTypeExperiments
        case "typed-folders-legacy": typedFoldersLegacy
        case "lightning": lightning
        case "huggingface": huggingFace
        case "tensorboard": tensorboard
        case "sacred": sacred
        case "hydra": hydra
        case "mlflow": mlflow
        default: carriedBuiltin(name)
        }
    }

    /// Built-in layouts carrying a tool's files, made once each: a store in `cairn+mlflow` asks for its
    /// runs' layout by name for every run it reads.
    private static let carriedBuiltins = Mutex<[String: Layout]>([:])

    private static func carriedBuiltin(_ name: String) -> Layout? {
        if let made = carriedBuiltins.withLock({ $0[name] }) { return made }
        guard let made = carried(name, base: { named($0) }) else { return nil }
        carriedBuiltins.withLock { $0[name] = made }
        return made
    }

    /// The layout `BASE+TOOL` (``Layout/carrying(_:)``): `base` finds the layout named BASE; TOOL is a
    /// built-in layout with a tool. Nil for any other name.
    public static func carried(_ name: String, base: (String) -> Layout?) -> Layout? {
        guard let plus = name.lastIndex(of: Layout.carryingSeparator),
              let tool = named(String(name[name.index(after: plus)...])), tool.tool != nil,
              let layout = base(String(name[..<plus])) else { return nil }
        return layout.carrying(tool)
    }

    /// Layouts that also read the newer form of their convention, by name, with that newer form's layout:
    /// when auto-detection finds both explain the same files, the tree is in the newer form.
    public static let newerForms: [String: String] = ["typed-folders-legacy": "typed-folders"]

    /// Layouts that explain any tree of a kind of file (every folder of event files is a run): on a tie
    /// with a layout of a convention that also explains those files (Lightning's `version_N/`), the
    /// convention is the tree's layout.
    public static let generic: Set<String> = ["tensorboard"]

    /// The name of Cairn's own layout, known without building it.
    static let cairnName = "cairn"

    /// The names of the built-in layouts.
    public static var names: [String] { all.map(\.name) }

    /// Cairn's own layout, the default: `<experiment>/<run_id>/…`.
    public static let cairn = builtin("cairn", "Cairn's own: EXPERIMENT/RUN_ID/ with checkpoints/, metrics/, events/, logs/", [
        "experiment_name": "{experiment:path}",
        "experiment": "{experiment:path}",
        "run": "{experiment:path}/{run_id}",
        // Named by the fields a save gives: epoch and step, epoch only, or step only (each alternative
        // ends with the extension, so a bare `checkpoints/.pt` is never taken for a checkpoint).
        "checkpoint": "checkpoints/[epoch_{epoch:04}-step_{step:08}{ext:ext}|epoch_{epoch:04}{ext:ext}|step_{step:08}{ext:ext}]",
        "best": "checkpoints/best{ext:ext}",
        "last": "checkpoints/last{ext:ext}",
        // Never written by Cairn's own saves: there so that every other convention's checkpoints
        // have a name here (a migration to this layout keeps them checkpoints).
        "best_score": "checkpoints/best_score_{score:number}{ext:ext}",
        "average": "checkpoints/average{ext:ext}",
        // tensorboardX names its files without the pid and number.
        "events": "events/events.out.tfevents.{time:int}.{host}[.{pid:int}.{n:int}]",
        "embeddings": "embeddings/{split}_embeddings.npy",
        "predictions": "predictions/{split}_predictions.npy",
    ])

    /// The prompt tree: `checkpoints/<arch>/<exp_tag>/train-P<id>/val-P<id>/checkpoint_<epoch>_<step>.pt`.
    public static let promptTree = builtin("prompt-tree", "prompt tree: checkpoints/ARCH/EXP_TAG/train-PN/val-PN/checkpoint_EPOCH_STEP.pt", [
        "experiment_name": "{arch}/{exp_tag}",
        "experiment": "checkpoints/{arch}/{exp_tag}",
        "run": "checkpoints/{arch}/{exp_tag}/train-P{train_prompt_id}/val-P{val_prompt_id}",
        "checkpoint": "checkpoint_{epoch:int}_{step:int}.pt",
        "best": "checkpoint_best.pt",
        "last": "checkpoint_last.pt",
        "best_score": "checkpoint_best_score_{score:number:.4f}.pt",
        "average": "checkpoint_average{ext:ext}",
    ])

    /// SuperGradients run folders: `checkpoints/<experiment>/RUN_<YYYYMMDD_HHMMSS_micro>/ckpt_*.pth`.
    public static let runDirs = builtin("run-dirs", "SuperGradients run folders: checkpoints/EXPERIMENT/RUN_YYYYMMDD_HHMMSS_FFFFFF/ckpt_*.pth", [
        "experiment_name": "{experiment}",
        "experiment": "checkpoints/{experiment}",
        // Older versions wrote a run's files straight into the experiment folder: that folder is the run.
        "run": "checkpoints/{experiment}[/RUN_{start:%Y%m%d_%H%M%S_%f}]",
        "checkpoint": "ckpt_epoch_{epoch:int}.pth",
        "best": "ckpt_best.pth",
        "last": "ckpt_latest.pth",
        "average": "average_model.pth",
        "events": "events.out.tfevents.{time:int}.{host}.{pid:int}.{n:int}",
        "log": "[log_{start:%b%d_%H_%M_%S}|console_{console_time:%b%d_%H_%M_%S}].txt",
        "config": ".hydra/config.yaml",
    ])

    /// Pretrain-finetune experiments: `experiments/<kind>/<name>/` with `checkpoints/{best-model,model}.ckpt` and CSV metrics.
    public static let pretrainFinetune = builtin("pretrain-finetune", "pretrain-finetune experiments: experiments/KIND/NAME/ with checkpoints/ and metrics/SPLIT/metrics.csv, one run per experiment", [
        "experiment_name": "{kind}/{name}",
        "experiment": "experiments/{kind}/{name}",
        "run": "experiments/{kind}/{name}",
        "checkpoint": "checkpoints/epoch_{epoch:int}.ckpt",
        "best": "checkpoints/best-model.ckpt",
        "last": "checkpoints/model.ckpt",
        "average": "checkpoints/average{ext:ext}",
        "metrics": "metrics/{split}/metrics.csv",
        "config": "config.yaml",
        // A fine-tuning's config names the pre-training it starts from.
        "parent_experiment": "pretrained_experiment.name",
    ])

    /// Typed folders: `checkpoints/<model_type>/` holding checkpoint folders `<model_type>_model_checkpoint_<N>/`.
    public static let typedFolders = builtin("typed-folders", "typed folders: checkpoints/MODEL_TYPE/ with folder checkpoints MODEL_TYPE_model_checkpoint_N/ and best_model/", [
        "experiment_name": "{model_type}",
        "experiment": "checkpoints/{model_type}",
        "run": "checkpoints/{model_type}",
        "checkpoint": "{model_type}_model_checkpoint_{epoch:int}",
        "best": "best_model",
        "average": "average_model{ext:ext}",
        "content_fields": "epoch=training_info.json#epoch",
    ])

    /// Model-type experiments: `experiments/<model_type>/<name>/` with `checkpoints/epoch_NNN.pt`, logs, embeddings, predictions.
    public static let modelTypeExperiments = builtin("model-type-experiments", "model-type experiments: experiments/MODEL_TYPE/NAME/ with checkpoints/epoch_NNN.pt, logs/, embeddings/, predictions/", [
        "experiment_name": "{model_type}/{name}",
        "experiment": "experiments/{model_type}/{name}",
        "run": "experiments/{model_type}/{name}",
        "checkpoint": "checkpoints/epoch_{epoch:03}.pt",
        "best": "checkpoints/best_model.pt",
        "last": "checkpoints/last_model.pt",
        "average": "checkpoints/average_model{ext:ext}",
        "log": "logs/training.log",
        "embeddings": "embeddings/{split}_embeddings.npy",
        "predictions": "predictions/{split}_predictions.npy",
        "config": "config.yaml",
    ])

    /// The typed folders' old flat layout, the input of its built-in migration: every checkpoint folder sits
    /// directly in `checkpoints/`; `best_model/` names no model type, so its `model_type` is read from
    /// the `config.json` inside it. A tree half way through moving to the typed form (some folders
    /// already in `checkpoints/MODEL_TYPE/`) is read whole, as one store, so that migrating it finishes
    /// the move; a tree wholly in the typed form is `typed-folders` (``newerForms``).
    public static let typedFoldersLegacy = builtin("typed-folders-legacy", "typed folders, old flat form: checkpoints/MODEL_TYPE_model_checkpoint_N/ and checkpoints/best_model/ (model type read from its config.json)", [
        "experiment_name": "{experiment}",
        "experiment": "{experiment}",
        "run": "{experiment}",
        "checkpoint": "[{model_type}/]{model_type}_model_checkpoint_{epoch:int}",
        "best": "[{model_type}/]best_model",
        "average": "[{model_type}/]average_model{ext:ext}",
        "content_fields": "model_type=config.json#model_type, epoch=training_info.json#epoch",
    ])

    /// PyTorch Lightning: `lightning_logs/version_N/` with `checkpoints/epoch=E-step=S.ckpt`, `last.ckpt`,
    /// `hparams.yaml`, the CSVLogger's `metrics.csv` and the TensorBoardLogger's event files.
    public static let lightning = builtin("lightning", "PyTorch Lightning: LOGGER_NAME/version_N/ with checkpoints/epoch=E-step=S.ckpt, checkpoints/last.ckpt, hparams.yaml, metrics.csv, event files", [
        "experiment_name": "{experiment:path}",
        "experiment": "{experiment:path}",
        "run": "{experiment:path}/version_{version:int}",
        "checkpoint": "checkpoints/epoch={epoch:int}-step={step:int}.ckpt",
        "last": "checkpoints/last.ckpt",
        "average": "checkpoints/average{ext:ext}",
        "config": "hparams.yaml",
        "metrics": "metrics.csv",
        "events": "events.out.tfevents.{time:int}.{host}.{pid:int}.{n:int}",
    ])

    /// Hugging Face Trainer: `OUTPUT_DIR/checkpoint-N/` folders (with `trainer_state.json`, whose
    /// `epoch` is read), the final model at the top, event files under `runs/`.
    public static let huggingFace = builtin("huggingface", "Hugging Face Trainer: OUTPUT_DIR/checkpoint-STEP/ folders with trainer_state.json, the final model.safetensors, runs/NAME/ event files", [
        "experiment_name": "{experiment:path}",
        "experiment": "{experiment:path}",
        "run": "{experiment:path}",
        "checkpoint": "checkpoint-{step:int}",
        "last": "model.safetensors",
        "average": "average{ext:ext}",
        "config": "config.json",
        "events": "runs/{logging_run}/events.out.tfevents.{time:int}.{host}.{pid:int}.{n:int}",
        "content_fields": "epoch=trainer_state.json#epoch",
    ])

    /// TensorBoard logdirs: every folder holding event files is a run, named by its path below the
    /// top folder (the experiment: `runs/` for tensorboardX's and PyTorch's default
    /// `runs/<Mon>DD_HH-MM-SS_<host>/`); `add_scalars` makes nested runs (`…/eval/acc/`).
    public static let tensorboard = builtin("tensorboard", "TensorBoard logdirs: LOGDIR/[PATH/] with event files, each such folder a run (tensorboardX's and PyTorch's runs/MonDD_HH-MM-SS_HOST/)", [
        "experiment_name": "{experiment}",
        "experiment": "{experiment}",
        "run": "{experiment}[/{run_path:path}]",
        "events": "events.out.tfevents.{time:int}.{host}[.{pid:int}.{n:int}]",
        // A logdir has no checkpoints of its own: saves into an adopted one are named as Cairn's own.
        "checkpoint": "checkpoints/[epoch_{epoch:04}-step_{step:08}{ext:ext}|epoch_{epoch:04}{ext:ext}|step_{step:08}{ext:ext}]",
        "best": "checkpoints/best{ext:ext}",
        "last": "checkpoints/last{ext:ext}",
        "average": "checkpoints/average{ext:ext}",
    ])

    /// Sacred's FileStorageObserver: `BASEDIR/<id>/` with `config.json` (the params), `run.json` (status,
    /// times, host, command, git), `metrics.json` and `cout.txt` (the log); artifacts lie beside them.
    public static let sacred = builtin("sacred", "Sacred FileStorageObserver: BASEDIR/ID/ with config.json, run.json, metrics.json, cout.txt", [
        "experiment_name": "{experiment}",
        "experiment": "{experiment}",
        "run": "{experiment}/{run_id:int}",
        "tool": "sacred",
        "tool_record": "run.json",
        "tool_metrics": "metrics.json",
        "config": "config.json",
        "log": "cout.txt",
        // Sacred's run.json is not Cairn's: Cairn's own record never lies in a Sacred run folder.
        "run_record": ".cairn-run.json",
        "checkpoint": "checkpoints/[epoch_{epoch:04}-step_{step:08}{ext:ext}|epoch_{epoch:04}{ext:ext}|step_{step:08}{ext:ext}]",
        "best": "checkpoints/best{ext:ext}",
        "last": "checkpoints/last{ext:ext}",
        "average": "checkpoints/average{ext:ext}",
    ])

    /// Hydra's output folders: a single run in `outputs/YYYY-MM-DD/HH-MM-SS/`, a sweep's jobs in
    /// `multirun/YYYY-MM-DD/HH-MM-SS/N/` (one experiment per sweep, its runs told apart by their
    /// overrides), each with `.hydra/config.yaml` (the params), `.hydra/overrides.yaml` and
    /// `.hydra/hydra.yaml` (read by the hydra tool) and the job's `<job name>.log`.
    public static let hydra = builtin("hydra", "Hydra outputs: outputs/YYYY-MM-DD/HH-MM-SS/ and multirun/YYYY-MM-DD/HH-MM-SS/N/ with .hydra/config.yaml and overrides.yaml, JOB.log", [
        "experiment_name": "{kind}[/{sweep:%Y-%m-%d}/{sweep:%H-%M-%S}]",
        "experiment": "{kind}[/{sweep:%Y-%m-%d}/{sweep:%H-%M-%S}]",
        "run": "[{kind}/{start:%Y-%m-%d}/{start:%H-%M-%S}|{kind}/{sweep:%Y-%m-%d}/{sweep:%H-%M-%S}/{job:int}]",
        "tool": "hydra",
        "config": ".hydra/config.yaml",
        "tool_record": ".hydra/{hydra_file}.yaml",
        "log": "{job_name}.log",
        "checkpoint": "checkpoints/[epoch_{epoch:04}-step_{step:08}{ext:ext}|epoch_{epoch:04}{ext:ext}|step_{step:08}{ext:ext}]",
        "best": "checkpoints/best{ext:ext}",
        "last": "checkpoints/last{ext:ext}",
        "average": "checkpoints/average{ext:ext}",
    ])

    /// MLflow's file store (`mlruns/`): `EXPERIMENT_ID/RUN_ID/` with `meta.yaml`, `params/`, `tags/`,
    /// `metrics/` (one file per key; a `/` in a key nests folders) and `artifacts/`; a deleted
    /// experiment's folder moves to `.trash/EXPERIMENT_ID/`. Experiments are named by their own
    /// `meta.yaml` (read by the mlflow tool) and keep MLflow's ids, as runs do.
    public static let mlflow = builtin("mlflow", "MLflow file store: mlruns/EXPERIMENT_ID/RUN_ID/ with meta.yaml, params/, tags/, metrics/, artifacts/", [
        "experiment_name": "{experiment:path}",
        "experiment": "{experiment_id:int}",
        "run": "[{experiment_id:int}/{run_id}|.trash/{experiment_id:int}/{run_id}]",
        "tool": "mlflow",
        "tool_record": "[{meta_file}.yaml|params/{param:path}|tags/{tag:path}]",
        "tool_metrics": "metrics/{metric:path}",
        "artifact": "artifacts/{path:path}",
        // Cairn's own metrics of a run it makes here never lie among MLflow's metric files.
        "metrics": "cairn-metrics/{split}/metrics.csv",
        "checkpoint": "checkpoints/[epoch_{epoch:04}-step_{step:08}{ext:ext}|epoch_{epoch:04}{ext:ext}|step_{step:08}{ext:ext}]",
        "best": "checkpoints/best{ext:ext}",
        "last": "checkpoints/last{ext:ext}",
        "average": "checkpoints/average{ext:ext}",
    ])

    private static func builtin(_ name: String, _ summary: String, _ templates: [String: String]) -> Layout {
        do {
            return try Layout(name: name, summary: summary, templates: templates)
        } catch {
            preconditionFailure("built-in layout '\(name)' is invalid: \(error)")
        }
    }
}
