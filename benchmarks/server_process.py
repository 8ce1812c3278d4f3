"""A server the benchmarks start: its process group spawned with a command, waited for on /health, and
stopped whole (with any descendant that left the group, and the job queue folder mlflow's job runner makes
in /dev/shm). Servers running are in LIVE, so that a benchmark stops them on the way out whatever happens."""
import http.client, os, shutil, signal, subprocess, tempfile, time
from procfs import env_var, last_line, process_tree, start_time

LIVE = []            # servers running now
COLD_TIMEOUT = 180   # seconds for a server to answer /health


class ServerProcess:
    """One server process group: `cmd` with `env`, answering on 127.0.0.1:`port`, its output in `log`
    (whose folder is its working directory)."""

    def __init__(self, kind, cmd=None, env=None, port=None, log=None):
        self.kind, self.cmd, self.env, self.port, self.log = kind, cmd, env, port, log
        self.proc = None

    def start(self):
        """Spawns the server and waits for /health: the seconds from spawn to the first 200 "OK"."""
        with open(self.log, "w") as log:
            start = time.perf_counter()
            self.proc = subprocess.Popen(self.cmd, cwd=os.path.dirname(self.log), stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, env=self.env, start_new_session=True)
        LIVE.append(self)
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited ({self.proc.returncode}): {last_line(self.log)}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/health")
                response = conn.getresponse()
                healthy = response.status == 200 and response.read().strip() == b"OK"
                conn.close()
                if healthy: return time.perf_counter() - start
            except OSError:
                pass
            if time.perf_counter() - start > COLD_TIMEOUT:
                raise RuntimeError(f"no 200 OK from /health in {COLD_TIMEOUT} s: {last_line(self.log)}")
            time.sleep(0.01)

    def stop(self):
        """SIGTERM to the process group, SIGKILL if it is not gone in 15 s, then to any descendant left
        outside it; removes the job queue folder mlflow's job runner made in /dev/shm."""
        if self.proc is None: return
        group = self.proc.pid
        tree = [(pid, start_time(pid)) for pid in process_tree(group) if pid != group]
        scratch = {env_var(pid, "_MLFLOW_HUEY_STORAGE_PATH") for pid, _ in tree} - {None}
        def gone(seconds):
            deadline = time.time() + seconds
            while time.time() < deadline:
                self.proc.poll()   # reaps the leader, whose zombie would keep the group alive
                try:
                    os.killpg(group, 0)
                except ProcessLookupError:
                    return True
                time.sleep(0.05)
            return False
        for sig, seconds in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(group, sig)
            except ProcessLookupError:
                break
            if gone(seconds): break
        for pid, started in tree:   # a descendant that left the group (none is expected)
            if started is not None and start_time(pid) == started:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.proc.wait()
        for path in scratch:
            if path.startswith("/dev/shm/") or path.startswith(tempfile.gettempdir() + "/"):
                shutil.rmtree(path, ignore_errors=True)
        self.proc = None
        if self in LIVE: LIVE.remove(self)
