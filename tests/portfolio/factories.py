"""Builders for small synthetic repositories whose review outcome is known in advance."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

README_GOOD = """# Invoice Parser

[![CI](https://github.com/acme/invoice/actions/workflows/ci.yml/badge.svg)](https://x)

Invoice Parser extracts totals, dates and supplier names from scanned PDF invoices so that a
small accounting team does not have to type them in by hand every month.

## Installation

```bash
pip install -r requirements.txt
```

## Usage

```bash
python -m invoice parse samples/invoice.pdf
```

![Parsed invoice](docs/screenshot.png)

## Results

On 200 sample invoices the parser found the right total in 97% of cases and the right supplier in
94%. Most errors come from handwritten notes over the printed amounts, which the OCR step reads as
digits. The next step is a small classifier that flags low-confidence fields for a human to check
before the data is exported to the accounting system, which should remove most of the manual
corrections the team still makes today. Parsing takes under a second per page on a laptop and
needs no cloud service, so invoices never leave the office network.
"""

PY_SOURCE = "\n".join(f"def helper_{i}(x):\n    return x + {i}\n" for i in range(60))
PY_TESTS = "\n".join(
    f"def test_helper_{i}():\n    assert helper_{i}(0) == {i}\n" for i in range(12)
)
MIT = "MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining...\n"
START = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)  # a Monday


def write(root: Path, rel: str, text: str) -> Path:
    """Write `text` to root/rel, creating folders."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def git(
    root: Path, *args: str, when: datetime | None = None, email: str = "ada@example.com"
) -> str:
    """Run git in `root` with no user/system config and, if given, fixed commit dates."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(root),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "Ada",
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": "Ada",
        "GIT_COMMITTER_EMAIL": "ada@example.com",
    }
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when.isoformat()
    done = subprocess.run(
        ["git", "-C", str(root), *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def commit_series(root: Path, dates: list[datetime], email: str = "ada@example.com") -> None:
    """One commit per date by `email`, each touching a log file so it is never empty."""
    for n, when in enumerate(dates):
        write(root, "CHANGELOG.txt", f"change {n}\n" * (n + 1))
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"change {n}", when=when, email=email)


def make_model_repo(root: Path, *, with_git: bool = True) -> Path:
    """A repository that passes every check: 12 commits over 6 weeks when `with_git`."""
    root.mkdir(parents=True, exist_ok=True)
    write(root, "README.md", README_GOOD)
    write(root, "invoice/core.py", PY_SOURCE)
    write(root, "tests/test_core.py", PY_TESTS)
    write(root, "web/app.test.ts", "\n".join(f"it('case {i}', () => {{}});" for i in range(20)))
    write(root, ".github/workflows/ci.yml", "on: push\njobs: {}\n")
    write(root, "requirements.txt", "pypdf==4.2.0\nnumpy==1.26.4  # maths\n")
    write(root, "LICENSE", MIT)
    if with_git:
        git(root, "init", "-q", "-b", "main")
        commit_series(root, [START + timedelta(days=3.5 * i) for i in range(12)])
    return root
