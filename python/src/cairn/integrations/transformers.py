"""Hugging Face Trainer: ``CairnTrainerCallback``.

    run = cairn.init(experiment="bert/finetune")
    trainer = Trainer(..., callbacks=[CairnTrainerCallback(run)])

Logs become metrics (``eval_*`` in the eval split, without the prefix), and each ``checkpoint-N/``
folder the Trainer saves is registered as a folder checkpoint (copied by default: the Trainer's own
rotation may delete its folders), with the last evaluation's metrics under the Trainer's names
(``eval_loss``: monitor that, as ``metric_for_best_model`` does).
"""

from typing import Any, Dict, Optional

from .._run import Run
from ._common import run_or_init, scalars

try:
    from transformers import TrainerCallback as _TrainerCallback
except ImportError:  # pragma: no cover - without transformers the class still works with stand-ins
    _TrainerCallback = object  # type: ignore[assignment,misc]

# The Trainer's own bookkeeping, not metrics of the model.
_SKIPPED = ("epoch", "total_flos", "train_runtime", "train_samples_per_second", "train_steps_per_second",
            "eval_runtime", "eval_samples_per_second", "eval_steps_per_second")


class CairnTrainerCallback(_TrainerCallback):  # type: ignore[misc,valid-type]
    def __init__(self, run: Optional[Run] = None, transfer: str = "copy", policy: Optional[Dict[str, Any]] = None) -> None:
        super().__init__()
        self._run = run
        self.transfer = transfer
        self.policy = policy
        self._last_eval: Dict[str, float] = {}

    @property
    def run(self) -> Run:
        if self._run is None:
            self._run = run_or_init(None)
        return self._run

    def on_log(self, args: Any, state: Any, control: Any, logs: Optional[Dict[str, Any]] = None, **kwargs: Any) -> None:
        if not state.is_world_process_zero or not logs:
            return
        values = scalars(logs, skip=_SKIPPED)
        train = {key: value for key, value in values.items() if not key.startswith("eval_")}
        evaluation = {key[5:]: value for key, value in values.items() if key.startswith("eval_")}
        if train:
            self.run.log(train, step=state.global_step)
        if evaluation:
            self.run.log(evaluation, step=state.global_step, split="eval")

    def on_evaluate(self, args: Any, state: Any, control: Any, metrics: Optional[Dict[str, Any]] = None, **kwargs: Any) -> None:
        self._last_eval = scalars(metrics or {}, skip=_SKIPPED)

    def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if not state.is_world_process_zero:
            return
        import os
        folder = os.path.join(args.output_dir, f"checkpoint-{state.global_step}")
        if os.path.isdir(folder):
            epoch = int(round(state.epoch)) if state.epoch is not None else None
            self.run.save(folder, epoch=epoch, step=int(state.global_step), metrics=self._last_eval,
                          transfer=self.transfer, policy=self.policy)

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self.run.wait()
