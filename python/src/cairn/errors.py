"""Errors raised by the Cairn client: each carries Cairn's own message and hint."""

from typing import Optional


class CairnError(Exception):
    """Cairn refused or failed a request. ``kind`` is Cairn's error kind (``invalid-name``, ``not-found``...)."""

    def __init__(self, message: str, kind: str = "error", hint: Optional[str] = None) -> None:
        self.kind = kind
        self.hint = hint
        super().__init__(message + (f"; {hint}" if hint else ""))


class CairnValueError(CairnError, ValueError):
    """A name or value Cairn does not take (a name with ``..`` or control characters, a bad override)."""


class CairnNotFound(CairnError, LookupError):
    """What was asked for does not exist (an experiment, a run, a checkpoint)."""


class CairnConnectionError(CairnError, ConnectionError):
    """The Cairn agent is gone (killed, or never started): nothing more can be handed over."""


_VALUE_KINDS = {"invalid-name", "invalid-value", "invalid-config", "type-mismatch"}


def from_answer(error: dict) -> CairnError:
    """The exception for an agent's error answer."""
    kind = error.get("kind", "error")
    message = error.get("message", "the Cairn agent refused the request")
    hint = error.get("hint")
    if kind in _VALUE_KINDS:
        return CairnValueError(message, kind, hint)
    if kind == "not-found":
        return CairnNotFound(message, kind, hint)
    return CairnError(message, kind, hint)
