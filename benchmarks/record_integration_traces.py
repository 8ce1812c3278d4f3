#!/usr/bin/env python3
"""Records, once, the hook calls a real PyTorch Lightning Trainer and a real Hugging Face Trainer make
to a callback (and, for Lightning, to a logger), in order, with the values the Cairn integrations read
(epoch, global step, the metrics, the checkpoint paths). The Python client's integration tests replay
these traces in stand-in trainers, so CI needs neither torch nor lightning nor transformers.

    python3 -m venv benchmarks/.venv-integrations
    benchmarks/.venv-integrations/bin/pip install /opt/wheels/torch-*.whl -r benchmarks/requirements-integrations.txt
    benchmarks/.venv-integrations/bin/python benchmarks/record_integration_traces.py

Writes python/tests/traces/lightning-VERSION.json and transformers-VERSION.json (a tiny model, CPU,
two epochs each).
"""
import json, os, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "python", "tests", "traces")


def plain(value):
    """A JSON-able copy of a hook's value (tensors as floats)."""
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        return float(value.item())
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return repr(type(value).__name__)


def lightning_trace(folder):
    import torch
    import lightning.pytorch as pl
    from lightning.pytorch.loggers.logger import Logger
    calls = []

    class Model(pl.LightningModule):
        def __init__(self):
            super().__init__()
            self.save_hyperparameters({"lr": 0.1, "hidden": 4})
            self.layer = torch.nn.Linear(2, 1)

        def training_step(self, batch, index):
            x, y = batch
            loss = torch.nn.functional.mse_loss(self.layer(x), y)
            self.log("train_loss", loss)
            return loss

        def validation_step(self, batch, index):
            x, y = batch
            self.log("val_loss", torch.nn.functional.mse_loss(self.layer(x), y))

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=0.1)

    def state(trainer):
        return {"epoch": trainer.current_epoch, "global_step": trainer.global_step,
                "callback_metrics": plain(dict(trainer.callback_metrics)), "sanity_checking": trainer.sanity_checking,
                "is_global_zero": trainer.is_global_zero}

    class Recorder(pl.Callback):
        def __getattribute__(self, name):
            value = object.__getattribute__(self, name)
            return value

    def hook(name):
        def record(self, trainer, *args, **kwargs):
            entry = {"hook": name, **state(trainer)}
            if name == "on_train_batch_end":
                entry["batch_idx"] = args[-1] if args else kwargs.get("batch_idx")
            if name == "on_save_checkpoint":
                entry["checkpoint_keys"] = sorted(args[-1].keys())
            calls.append(entry)
        return record

    hooks = ["setup", "on_fit_start", "on_sanity_check_start", "on_sanity_check_end", "on_train_start",
             "on_train_epoch_start", "on_train_batch_end", "on_validation_start", "on_validation_end",
             "on_train_epoch_end", "on_save_checkpoint", "on_train_end", "on_fit_end", "teardown", "on_exception"]
    Recording = type("Recording", (pl.Callback,), {name: hook(name) for name in hooks})

    class RecordingLogger(Logger):
        name = "recording"
        version = 0

        def log_metrics(self, metrics, step=None):
            calls.append({"logger": "log_metrics", "metrics": plain(metrics), "step": step})

        def log_hyperparams(self, params, *args, **kwargs):
            calls.append({"logger": "log_hyperparams", "params": plain(dict(params))})

        def save(self):
            calls.append({"logger": "save"})

        def finalize(self, status):
            calls.append({"logger": "finalize", "status": status})

    torch.manual_seed(0)
    x = torch.randn(16, 2)
    y = x.sum(1, keepdim=True)
    data = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=4)
    trainer = pl.Trainer(max_epochs=2, callbacks=[Recording()], logger=RecordingLogger(), default_root_dir=folder,
                         enable_checkpointing=True, enable_progress_bar=False, enable_model_summary=False,
                         log_every_n_steps=1, accelerator="cpu")
    trainer.fit(Model(), data, data)
    return {"tool": "lightning", "version": pl.__version__, "max_epochs": 2, "batches_per_epoch": 4, "calls": calls}


def transformers_trace(folder):
    import torch
    import transformers
    from transformers import Trainer, TrainerCallback, TrainingArguments
    calls = []

    class Tiny(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(2, 1)

        def forward(self, x, labels=None):
            out = self.layer(x)
            return {"loss": torch.nn.functional.mse_loss(out, labels), "logits": out}

    class Data(torch.utils.data.Dataset):
        def __init__(self):
            torch.manual_seed(0)
            self.x = torch.randn(16, 2)

        def __len__(self):
            return 16

        def __getitem__(self, i):
            return {"x": self.x[i], "labels": self.x[i].sum(0, keepdim=True)}

    def event(name):
        def record(self, args, state, control, **kwargs):
            entry = {"event": name, "global_step": state.global_step, "epoch": state.epoch,
                     "is_world_process_zero": state.is_world_process_zero, "output_dir": os.path.relpath(args.output_dir, folder)}
            if "logs" in kwargs:
                entry["logs"] = plain(kwargs["logs"])
            if "metrics" in kwargs:
                entry["metrics"] = plain(kwargs["metrics"])
            if name == "on_save":
                saved = os.path.join(args.output_dir, f"checkpoint-{state.global_step}")
                entry["checkpoint_folder"] = os.path.relpath(saved, folder)
                entry["checkpoint_files"] = sorted(os.listdir(saved)) if os.path.isdir(saved) else None
            calls.append(entry)
        return record

    events = ["on_init_end", "on_train_begin", "on_epoch_begin", "on_step_begin", "on_step_end", "on_log",
              "on_evaluate", "on_save", "on_epoch_end", "on_train_end"]
    Recording = type("Recording", (TrainerCallback,), {name: event(name) for name in events})
    args = TrainingArguments(output_dir=os.path.join(folder, "out"), num_train_epochs=2, per_device_train_batch_size=4,
                             per_device_eval_batch_size=4, logging_steps=1, save_strategy="epoch", eval_strategy="epoch",
                             report_to=[], use_cpu=True, disable_tqdm=True)
    trainer = Trainer(model=Tiny(), args=args, train_dataset=Data(), eval_dataset=Data(), callbacks=[Recording()])
    trainer.train()
    return {"tool": "transformers", "version": transformers.__version__, "num_train_epochs": 2, "steps_per_epoch": 4,
            "calls": calls}


def main():
    os.makedirs(OUT, exist_ok=True)
    for record in (lightning_trace, transformers_trace):
        with tempfile.TemporaryDirectory() as folder:
            trace = record(folder)
        path = os.path.join(OUT, f"{trace['tool']}-{trace['version']}.json")
        with open(path, "w") as f:
            json.dump(trace, f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"{path}: {len(trace['calls'])} calls")


if __name__ == "__main__":
    sys.exit(main())
