"""The scientific Python environment a submission gets: the server's own installed packages.

Nothing is installed for a submission. The distributions in SCIENTIFIC (and what they need,
plus pytest for the candidate's tests) are bound read-only into the sandbox from the server's
site-packages, each top-level entry on its own, so the sandbox sees those packages and nothing
else of the server's environment. A requirement the candidate declares outside that set is
reported "not available" and the run goes on.
"""

from __future__ import annotations

import functools
import importlib.metadata
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from hiresight.takehome.schemas import Requirement

SCIENTIFIC = ("numpy", "pandas", "scipy", "scikit-learn", "lightgbm")
TESTING = ("pytest",)
SITE_IN_SANDBOX = "/opt/hiresight-python"
# The interpreter of the sandbox: the system's, the same minor version as the server's.
INTERPRETER = "/usr/bin/python3"
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
MAX_REQUIREMENT_LINES = 500


def canonical(name: str) -> str:
    """PEP 503 normalised distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _marker_applies(marker: str) -> bool:
    """Whether a dependency marker holds here (Linux, Python 3.11+, no extras asked for)."""
    marker = marker.replace("'", '"')
    return not (
        "extra ==" in marker
        or 'sys_platform == "win32"' in marker
        or 'platform_system == "Windows"' in marker
        or "python_version <" in marker
    )


@dataclass(frozen=True)
class Environment:
    """The distributions bound into the sandbox and the site-packages entries to bind."""

    versions: dict[str, str]  # canonical name -> version, for each distribution available
    missing: tuple[str, ...]  # asked-for distributions the server does not have
    binds: tuple[tuple[Path, str], ...]  # (host path, path in the sandbox)

    @property
    def python_path(self) -> str:
        """The PYTHONPATH of a run."""
        return SITE_IN_SANDBOX


def _closure(
    roots: tuple[str, ...],
) -> tuple[dict[str, importlib.metadata.Distribution], list[str]]:
    found: dict[str, importlib.metadata.Distribution] = {}
    missing: list[str] = []
    queue = list(roots)
    while queue:
        name = canonical(queue.pop())
        if name in found or name in missing:
            continue
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(name)
            continue
        found[name] = dist
        for requirement in dist.requires or []:
            spec, _, marker = requirement.partition(";")
            if marker and not _marker_applies(marker):
                continue
            if m := _NAME.match(spec):
                queue.append(m.group(1))
    return found, missing


@functools.cache
def sandbox_environment() -> Environment:
    """The read-only environment of every run, computed once per process."""
    dists, missing = _closure(SCIENTIFIC + TESTING)
    binds: dict[str, Path] = {}
    for dist in dists.values():
        for file in dist.files or []:
            top = file.parts[0] if file.parts else ""
            if top in ("", "..", "__pycache__") or top.endswith(".pth") or top in binds:
                continue
            host = Path(str(dist.locate_file(top)))
            if host.exists():
                binds[top] = host
    return Environment(
        versions={name: dist.version for name, dist in sorted(dists.items())},
        missing=tuple(sorted(m for m in missing if m in {canonical(n) for n in SCIENTIFIC})),
        binds=tuple((host, f"{SITE_IN_SANDBOX}/{top}") for top, host in sorted(binds.items())),
    )


@functools.cache
def interpreter_version() -> str | None:
    """The version of the sandbox's interpreter (it must share the server's minor version)."""
    try:
        done = subprocess.run(
            [INTERPRETER, "-I", "-S", "-c", "import platform; print(platform.python_version())"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None


def describe() -> dict[str, str | None]:
    """The sandbox's interpreter and each package's version (None: not on this server)."""
    env = sandbox_environment()
    listed: dict[str, str | None] = {
        "python": interpreter_version(),
        "server_python": sys.version.split()[0],
    }
    for name in (*SCIENTIFIC, *TESTING):
        listed[name] = env.versions.get(canonical(name))
    return listed


def check_requirements(submission: Path) -> list[Requirement]:
    """Each requirement in the submission's requirements*.txt, and whether the sandbox has it."""
    env = sandbox_environment()
    found: list[Requirement] = []
    for path in sorted(submission.glob("requirements*.txt")):
        if not path.is_file() or path.is_symlink():
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        for raw in lines[:MAX_REQUIREMENT_LINES]:
            line = raw.split("#", 1)[0].strip()
            if not line or line.startswith("-"):
                continue
            m = _NAME.match(line)
            if m is None:
                found.append(Requirement(line=line[:200], name="", available=False,
                                         note="not a requirement line"))  # fmt: skip
                continue
            name = canonical(m.group(1))
            version = env.versions.get(name)
            found.append(
                Requirement(
                    line=line[:200],
                    name=name,
                    available=version is not None,
                    installed_version=version,
                    note="" if version is not None else "not available: the run goes on without it",
                )
            )
    return found
