"""A run: metrics logged in the background, checkpoints handed over to Cairn, the run's end."""

import contextlib
import json
import operator
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from array import array
from itertools import chain
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple, Union

from ._channel import PROTOCOL, Channel, cairn_binary
from .errors import CairnConnectionError, CairnError

_FLUSH_SECONDS = 0.02
# Points waiting beyond this are sent by the logging call itself (the training waits), so that what a
# call handed over reaches Cairn promptly even when Cairn falls behind.
_MOST_PENDING = 50_000
# The logging thread drops the points already sent once the list holds this many.
_COMPACT_AT = 2_048
_time = time.time

PathLike = Union[str, "os.PathLike[str]"]


def _rank() -> int:
    """This process's rank, as torchrun sets it (``RANK``, else ``LOCAL_RANK``), 0 alone."""
    for name in ("RANK", "LOCAL_RANK"):
        value = os.environ.get(name)
        if value is not None and value.strip().lstrip("-").isdigit():
            return int(value)
    return 0


class Run:
    """A Cairn run, from :func:`cairn.init`. Use it as a context manager: leaving the block finishes the
    run (FAILED, with the exception's type as the ``error`` tag, when the block raised)."""

    def __init__(self, channel: Channel, hello: Dict[str, Any], owns: bool, all_ranks: bool, on_error: str) -> None:
        self._channel = channel
        self._owns = owns
        self._on_error = on_error
        self._warned = False
        record = hello["run"]
        #: The run's id.
        self.id: str = record["id"]
        #: The experiment's name.
        self.experiment: str = record["experiment"]
        #: The run's name, if it was given one.
        self.name: Optional[str] = record.get("name")
        #: The run's folder, absolute.
        self.dir: str = hello["run_dir"]
        #: The run's config snapshot (``config.yaml``), as a dict.
        self.config: Dict[str, Any] = hello.get("config") or {}
        #: This process's rank (``RANK``/``LOCAL_RANK``); only rank 0 saves checkpoints unless ``all_ranks``.
        self.rank: int = _rank()
        self._saves = self.rank == 0 or all_ranks
        # Points as tuples of five numbers (key number, step, time, value, split number), appended by
        # the logging thread. The sender only reads: it packs the points past `_sent` into its own buffer,
        # sends them as bytes (the 'log_packed' request) and moves `_sent` on; the logging thread itself
        # drops the sent prefix now and then. So `run.log` does the least work it can (in a training loop,
        # whose arrays push the interpreter out of the CPU's caches, each step of it is slow), and memory
        # the logging thread allocated is never freed by the sender (when it was, glibc trimmed and
        # regrew the heap and the training's own numpy temporaries page-faulted again).
        self._pending: List[Tuple[float, int, float, float, float]] = []
        self._sent = 0
        self._room = _COMPACT_AT   # the length at which the logging thread next drops the sent points
        #: The checkpoint this run resumes from (``cairn resume``, ``cairn exec --resume``): its absolute
        #: path, from ``CAIRN_RESUME_CHECKPOINT``; None for a fresh run.
        self.resume_checkpoint: Optional[str] = os.environ.get("CAIRN_RESUME_CHECKPOINT") or None
        #: The step of that checkpoint, when known; ``log`` without a step continues after it.
        self.resume_step: Optional[int] = _env_int("CAIRN_RESUME_STEP") if self.resume_checkpoint else None
        self._step = self.resume_step + 1 if self.resume_step is not None else 0
        self._key_ids: Dict[str, float] = {}
        self._key_names: List[str] = []
        self._split_ids: Dict[Optional[str], float] = {None: 0.0, "train": 0.0}
        self._split_names: List[str] = ["train"]
        self._sent_keys = 0
        self._sent_splits = 1
        self._error: Optional[BaseException] = None
        self._finished = False
        self._wake = threading.Event()
        self._send_lock = threading.Lock()
        self._stop = False
        self._sender = threading.Thread(target=self._send_loop, name=f"cairn-{self.id}", daemon=True)
        self._sender.start()

    # Metrics -----------------------------------------------------------------------------------------

    def log(self, data: Mapping[str, Union[int, float]], step: Optional[int] = None, split: Optional[str] = None) -> None:
        """Logs metrics at ``step`` (by default one more than the last call without a step) to ``split``
        (``train`` by default). Returns at once: the points reach Cairn within about 20 ms, in the
        background. Raises TypeError for a value that is not a number or a step that is not a whole
        number, ValueError for a name Cairn does not take."""
        if step is None:
            step = self._step
            self._step = step + 1
        elif step.__class__ is not int:
            step = self._whole(step)
        if split is None:
            split_id = 0.0
        else:
            split_id = self._split_ids.get(split)
            if split_id is None:
                split_id = self._new_split(split)
        now = _time()
        ids = self._key_ids
        pending = self._pending
        for key, value in data.items():
            key_id = ids.get(key)
            if key_id is None:
                key_id = self._new_key(key, split)
            if value.__class__ is not float:
                value = self._number(key, value)
            pending.append((key_id, step, now, value, split_id))
        if len(pending) > self._room:
            self._make_room()

    def _make_room(self) -> None:
        """Drops the points already sent (unless the sender is busy: a call _COMPACT_AT points later tries
        again), and sends what waits itself when Cairn has fallen far behind."""
        if self._send_lock.acquire(blocking=False):
            try:
                del self._pending[:self._sent]
                self._sent = 0
            finally:
                self._send_lock.release()
        self._room = len(self._pending) + _COMPACT_AT
        if len(self._pending) - self._sent > _MOST_PENDING:
            self._send()

    @staticmethod
    def _whole(step: Any) -> int:
        """A step that is not an int (a numpy integer) as an int, or TypeError."""
        if isinstance(step, bool):
            raise TypeError(f"the step is bool {step!r}, not a whole number")
        try:
            return operator.index(step)
        except TypeError:
            raise TypeError(f"the step is {type(step).__name__} {step!r}, not a whole number") from None

    def _number(self, key: str, value: Any) -> float:
        """A value that is not a float (an int, a numpy scalar, a 0-d tensor) as a float, or TypeError."""
        if isinstance(value, bool) or not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
            raise TypeError(f"the metric '{key}' is {type(value).__name__} {value!r}, not a number")
        if getattr(value, "ndim", 0) not in (0, None):
            raise TypeError(f"the metric '{key}' is an array, not a number")
        try:
            return float(value)
        except OverflowError:
            raise TypeError(f"the metric '{key}' is {value!r}, too large for a float") from None
        except (TypeError, ValueError):
            raise TypeError(f"the metric '{key}' is {type(value).__name__}, not a number") from None

    def _new_key(self, key: str, split: Optional[str]) -> float:
        if not isinstance(key, str):
            raise TypeError(f"a metric name is {type(key).__name__} {key!r}, not a string")
        self._call("check", metrics=[key], **({"split": split} if split is not None else {}))
        key_id = float(len(self._key_names))
        self._key_names.append(key)   # before any point that uses it: the sender reads points first
        self._key_ids[key] = key_id
        return key_id

    def _new_split(self, split: Optional[str]) -> float:
        if not isinstance(split, str):
            raise TypeError(f"a split is {type(split).__name__} {split!r}, not a string")
        self._call("check", split=split)
        split_id = float(len(self._split_names))
        self._split_names.append(split)
        self._split_ids[split] = split_id
        return split_id

    def flush(self) -> None:
        """Hands every point logged so far to Cairn and waits until they are written."""
        self._send()
        self._call("flush")

    def _send(self) -> None:
        with self._send_lock:  # batches leave in the order their points were logged
            self._send_pending()

    def _send_pending(self) -> None:
        pending = self._pending
        start, count = self._sent, len(pending)
        if count > start:
            packed = array("d", chain.from_iterable(pending[start:count]))
            if sys.byteorder == "big":
                packed.byteswap()   # the protocol's floats are little-endian
            # The names the points use were added before the points: read after them, they are all here.
            keys, splits = self._key_names[self._sent_keys:], self._split_names[self._sent_splits:]
            # Not waiting for the answer: the training's thread is not held up by a round trip (an error
            # is raised by the next request).
            self._post("log_packed", count=count - start, key_base=self._sent_keys, keys=keys,
                       split_base=self._sent_splits, splits=splits, _payload=packed.tobytes())
            self._sent = count
            self._sent_keys += len(keys)
            self._sent_splits += len(splits)

    def _send_loop(self) -> None:
        while not self._stop:
            self._wake.wait(_FLUSH_SECONDS)
            if self._stop:
                return
            try:
                self._send()
            except BaseException as error:  # surfaced at the next call
                self._error = error
                if isinstance(error, CairnConnectionError):
                    return

    # Params, tags ------------------------------------------------------------------------------------

    def log_params(self, params: Mapping[str, Any]) -> None:
        """Records params (written once: a param set again must keep its value)."""
        self._call("params", params=dict(params))

    def set_tags(self, tags: Mapping[str, Any]) -> None:
        """Sets tags (a tag set again takes the new value)."""
        self._call("tags", tags={key: str(value) for key, value in tags.items()})

    # Checkpoints -------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def checkpoint(self, epoch: Optional[int] = None, step: Optional[int] = None,
                   metrics: Optional[Mapping[str, float]] = None, suffix: str = ".pt", folder: bool = False,
                   policy: Optional[Mapping[str, Any]] = None) -> Iterator[str]:
        """Yields a path to write a checkpoint to (a folder, made, when ``folder``); on leaving the block
        the file is handed to Cairn, which hashes, syncs, names and prunes it in the background. On a
        rank that does not save (not rank 0), the path is a temporary one, removed after the block."""
        answer = self._call("handover", suffix=suffix) if self._saves else None
        if answer is None:  # a rank that does not save, or Cairn gone with on_error="warn"
            yield from _scratch(suffix, folder)
            return
        path = answer["path"]
        if folder:
            os.makedirs(path)
        try:
            yield path
        except BaseException:
            shutil.rmtree(path, ignore_errors=True) if folder else _remove(path)
            raise
        self._save(path, epoch, step, metrics, "move", policy)

    def save(self, path: PathLike, epoch: Optional[int] = None, step: Optional[int] = None,
             metrics: Optional[Mapping[str, float]] = None, transfer: str = "copy",
             policy: Optional[Mapping[str, Any]] = None) -> None:
        """Saves a file or folder already written as a checkpoint, in the background (``transfer``:
        ``copy``, ``move`` or ``link``)."""
        if self._saves:
            self._save(os.path.abspath(os.fspath(path)), epoch, step, metrics, transfer, policy)

    def _save(self, path: str, epoch: Optional[int], step: Optional[int], metrics: Optional[Mapping[str, float]],
              transfer: str, policy: Optional[Mapping[str, Any]]) -> None:
        if epoch is None and step is None:
            raise ValueError("a checkpoint needs an epoch or a step")
        fields: Dict[str, Any] = {"path": path, "transfer": transfer}
        if epoch is not None:
            fields["epoch"] = int(epoch)
        if step is not None:
            fields["step"] = int(step)
        if metrics:
            fields["metrics"] = {key: float(value) for key, value in metrics.items()}
        if policy:
            fields["policy"] = dict(policy)
        self._call("save", **fields)

    def wait(self) -> Optional[Dict[str, Any]]:
        """Waits until every point and checkpoint handed over is durable; returns the last save's result."""
        self._send()
        return self._call("wait")

    def best(self) -> Optional[Dict[str, Any]]:
        """The run's best checkpoint (path, epoch, step, metrics...), or None."""
        return self._call("best")

    def last(self) -> Optional[Dict[str, Any]]:
        """The run's last checkpoint, or None."""
        return self._call("last")

    def latest(self, experiment: Optional[str] = None) -> Optional[Dict[str, Any]]:
        """The checkpoint to resume from: this run's newest complete one, or the newest of ``experiment``."""
        return self._call("latest", **({"experiment": experiment} if experiment else {}))

    def info(self) -> Dict[str, Any]:
        """The run as ``cairn run show --json`` shows it."""
        return self._call("info")

    # The end -----------------------------------------------------------------------------------------

    def finish(self, status: str = "FINISHED", error: Optional[str] = None) -> None:
        """Hands over what is pending, waits for it, and ends the run (under ``cairn exec``, exec ends it
        when the command exits; this records the error, if any)."""
        if self._finished:
            return
        self._finished = True
        self._stop = True
        self._wake.set()
        self._sender.join()
        try:
            self._send()
            fields: Dict[str, Any] = {"status": status}
            if error:
                fields["error"] = error
            self._call("finish", **fields)
        finally:
            self._channel.close()

    def __enter__(self) -> "Run":
        return self

    def __exit__(self, kind: Any, value: Any, traceback: Any) -> None:
        if kind is None:
            self.finish()
        else:
            self.finish("FAILED", error=kind.__name__)

    def _call(self, op: str, **fields: Any) -> Any:
        if self._error is not None:
            error, self._error = self._error, None
            if not self._tolerate(error):
                raise error
        try:
            return self._channel.request(op, **fields)
        except CairnConnectionError as error:
            if not self._tolerate(error):
                raise
            return None

    def _post(self, op: str, **fields: Any) -> None:
        """``_call`` without waiting for the answer."""
        try:
            self._channel.send(op, **fields)
        except CairnConnectionError as error:
            if not self._tolerate(error):
                raise

    def _tolerate(self, error: BaseException) -> bool:
        if self._on_error != "warn" or not isinstance(error, CairnConnectionError):
            return False
        if not self._warned:
            self._warned = True
            warnings.warn(f"Cairn: {error}; training goes on without Cairn", RuntimeWarning, stacklevel=3)
        return True


