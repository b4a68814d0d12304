#!/usr/bin/env python3
"""Open `dayone report html` pages in headless Chromium, as a grader would, and check them.

    python3 scripts/verify_report_page.py [--dayone target/debug/dayone] [--chromium chromium]

Two pages: the report of a fresh project, and the same report filled in (every answer written,
figures, a table, a long code line, a long link). Each is loaded from a file, under its own
Content-Security-Policy, at 375 and 1280 pixels wide, and must hold:
  - no console error, no uncaught exception, no security-policy violation;
  - every embedded figure loaded and drawn with a size;
  - every table-of-contents link leads to an element that exists and comes into view;
  - nothing wider than the window (no horizontal scrolling).
Then the checks are turned on pages broken on purpose (a script the policy refuses, an image
that cannot load, an element wider than the window, a contents link to nowhere): each must be
caught, so a check that cannot fail fails the run.

Chromium is driven over its DevTools protocol on a pipe (`--remote-debugging-pipe`, messages
ended by NUL), so nothing listens on a port. No screenshot is kept. Exit 0 when every check
holds, 1 when one does not, 2 when Chromium or dayone cannot be run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

WIDTHS = (375, 1280)
TIMEOUT = 30.0
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--remote-debugging-pipe",
    "about:blank",
]

# What the page shows once loaded, measured in the page itself.
MEASURE = r"""
(() => {
  const out = {figures: [], links: [], overflow: null};
  for (const img of document.images) {
    const box = img.getBoundingClientRect();
    out.figures.push({src: img.getAttribute('src').slice(0, 40), loaded: img.complete && img.naturalWidth > 0,
                      width: box.width, height: box.height});
  }
  const nav = document.querySelector('nav.contents');
  for (const a of nav ? nav.querySelectorAll('a[href^="#"]') : []) {
    const id = decodeURIComponent(a.getAttribute('href').slice(1));
    const target = document.getElementById(id);
    let lands = false;
    if (target) {
      a.click();
      const top = target.getBoundingClientRect().top;
      lands = location.hash === '#' + encodeURIComponent(id).replace(/%20/g, ' ') || location.hash === a.getAttribute('href');
      lands = lands && top > -2 && top < window.innerHeight;
    }
    out.links.push({href: a.getAttribute('href'), exists: !!target, lands});
  }
  window.scrollTo(0, 0);
  const doc = document.documentElement;
  out.overflow = {scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth};
  if (doc.scrollWidth > window.innerWidth) {
    const wide = [...document.body.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1);
    out.overflow.widest = wide.slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
  }
  return out;
})()
"""


class Chromium:
    """One headless Chromium, spoken to over the DevTools pipe."""

    def __init__(self, binary: str, profile: Path):
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        # Chromium reads commands on fd 3 and writes replies and events on fd 4; they are put
        # there after the fork, and kept open through the exec.
        def fds():
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        self.proc = subprocess.Popen(
            [binary, f"--user-data-dir={profile}", *FLAGS],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=fds,
            pass_fds=(3, 4),
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next = 0
        self.events: list[dict] = []

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_child)
        os.close(self._from_child)

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._from_child, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next += 1
        ask = {"id": self._next, "method": method, "params": params or {}}
        if session:
            ask["sessionId"] = session
        os.write(self._to_child, json.dumps(ask).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self._read(deadline)
            if message.get("id") == self._next:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method: str, session: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while True:
            for event in self.events:
                if event.get("method") == method and event.get("sessionId") == session:
                    self.events.remove(event)
                    return
            self.events.append(self._read(deadline))


def problems_with(browser: Chromium, page: Path, width: int, figures: int) -> list[str]:
    """Everything wrong with `page` at `width` pixels, in a fresh tab; it embeds `figures`."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log"):
        browser.send(f"{domain}.enable", session=session)
    browser.send(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 600},
        session=session,
    )
    browser.events.clear()
    browser.send("Page.navigate", {"url": page.as_uri()}, session=session)
    browser.wait_for("Page.loadEventFired", session)
    shown = browser.send(
        "Runtime.evaluate", {"expression": MEASURE, "returnByValue": True, "awaitPromise": True}, session=session
    )["result"]["value"]
    # Let late console messages (a refused resource) arrive.
    browser.send("Runtime.evaluate", {"expression": "new Promise(r => setTimeout(r, 100))", "awaitPromise": True}, session=session)
    problems = []
    for event in browser.events:
        if event.get("sessionId") != session:
            continue
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            problems.append(f"console error: {[a.get('value') for a in params.get('args', [])]}")
        elif method == "Runtime.exceptionThrown":
            problems.append(f"uncaught exception: {params['exceptionDetails'].get('text')}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            problems.append(f"{params['entry'].get('source')} error: {params['entry'].get('text')}")
    if len(shown["figures"]) < figures:
        problems.append(f"{len(shown['figures'])} figures shown of the {figures} the report has")
    for figure in shown["figures"]:
        if not figure["loaded"] or figure["width"] < 1 or figure["height"] < 1:
            problems.append(f"figure {figure['src']}… not drawn with a size: {figure}")
    if not shown["links"]:
        problems.append("the table of contents has no links")
    for link in shown["links"]:
        if not (link["exists"] and link["lands"]):
            problems.append(f"contents link {link['href']} does not land: {link}")
    overflow = shown["overflow"]
    if overflow["innerWidth"] != width:
        # A phone lays out a page without `width=device-width` 980 px wide and zooms out.
        problems.append(f"laid out {overflow['innerWidth']} px wide on a {width} px screen")
    if overflow["scrollWidth"] > overflow["innerWidth"]:
        problems.append(f"wider than the window: {overflow}")
    browser.send("Target.closeTarget", {"targetId": target})
    return problems


def png(width: int, height: int) -> bytes:
    """A plain PNG of two colours, made here so the check needs no image files."""
    rows = b"".join(b"\0" + bytes([40, 90, 160] if y < height // 2 else [220, 120, 40]) * width for y in range(height))
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def fill(report: str) -> str:
    """The skeleton with every answer written: prose, a table, a long code line, figures."""
    out = []
    for line in report.splitlines():
        if "fill here ---" not in line:
            out.append(line)
            continue
        number = int(line.split("question")[1].split()[0])
        words = " ".join(f"word{i}" for i in range(80))
        answer = f"Our answer to question {number}: {words}."
        if number in (14, 15, 16):
            answer += f"\n\n![figure {number}](figures/figure{number}.png)"
        if number == 5:
            answer += "\n\n| stage | tool | time |\n| --- | --- | --- |\n| train | torch | 3 min |\n| serve | fastapi | 20 ms |"
        if number == 6:
            answer += "\n\n```\n" + "x = compute(" + ", ".join(f"argument_{i}" for i in range(30)) + ")\n```"
        if number == 7:
            answer += " See https://example.org/" + "a-very-long-path-segment-" * 8 + "end for details."
        out.append(answer)
    return "\n".join(out) + "\n"


def broken(page: str, how: str) -> str:
    """`page` broken in one way a check must catch."""
    if how == "script":
        return page.replace("</body>", "<script>document.title = 'ran';</script></body>")
    if how == "image":
        return page.replace("</main>", '<p><img src="data:image/png;base64,bm90IGEgcG5n" alt="x"></p></main>')
    if how == "wide":
        return page.replace("</main>", '<div style="width: 3000px">wide</div></main>')
    if how == "link":
        return page.replace('href="#week-1"', 'href="#nowhere"')
    raise ValueError(how)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dayone", default="target/debug/dayone")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "chromium"))
    args = parser.parse_args()
    chromium = shutil.which(args.chromium)
    if not chromium:
        print(f"error: {args.chromium} not found; install it (Debian: apt-get install -y chromium)", file=sys.stderr)
        return 2
    dayone = Path(args.dayone).resolve()
    if not dayone.is_file():
        print(f"error: {dayone} does not exist; build it first (cargo build)", file=sys.stderr)
        return 2
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="dayone-page-") as tmp:
        root = Path(tmp)
        env = {**os.environ, "HOME": str(root), "XDG_CONFIG_HOME": str(root / "config"), "NO_COLOR": "1"}
        run = lambda *a: subprocess.run([str(dayone), *a], cwd=root, env=env, check=True, capture_output=True)
        run("new", "fresh", "--yes", "--no-git", "--quiet")
        run("new", "filled", "--yes", "--no-git", "--quiet")
        report = root / "filled/reports/README.md"
        report.write_text(fill(report.read_text()))
        for number in (14, 15, 16):
            (root / f"filled/reports/figures/figure{number}.png").write_bytes(png(800, 300))
        pages = {}
        for name in ("fresh", "filled"):
            page = root / f"{name}.html"
            result = subprocess.run(
                [str(dayone), "report", "html", name, "-o", str(page)], cwd=root, env=env, capture_output=True
            )
            if result.returncode not in (0, 1) or not page.exists():
                print(f"error: dayone report html {name} failed: {result.stderr.decode()}", file=sys.stderr)
                return 2
            pages[name] = page
        for how in ("script", "image", "wide", "link"):
            page = root / f"broken-{how}.html"
            page.write_text(broken(pages["filled"].read_text(), how))
            pages[f"broken-{how}"] = page

        browser = Chromium(chromium, root / "profile")
        failed = 0
        try:
            browser.send("Target.setDiscoverTargets", {"discover": False})
            for name, page in pages.items():
                for width in WIDTHS:
                    problems = problems_with(browser, page, width, 0 if name == "fresh" else 3)
                    if name.startswith("broken-"):
                        # The break must be caught (at 375 px the wide element is too).
                        ok = bool(problems)
                        said = problems[0] if problems else "NOT CAUGHT"
                    else:
                        ok = not problems
                        said = "; ".join(problems) if problems else "ok"
                    failed += not ok
                    print(f"{'ok  ' if ok else 'FAIL'} {name:<14} {width:>4} px  {said}")
        finally:
            browser.close()
    seconds = time.monotonic() - started
    checks = len(pages) * len(WIDTHS)
    print(f"report pages in Chromium: {checks - failed} of {checks} checks held ({seconds:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
