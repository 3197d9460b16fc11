"""A real Streamlit server for browser tests: 127.0.0.1, a free port, stopped by its pid."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# Chromium reaches for outside hosts at start unless told not to.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-default-apps"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def streamlit_server(store: Path, *, timeout: float = 60, script: Path = ROOT / "app.py",
                     options: tuple[str, ...] = ()):
    """Run ``streamlit run`` on ``script`` (the app) with the store; yield its base URL.
    ``options`` are more of streamlit's (``--server.enableStaticServing``, true)."""
    port = free_port()
    env = {**os.environ, "COVERMAP_STORE": str(store)}
    # A file, not a pipe: a pipe nobody reads fills up and stalls the server.
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script),
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false", *options],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    output = log.read().decode(errors="replace")
                    raise RuntimeError(f"streamlit did not start:\n{output}") from None
                time.sleep(0.3)
        yield url
    finally:
        stop_group(process)
        log.close()


def stop_group(process: subprocess.Popen, *, timeout: float = 10) -> None:
    """Stop a server started with ``start_new_session`` and everything it started,
    by its process id: politely, then for good."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# Streamlit marks its root with the script's state, and each element left over
# from a run that has not yet redrawn it as stale.
SETTLED = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  return app !== null && app.dataset.testScriptState === 'notRunning'
      && document.querySelector('[data-stale=true]') === null;
}"""


def wait_until_settled(page, *, timeout: float = 120_000) -> None:
    """Wait until the page's script has finished its run, every element is redrawn and
    the fonts are in: what a screenshot or a measurement of the layout needs.
    ``timeout`` (ms) guards against a hang; it is not a budget."""
    page.wait_for_function(SETTLED, timeout=timeout)
    page.evaluate("() => document.fonts.ready.then(() => true)")