def _scratch(suffix: str, folder: bool) -> Iterator[str]:
    """A path in a temporary folder, removed after use: what a checkpoint block writes when nothing is saved."""
    scratch = tempfile.mkdtemp(prefix="cairn-unsaved-")
    try:
        path = os.path.join(scratch, "checkpoint" + suffix)
        if folder:
            os.makedirs(path)
        yield path
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def init(experiment: Optional[str] = None, config: Union[None, Mapping[str, Any], PathLike] = None,
         overrides: Optional[List[str]] = None, name: Optional[str] = None, tags: Optional[Mapping[str, Any]] = None,
         store: Optional[PathLike] = None, on_error: str = "raise", tensorboard: bool = True,
         all_ranks: bool = False) -> Run:
    """Starts (or, under ``cairn exec``, joins) a run.

    Under ``cairn exec`` the run is exec's: the client connects to ``$CAIRN_SOCKET`` and ``experiment``,
    ``config`` and ``overrides`` are exec's (``tags`` are added). Elsewhere it starts ``cairn agent``,
    which creates the run in ``store`` (default: found as the CLI finds it) from ``experiment``,
    ``config`` (a dict, or the path of a YAML/JSON file), ``overrides`` (``"key=value"``), ``name`` and
    ``tags``. With ``on_error="warn"``, a Cairn that cannot be reached (or dies) is a warning and the
    run's methods do nothing, so training goes on.
    """
    if on_error not in ("raise", "warn"):
        raise ValueError("on_error must be 'raise' or 'warn'")
    try:
        return _init(experiment, config, overrides, name, tags, store, tensorboard, all_ranks, on_error)
    except CairnConnectionError as error:
        if on_error != "warn":
            raise
        warnings.warn(f"Cairn: {error}; training goes on without Cairn", RuntimeWarning, stacklevel=2)
        return _DetachedRun(experiment)


