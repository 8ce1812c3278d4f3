"""What the integrations share: the run they use, metrics as numbers, and the split rule."""

import numbers
from typing import Any, Dict, Mapping, Optional, Tuple

from .._run import Run, init


def run_or_init(run: Optional[Run]) -> Run:
    """The run given, else the one of ``cairn exec`` (``cairn.init()``)."""
    return run if run is not None else init()


def scalars(values: Mapping[str, Any], skip: Tuple[str, ...] = ("epoch",)) -> Dict[str, float]:
    """The values that are numbers (tensors of one element included), as floats."""
    out: Dict[str, float] = {}
    for key, value in values.items():
        if key in skip or isinstance(value, bool):
            continue
        if hasattr(value, "item") and getattr(value, "numel", lambda: 1)() == 1:
            value = value.item()
        if isinstance(value, numbers.Real):
            out[str(key)] = float(value)
    return out


def split_key(key: str) -> Tuple[str, str]:
    """A metric name's split and key by the MLflow rule: ``SPLIT/KEY``, else the train split."""
    if "/" in key:
        split, _, rest = key.partition("/")
        if split and rest:
            return split, rest
    return "train", key
