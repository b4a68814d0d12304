"""A generated project's API served for the checks: uvicorn on a free port of 127.0.0.1, and POSTs of
the requests verify_kinds.py makes for each kind of data."""

from __future__ import annotations

import contextlib
import json
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

from verify_kinds import Request
from verify_shell import CheckError, free_port, project_env


@contextlib.contextmanager
def served_api(project: Path, bin_dir: Path, package: str) -> Iterator[str]:
    """Serve the project's API with its venv's uvicorn until /health says ok; yield its base URL; stop it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile(mode="w+") as server_log:
        server = subprocess.Popen(
            [str(bin_dir / "uvicorn"), f"{package}.api:app", "--host", "127.0.0.1", "--port", str(port)],
            cwd=project,
            env=project_env(bin_dir),
            stdout=server_log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/health", timeout=5) as response:
                        health = json.loads(response.read())
                    break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    if server.poll() is not None or time.monotonic() > deadline:
                        server_log.seek(0)
                        raise CheckError(f"the API did not come up:\n{server_log.read()[-3000:]}") from None
                    time.sleep(0.5)
            if health.get("status") != "ok":
                raise CheckError(f"/health answered {health}")
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


def post(url: str, request: Request) -> tuple[int, dict]:
    """POST ``request`` to ``url``; return the status and the JSON answer."""
    if request.upload is not None:
        filename, content_type, data = request.upload
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    else:
        body, headers = json.dumps(request.json_body).encode(), {"Content-Type": "application/json"}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers), timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