def _init(experiment: Optional[str], config: Any, overrides: Optional[List[str]], name: Optional[str],
          tags: Optional[Mapping[str, Any]], store: Optional[PathLike], tensorboard: bool, all_ranks: bool,
          on_error: str) -> Run:
    hello: Dict[str, Any] = {"protocol": PROTOCOL, "pid": os.getpid(), "rank": _rank(), "all_ranks": all_ranks}
    socket_path = os.environ.get("CAIRN_SOCKET")
    exec_run = os.environ.get("CAIRN_RUN_ID")
    if socket_path and os.path.lexists(socket_path):
        channel = Channel.connect(socket_path)
        owns = False
    elif exec_run:
        # Under 'cairn exec' on a host that cannot reach its socket (another node's rank): join exec's run.
        hello["init"] = {"run": exec_run, "tensorboard": tensorboard}
        channel = Channel.spawn(os.fspath(store) if store is not None else os.environ.get("CAIRN_STORE"))
        owns = False
    else:
        if not experiment:
            raise ValueError("cairn.init needs an experiment (or run the script under 'cairn exec')")
        spec: Dict[str, Any] = {"experiment": experiment, "tensorboard": tensorboard, "command": [sys.executable] + sys.argv,
                                "cwd": os.getcwd()}
        if isinstance(config, Mapping):
            spec["config"] = json.loads(json.dumps(dict(config), default=str))
        elif config is not None:
            spec["config_path"] = os.path.abspath(os.fspath(config))
        if overrides:
            spec["overrides"] = [str(item) for item in overrides]
        if name is not None:
            spec["name"] = name
        if tags:
            spec["tags"] = {key: str(value) for key, value in tags.items()}
        hello["init"] = spec
        channel = Channel.spawn(os.fspath(store) if store is not None else None)
        owns = True
    try:
        answer = channel.request("hello", **hello)
    except BaseException:
        channel.close()
        raise
    run = Run(channel, answer, owns, all_ranks, on_error)
    if not owns and tags:
        run.set_tags(tags)
    return run


