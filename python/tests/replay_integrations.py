"""Stand-in trainers: replay the hook calls a real Lightning and a real Hugging Face Trainer made (the
traces beside this file, recorded by benchmarks/record_integration_traces.py) on Cairn's integrations,
in order, with the same values, so the integrations are tested without torch, lightning or transformers.

    python replay_integrations.py lightning|transformers     (in a cairn store, or with CAIRN_STORE set)
Prints the run's id.
"""
import glob, json, os, sys, tempfile, types

import cairn

HERE = os.path.dirname(os.path.abspath(__file__))


def trace(tool):
    path = sorted(glob.glob(os.path.join(HERE, "traces", f"{tool}-*.json")))[-1]
    with open(path) as f:
        return json.load(f)


def lightning():
    from cairn.integrations.lightning import CairnCheckpoint, CairnLogger
    run = cairn.init(experiment="replay/lightning")
    callback = CairnCheckpoint(run, monitor="val_loss", mode="min", top_k=1)
    logger = CairnLogger(run)
    trainer = types.SimpleNamespace()

    def save_checkpoint(path):
        with open(path, "wb") as f:
            f.write(f"lightning checkpoint of epoch {trainer.current_epoch}".encode())
    trainer.save_checkpoint = save_checkpoint
    for call in trace("lightning")["calls"]:
        if "logger" in call:
            if call["logger"] == "log_metrics":
                logger.log_metrics(call["metrics"], call["step"])
            elif call["logger"] == "log_hyperparams":
                logger.log_hyperparams(call["params"])
            elif call["logger"] == "finalize":
                logger.finalize(call["status"])
            continue
        trainer.current_epoch, trainer.global_step = call["epoch"], call["global_step"]
        trainer.callback_metrics, trainer.sanity_checking = call["callback_metrics"], call["sanity_checking"]
        hook = getattr(callback, call["hook"], None)
        if hook is not None and call["hook"] in ("on_validation_end", "on_train_epoch_end", "on_train_end"):
            hook(trainer, None)
    assert callback.resume_path() is not None
    # A resumed fit's first validation may end before the monitored metric exists (seen with the real
    # Lightning): no save then; the epoch's end saves once it does.
    trainer.current_epoch, trainer.global_step, trainer.sanity_checking = 2, 12, False
    trainer.callback_metrics = {"train_loss": 0.5}
    callback.on_validation_end(trainer, None)
    trainer.callback_metrics = {"train_loss": 0.5, "val_loss": 0.01}
    callback.on_train_epoch_end(trainer, None)
    callback.on_train_end(trainer, None)
    run.finish()
    return run.id


def transformers():
    from cairn.integrations.transformers import CairnTrainerCallback
    run = cairn.init(experiment="replay/transformers")
    callback = CairnTrainerCallback(run, policy={"monitor": "eval_loss", "mode": "min", "top_k": 1})
    work = tempfile.mkdtemp(prefix="cairn-replay-")
    control = types.SimpleNamespace()
    for call in trace("transformers")["calls"]:
        args = types.SimpleNamespace(output_dir=os.path.join(work, call["output_dir"]))
        state = types.SimpleNamespace(global_step=call["global_step"], epoch=call["epoch"],
                                      is_world_process_zero=call["is_world_process_zero"])
        if call["event"] == "on_save":
            folder = os.path.join(work, call["checkpoint_folder"])
            os.makedirs(folder)
            for name in call["checkpoint_files"]:
                with open(os.path.join(folder, name), "wb") as f:
                    f.write(f"{name} at step {call['global_step']}".encode())
        extra = {key: call[key] for key in ("logs", "metrics") if key in call}
        hook = getattr(callback, call["event"], None)
        if hook is not None:
            hook(args, state, control, **extra)
    run.finish()
    return run.id


if __name__ == "__main__":
    print({"lightning": lightning, "transformers": transformers}[sys.argv[1]]())
