"""Cairn's Python client: log metrics and hand checkpoints to Cairn without slowing the training loop.

    import cairn
    with cairn.init(experiment="vae/baseline", config={"lr": 3e-4}) as run:
        run.log({"loss": 0.25}, step=1)
        with run.checkpoint(epoch=1, metrics={"val_loss": 0.2}) as path:
            torch.save(state, path)

The work is done by the ``cairn`` binary (``cairn exec``'s socket, or a ``cairn agent`` the client
starts); see the project's docs/FORMAT.md ("Agent protocol").
"""

from ._run import Run, init, latest_checkpoint
from .errors import CairnConnectionError, CairnError, CairnNotFound, CairnValueError

__all__ = ["Run", "init", "latest_checkpoint", "CairnError", "CairnValueError", "CairnNotFound", "CairnConnectionError"]
__version__ = "0.1.0"
