"""Helpers the benchmarks share: process trees, start times and environments read from /proc, and a log
file's last line."""
import os


def process_tree(root):
    """The pids of root and all its descendants (read from /proc)."""
    children = {}
    for d in os.listdir("/proc"):
        if not d.isdigit(): continue
        try:
            with open(f"/proc/{d}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(d))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def last_line(path, empty="(no output)", missing="(no log)"):
    """The last non-blank line of a log file (at most 300 characters), for a message."""
    try:
        with open(path, errors="replace") as f:
            lines = [l.strip() for l in f if l.strip()]
        return lines[-1][:300] if lines else empty
    except OSError:
        return missing

def start_time(pid):
    """The process's start time in clock ticks (to tell it from a later process given the same pid)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return None


def env_var(pid, name):
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            for item in f.read().split(b"\0"):
                if item.startswith(name.encode() + b"="):
                    return item.split(b"=", 1)[1].decode()
    except OSError:
        pass
    return None