class _DetachedRun(Run):
    """What ``init(on_error="warn")`` returns when Cairn cannot be reached: every method does nothing."""

    def __init__(self, experiment: Optional[str]) -> None:  # noqa: D107 - no channel
        self.id = ""
        self.experiment = experiment or ""
        self.name = None
        self.dir = ""
        self.config = {}
        self.rank = _rank()
        self._finished = True

    def log(self, data: Mapping[str, Union[int, float]], step: Optional[int] = None, split: Optional[str] = None) -> None:
        return None

    def _call(self, op: str, **fields: Any) -> Any:
        return None

    @contextlib.contextmanager
    def checkpoint(self, epoch: Optional[int] = None, step: Optional[int] = None,
                   metrics: Optional[Mapping[str, float]] = None, suffix: str = ".pt", folder: bool = False,
                   policy: Optional[Mapping[str, Any]] = None) -> Iterator[str]:
        yield from _scratch(suffix, folder)

    def flush(self) -> None:
        return None

    def wait(self) -> None:
        return None

    def finish(self, status: str = "FINISHED", error: Optional[str] = None) -> None:
        return None


def _env_int(name: str) -> Optional[int]:
    """An environment variable's whole number, or None when unset or not a number."""
    try:
        return int(os.environ[name])
    except (KeyError, ValueError):
        return None


def latest_checkpoint(experiment: str, store: Optional[PathLike] = None) -> Optional[Dict[str, Any]]:
    """The checkpoint a resumed training of ``experiment`` should load (its newest run's newest complete
    checkpoint), or None when it has none."""
    command = [cairn_binary(), "ckpt", "latest", experiment, "--json"] + (["--store", os.fspath(store)] if store else [])
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        message = result.stderr.strip().removeprefix("cairn: error: ").removeprefix("error: ")
        if "has a checkpoint yet" in message or "no checkpoint" in message:
            return None
        raise CairnError(message or f"cairn ckpt latest failed ({result.returncode})")
    return json.loads(result.stdout)
