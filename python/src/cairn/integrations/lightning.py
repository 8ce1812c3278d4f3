"""PyTorch Lightning: ``CairnCheckpoint`` (in place of ``ModelCheckpoint``) and ``CairnLogger``.

    run = cairn.init(experiment="vae/baseline")
    checkpoint = CairnCheckpoint(run, monitor="val_loss", mode="min", top_k=2)
    trainer = Trainer(callbacks=[checkpoint], logger=CairnLogger(run), enable_checkpointing=False, ...)
    trainer.fit(model, ckpt_path=checkpoint.resume_path())     # None on a first run

Each save is handed to Cairn (``run.checkpoint``), which names it, keeps the top ``top_k`` by the
monitored metric and the last, and prunes the rest, in the background.
"""

from typing import Any, Dict, Optional

from .._run import Run
from ._common import run_or_init, scalars, split_key

try:
    from lightning.pytorch.callbacks import Callback as _Callback
    from lightning.pytorch.loggers.logger import Logger as _Logger
except ImportError:  # pragma: no cover - without Lightning the classes still work with stand-ins
    try:
        from pytorch_lightning.callbacks import Callback as _Callback  # type: ignore[no-redef]
        from pytorch_lightning.loggers.logger import Logger as _Logger  # type: ignore[no-redef]
    except ImportError:
        _Callback = object  # type: ignore[assignment,misc]
        _Logger = object  # type: ignore[assignment,misc]


class CairnCheckpoint(_Callback):  # type: ignore[misc,valid-type]
    """Saves the model through Cairn after each validation (after each training epoch when there is
    none), every ``every_n_epochs`` epochs, under a top-k policy on ``monitor`` (and always the last)."""

    def __init__(self, run: Optional[Run] = None, monitor: Optional[str] = None, mode: str = "min", top_k: int = 1,
                 every_n_epochs: int = 1, suffix: str = ".ckpt") -> None:
        super().__init__()
        self._run = run
        self.monitor, self.mode, self.top_k, self.every_n_epochs, self.suffix = monitor, mode, top_k, every_n_epochs, suffix
        self._saved_epoch = -1

    @property
    def run(self) -> Run:
        if self._run is None:
            self._run = run_or_init(None)
        return self._run

    def resume_path(self) -> Optional[str]:
        """The checkpoint a resumed training should load (``trainer.fit(..., ckpt_path=...)``): the
        newest complete one of the run's experiment, or None."""
        latest = self.run.latest(self.run.experiment)
        return latest["path"] if latest else None

    def on_validation_end(self, trainer: Any, pl_module: Any) -> None:
        if not trainer.sanity_checking:
            self._save(trainer)

    def on_train_epoch_end(self, trainer: Any, pl_module: Any) -> None:
        self._save(trainer)   # when validation ran this epoch, it saved already

    def on_train_end(self, trainer: Any, pl_module: Any) -> None:
        self.run.wait()

    def _save(self, trainer: Any) -> None:
        epoch = int(trainer.current_epoch)
        if epoch == self._saved_epoch or (epoch + 1) % self.every_n_epochs:
            return
        metrics = scalars(trainer.callback_metrics)
        if self.monitor and self.monitor not in metrics:
            return   # not computed yet (a resumed fit's first validation): the epoch's end saves it
        self._saved_epoch = epoch
        policy: Dict[str, Any] = {"top_k": self.top_k}
        if self.monitor:
            policy.update(monitor=self.monitor, mode=self.mode)
        with self.run.checkpoint(epoch=epoch, step=int(trainer.global_step), metrics=metrics,
                                 suffix=self.suffix, policy=policy) as path:
            trainer.save_checkpoint(path)   # every rank calls it; only the rank that saves writes


class CairnLogger(_Logger):  # type: ignore[misc,valid-type]
    """Lightning's metrics and hyper-parameters to a Cairn run: ``SPLIT/KEY`` names go to that split."""

    def __init__(self, run: Optional[Run] = None) -> None:
        super().__init__()
        self._run = run

    @property
    def run(self) -> Run:
        if self._run is None:
            self._run = run_or_init(None)
        return self._run

    @property
    def name(self) -> str:
        return "cairn"

    @property
    def version(self) -> str:
        return self.run.id

    @property
    def experiment(self) -> Run:
        return self.run

    def log_metrics(self, metrics: Dict[str, Any], step: Optional[int] = None) -> None:
        by_split: Dict[str, Dict[str, float]] = {}
        for key, value in scalars(metrics).items():
            split, name = split_key(key)
            by_split.setdefault(split, {})[name] = value
        for split, values in by_split.items():
            self.run.log(values, step=step, split=split)

    def log_hyperparams(self, params: Any, *args: Any, **kwargs: Any) -> None:
        values = dict(params) if not isinstance(params, dict) else params
        self.run.log_params({str(key): value if isinstance(value, (int, float, str, bool)) else str(value) for key, value in values.items()})

    def save(self) -> None:
        return None

    def finalize(self, status: str) -> None:
        self.run.flush()
