"""Run the frontend starter for real: `invoke frontend` serves the Streamlit page headless on a free
127.0.0.1 port, and Streamlit's health check and the page answer. (The page's predictions through
the API are the generated project's own tests, tests/test_frontend.py, run with the others.)

Called after the API check, so the project is installed and its tasks run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from verify_shell import CheckError, Project, free_port

# Seconds Streamlit may take to answer its health check (its first start imports a lot).
STARTUP_TIMEOUT = 90


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode(errors="replace")


def process_tree(pid: int) -> list[tuple[int, str]]:
    """Every process below ``pid``, each with its start time (so a reused number is not taken for it),
    read from /proc."""
    children: dict[int, list[tuple[int, str]]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append((int(stat.parent.name), fields[19]))
    found, queue = [], [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child[0])
    return found


def stop(process: subprocess.Popen) -> None:
    """Stop invoke and the streamlit it started.

    invoke runs streamlit in a pseudo-terminal, a session of its own, so a signal to invoke's group
    does not reach it: an interrupt makes invoke pass Ctrl-C on, as in a terminal. Whatever is still
    up after that is killed.
    """
    tree = process_tree(process.pid)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)
    for pid, started in tree:
        try:
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19] == started:
                os.kill(pid, signal.SIGKILL)
        except (OSError, IndexError):
            pass  # already gone


def check_frontend(p: Project) -> str:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile(mode="w+") as server_log:
        server = subprocess.Popen(
            [*p.invoke, "frontend", "--port", str(port)],
            cwd=p.root,
            env=p.env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        began = time.monotonic()
        try:
            while True:
                try:
                    status, health = fetch(f"{base}/_stcore/health")
                    break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    if server.poll() is not None or time.monotonic() - began > STARTUP_TIMEOUT:
                        server_log.seek(0)
                        raise CheckError(f"the frontend did not come up:\n{server_log.read()[-3000:]}") from None
                    time.sleep(0.5)
            started = time.monotonic() - began
            if status != 200 or health.strip() != "ok":
                raise CheckError(f"/_stcore/health answered {status} {health[:200]!r}")
            page_status, page = fetch(base)
            if page_status != 200 or "<title>" not in page:
                raise CheckError(f"the page answered {page_status} {page[:200]!r}")
        finally:
            stop(server)
    return f"invoke frontend: /_stcore/health ok after {started:.1f}s on port {port}; page served"
