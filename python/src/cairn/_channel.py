"""The channel to Cairn's agent: exec's Unix socket, or the pipes of a ``cairn agent`` this process starts."""

import json
import os
import shutil
import socket
import stat
import subprocess
import threading
from typing import Any, Dict, NoReturn, Optional

from .errors import CairnConnectionError, CairnError, from_answer

PROTOCOL = 1
# Compact, and without the circular-reference check (requests are trees the client builds).
_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False)


def cairn_binary() -> str:
    """The cairn binary: ``$CAIRN_BIN``, else ``cairn`` on the PATH."""
    explicit = os.environ.get("CAIRN_BIN")
    if explicit:
        return explicit
    found = shutil.which("cairn")
    if not found:
        raise CairnConnectionError("the cairn binary is not on the PATH", "not-found",
                                   "install it (see Cairn's README) or set CAIRN_BIN to its path")
    return found


def check_socket(path: str) -> None:
    """Refuses a socket that is not this user's, in a folder others can enter."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise CairnConnectionError(f"the Cairn socket '{path}' does not exist", "not-found",
                                   "run the script under 'cairn exec', or unset CAIRN_SOCKET") from None
    if not stat.S_ISSOCK(info.st_mode) or info.st_uid != os.getuid():
        raise CairnConnectionError(f"'{path}' is not a Cairn socket of this user (uid {os.getuid()})", "permission-denied",
                                   "unset CAIRN_SOCKET, or run the script under your own 'cairn exec'")
    folder = os.lstat(os.path.dirname(path) or ".")
    if folder.st_uid != os.getuid() or folder.st_mode & 0o077:
        raise CairnConnectionError(f"the folder of the Cairn socket '{path}' is open to other users", "permission-denied",
                                   "Cairn keeps its sockets in a folder of mode 0700; unset CAIRN_SOCKET")


class Channel:
    """Requests and their answers, one at a time (a lock keeps them in order across threads)."""

    # Requests sent without waiting have their answers read once this many are due: the agent writes
    # each answer, and a pipe holds about 64 KiB of them (some 1,300), so a loop that only logs must not
    # leave them all to the next request, or the agent would block writing and stop reading.
    DRAIN_AT = 128

    def __init__(self, reader: Any, writer: Any, process: Optional[subprocess.Popen] = None,
                 sock: Optional[socket.socket] = None, where: str = "") -> None:
        self._reader = reader
        self._writer = writer
        self._process = process
        self._socket = sock
        self._lock = threading.Lock()
        self._next_id = 0
        self._unanswered = 0
        self._deferred: Optional[Dict[str, Any]] = None
        self._where = where
        self.closed = False

    @classmethod
    def connect(cls, path: str) -> "Channel":
        """Connects to exec's socket at ``path``."""
        check_socket(path)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(path)
        except OSError as error:
            sock.close()
            raise CairnConnectionError(f"the Cairn socket '{path}' does not answer ({error.strerror}): its 'cairn exec' has ended",
                                       "stale", "unset CAIRN_SOCKET, or run the script under 'cairn exec' again") from None
        return cls(sock.makefile("rb"), sock.makefile("wb"), sock=sock, where=f"the Cairn socket '{path}'")

    @classmethod
    def spawn(cls, store: Optional[str]) -> "Channel":
        """Starts ``cairn agent`` for this process's run."""
        command = [cairn_binary(), "agent"] + (["--store", store] if store else [])
        try:
            process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)
        except OSError as error:
            raise CairnConnectionError(f"cannot start '{command[0]}' ({error.strerror})", "not-found",
                                       "install cairn on the PATH, or set CAIRN_BIN to the binary") from None
        return cls(process.stdout, process.stdin, process=process, where=f"the Cairn agent (pid {process.pid})")

    def request(self, op: str, **fields: Any) -> Any:
        """Sends one request and returns its result; raises Cairn's error, or CairnConnectionError."""
        with self._lock:
            self._write(op, fields)
            replies = [self._read() for _ in range(self._unanswered + 1)]
            self._unanswered = 0
            deferred, self._deferred = self._deferred, None
        # Answers to requests sent without waiting come first: the first of their errors is raised.
        if deferred is not None:
            replies.insert(0, deferred)
        for reply in replies:
            if not reply.get("ok"):
                raise from_answer(reply.get("error") or {})
        return replies[-1].get("result")

    def send(self, op: str, **fields: Any) -> None:
        """Sends a request without waiting for its answer (read, and its error raised, with the next
        ``request``). Once written, the request reaches the agent even if this process dies."""
        with self._lock:
            self._write(op, fields)
            self._unanswered += 1
            if self._unanswered >= self.DRAIN_AT:
                self._drain()

    def _drain(self) -> None:
        """Reads the answers due (the lock held), keeping the first error for the next ``request``."""
        for _ in range(self._unanswered):
            reply = self._read()
            if not reply.get("ok") and self._deferred is None:
                self._deferred = reply
        self._unanswered = 0

    def _write(self, op: str, fields: Dict[str, Any]) -> None:
        if self.closed:
            raise CairnConnectionError(f"{self._where} is closed", "closed", "start a new run with cairn.init()")
        self._next_id += 1
        payload = fields.pop("_payload", None)
        fields["id"] = self._next_id
        fields["op"] = op
        try:
            self._writer.write(_ENCODER.encode(fields).encode() + b"\n")
            if payload is not None:
                self._writer.write(payload)
            self._writer.flush()
        except (OSError, ValueError) as error:
            self._gone(getattr(error, "strerror", None) or str(error))

    def _read(self) -> Dict[str, Any]:
        try:
            answer = self._reader.readline()
        except (OSError, ValueError) as error:
            self._gone(getattr(error, "strerror", None) or str(error))
        if not answer:
            self._gone("it closed the connection")
        return json.loads(answer)

    def _gone(self, reason: str) -> "NoReturn":
        self.closed = True
        raise CairnConnectionError(f"{self._where} is gone ({reason}); what was handed over before is in the store",
                                   "connection", "check the agent's error output; pass on_error='warn' to cairn.init to train on without Cairn")

    def close(self) -> None:
        """Closes the channel; a ``cairn agent`` this process started then ends (its run with it)."""
        with self._lock:
            if self.closed and self._process is None:
                return
            self.closed = True
            for stream in (self._writer, self._reader):
                try:
                    stream.close()
                except OSError:
                    pass
            if self._socket is not None:
                self._socket.close()
            if self._process is not None:
                self._process.wait()
                self._process = None


__all__ = ["Channel", "PROTOCOL", "cairn_binary", "CairnError"]
