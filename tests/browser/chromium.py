"""Debian's chromium for Playwright: installed with apt when missing (CI and developers'
machines run as root), so `make test` needs no browser download of Playwright's own."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")

# Nothing but the loopback server: every other host name fails to resolve, and the
# browser's own background traffic (updates, safe browsing, metrics) stays off.
LAUNCH_ARGS = [
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-domain-reliability",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
]


def ensure_chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if shutil.which("apt-get") is None:
        raise RuntimeError(f"{CHROMIUM} is missing and apt-get is not available to install it")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "-o", "DPkg::Lock::Timeout=600", "update", "-qq"],
        # Waits for another apt run (an unattended upgrade) instead of failing at once.
        ["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-qq", "chromium"],
    ):
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr[-4000:]}"
            )
    if not CHROMIUM.exists():
        raise RuntimeError(f"apt installed chromium, but {CHROMIUM} is still missing")
    return CHROMIUM
