#!/usr/bin/env python3
"""Runs Cairn's integrations once with the real frameworks (not CI): a tiny model, CPU, two epochs, under
PyTorch Lightning (CairnCheckpoint + CairnLogger, then a resumed fit from resume_path()) and under the
Hugging Face Trainer (CairnTrainerCallback), and prints what each run holds.

    python3 -m venv benchmarks/.venv-integrations
    benchmarks/.venv-integrations/bin/pip install /opt/wheels/torch-*.whl -r benchmarks/requirements-integrations.txt
    python3 benchmarks/integrations_real.py
"""
import json, os, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, "benchmarks", ".venv-integrations", "bin", "python")

LIGHTNING = r'''
import os, sys, torch, cairn
import lightning.pytorch as pl
from cairn.integrations.lightning import CairnCheckpoint, CairnLogger

class Model(pl.LightningModule):
    def __init__(self):
        super().__init__(); self.save_hyperparameters({"lr": 0.1}); self.layer = torch.nn.Linear(2, 1)
    def training_step(self, batch, i):
        x, y = batch; loss = torch.nn.functional.mse_loss(self.layer(x), y); self.log("train_loss", loss); return loss
    def validation_step(self, batch, i):
        x, y = batch; self.log("val_loss", torch.nn.functional.mse_loss(self.layer(x), y))
    def configure_optimizers(self): return torch.optim.SGD(self.parameters(), lr=0.1)

torch.manual_seed(0)
x = torch.randn(64, 2); y = x.sum(1, keepdim=True)
data = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=8)
for epochs in (2, 4):   # the second fit resumes from the first run's last checkpoint
    with cairn.init(experiment="real/lightning") as run:
        checkpoint = CairnCheckpoint(run, monitor="val_loss", mode="min", top_k=1)
        trainer = pl.Trainer(max_epochs=epochs, callbacks=[checkpoint], logger=CairnLogger(run), enable_checkpointing=False,
                             enable_progress_bar=False, enable_model_summary=False, log_every_n_steps=1, accelerator="cpu",
                             default_root_dir=sys.argv[1])
        resume = checkpoint.resume_path()
        trainer.fit(Model(), data, data, ckpt_path=resume)
        print("RUN", run.id, "resumed from" if resume else "fresh", resume or "")
'''

TRANSFORMERS = r'''
import os, sys, torch, cairn
from transformers import Trainer, TrainingArguments
from cairn.integrations.transformers import CairnTrainerCallback

class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__(); self.layer = torch.nn.Linear(2, 1)
    def forward(self, x, labels=None):
        out = self.layer(x); return {"loss": torch.nn.functional.mse_loss(out, labels), "logits": out}

class Data(torch.utils.data.Dataset):
    def __init__(self): torch.manual_seed(0); self.x = torch.randn(32, 2)
    def __len__(self): return 32
    def __getitem__(self, i): return {"x": self.x[i], "labels": self.x[i].sum(0, keepdim=True)}

with cairn.init(experiment="real/transformers") as run:
    args = TrainingArguments(output_dir=os.path.join(sys.argv[1], "out"), num_train_epochs=2, per_device_train_batch_size=8,
                             logging_steps=1, save_strategy="epoch", eval_strategy="epoch", report_to=[], use_cpu=True,
                             disable_tqdm=True, save_total_limit=1)
    Trainer(model=Tiny(), args=args, train_dataset=Data(), eval_dataset=Data(),
            callbacks=[CairnTrainerCallback(run, policy={"monitor": "eval_loss", "mode": "min", "top_k": 1})]).train()
    print("RUN", run.id)
'''


def main():
    subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "cairn"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build", "release", "cairn")
    subprocess.run([VENV, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", os.path.join(ROOT, "python")], check=True)
    shutil.rmtree(os.path.join(ROOT, "python", "build"), ignore_errors=True)
    work = tempfile.mkdtemp(prefix="cairn-integrations-")
    try:
        store = os.path.join(work, "store")
        subprocess.run([binary, "init", store], check=True, stdout=subprocess.DEVNULL)
        env = dict(os.environ, CAIRN_BIN=binary, CAIRN_STORE=store)
        env.pop("CAIRN_SOCKET", None)
        env.pop("CAIRN_RUN_ID", None)
        for name, script in (("lightning", LIGHTNING), ("transformers", TRANSFORMERS)):
            out = subprocess.run([VENV, "-c", script, work], env=env, capture_output=True, text=True)
            if out.returncode != 0:
                print(out.stderr[-3000:])
                sys.exit(f"{name} failed")
            for line in (line[4:] for line in out.stdout.splitlines() if line.startswith("RUN ")):
                run = line.split()[0]
                print(f"== {name}: {line}")
                for command in (["ckpt", "ls", run, "--all"], ["metric", "show", run]):
                    print(subprocess.run([binary, *command, "--store", store], capture_output=True, text=True).stdout.rstrip())
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
