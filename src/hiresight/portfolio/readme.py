"""README heuristics: does it say what the project is for, how to run it, and what it does?"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_README_NAMES = ("readme.md", "readme.markdown", "readme.rst", "readme.txt", "readme")
MAX_README_BYTES = 512 * 1024

_ATX = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_UNDERLINED = re.compile(r"^(\S.*?)\s*\n(?:=+|-+|~+|\^+)\s*$", re.MULTILINE)  # setext and rst
_HTML_HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.IGNORECASE | re.DOTALL)
_IMAGE = re.compile(
    r"!\[[^\]]*\]\(\s*([^)\s]+)[^)]*\)|<img\s[^>]*?src=[\"']([^\"']+)"
    r"|^\.\. (?:image|figure)::\s*(\S+)",
    re.IGNORECASE | re.MULTILINE,
)
_BADGE_URL = re.compile(r"shields\.io|badge|badgen\.net|/workflows/|codecov|travis-ci", re.I)
_FENCED_CODE = re.compile(r"^\s*(```|~~~).*?^\s*\1[^\n]*$", re.MULTILINE | re.DOTALL)
_BADGE_OR_LINK_ONLY = re.compile(r"^\s*(?:\[?!\[[^\]]*\]\([^)]*\)\]?(?:\([^)]*\))?\s*)+$")

_PROBLEM_HEADINGS = re.compile(
    r"\b(?:about|overview|introduction|intro|motivation|why|problem|description|what\b.*\bis"
    r"|background|goals?|purpose|features)\b",
    re.IGNORECASE,
)
_INSTALL_HEADINGS = re.compile(
    r"\b(?:install\w*|set\s?up|getting started|quick\s?start|requirements|prerequisites"
    r"|build\w*|run\w*|how to run|deploy\w*|development|local development)\b",
    re.IGNORECASE,
)
_USAGE_HEADINGS = re.compile(
    r"\b(?:usage|how to use|examples?|demo|results?|screenshots?|output|benchmarks?"
    r"|performance|evaluation|api|how it works)\b",
    re.IGNORECASE,
)
# Commands that install or start a project, as typed in a README's code block.
_RUN_COMMAND = re.compile(
    r"^[ \t]*(?:\$\s*|>\s*)?(?:pip3?\s+install|python3?\s+-m\s+pip\s+install"
    r"|poetry\s+(?:install|run)|uv\s+(?:sync|run|pip)|pipenv\s+install|conda\s+(?:env|install)"
    r"|npm\s+(?:i|install|ci|start|run)|yarn(?:\s|$)|pnpm\s|cargo\s+(?:build|run|install)"
    r"|go\s+(?:run|build|install|get)|docker(?:-compose|\s+compose)?\s+(?:run|build|up)"
    r"|make(?:\s|$)|mvn\s|gradle\s|\./gradlew|python3?\s+\S+|uvicorn\s|flask\s+run"
    r"|bundle\s+(?:install|exec)|dotnet\s+(?:run|build))",
    re.MULTILINE,
)


@dataclass
class ReadmeFindings:
    """What the README heuristics found; each `*_evidence` is None when nothing matched."""

    path: str | None = None
    words: int = 0
    headings: list[str] = field(default_factory=list)
    problem_evidence: str | None = None
    install_evidence: str | None = None
    usage_evidence: str | None = None


def find_readme(root: Path) -> Path | None:
    """The README at the repository root, preferring Markdown, matched case-insensitively."""
    by_name = {p.name.lower(): p for p in root.iterdir() if p.is_file() and not p.is_symlink()}
    return next((by_name[n] for n in _README_NAMES if n in by_name), None)


def headings_of(text: str) -> list[str]:
    """Markdown (ATX and setext), reStructuredText and HTML headings, in document order."""
    found: list[tuple[int, str]] = []
    for pattern in (_ATX, _UNDERLINED, _HTML_HEADING):
        found.extend(
            (m.start(), re.sub(r"<[^>]+>|[*_`]", "", m.group(1)).strip())
            for m in pattern.finditer(text)
        )
    return [title for _, title in sorted(found) if title]


def _opening_paragraph(text: str) -> str:
    """The first paragraph of prose: not a heading, badge row, code block, image or HTML."""
    for block in re.split(r"\n\s*\n", _FENCED_CODE.sub("", text)):
        lines = [
            ln for ln in block.strip().splitlines()
            if not _ATX.match(ln) and not re.match(r"^\s*(?:=+|-+|~+|<[^>]+>)\s*$", ln)
        ]  # fmt: skip
        prose = " ".join(lines).strip()
        if prose and not _BADGE_OR_LINK_ONLY.match(prose) and not prose.startswith(("<", "!")):
            return prose
    return ""


def _screenshots(text: str) -> list[str]:
    """Image URLs in the README, leaving out status badges (CI, coverage, version shields)."""
    urls = (next(g for g in m.groups() if g) for m in _IMAGE.finditer(text))
    return [url for url in urls if not _BADGE_URL.search(url)]


def _first(pattern: re.Pattern[str], headings: list[str]) -> str | None:
    return next((h for h in headings if pattern.search(h)), None)


def analyse_readme(root: Path) -> ReadmeFindings:
    """Read the root README (if any) and look for a purpose, run instructions and usage/results."""
    path = find_readme(root)
    if path is None:
        return ReadmeFindings()
    text = path.read_bytes()[:MAX_README_BYTES].decode("utf-8", errors="replace")
    headings = headings_of(text)
    findings = ReadmeFindings(
        path=path.name, words=len(re.findall(r"\w+", text)), headings=headings
    )

    if heading := _first(_PROBLEM_HEADINGS, headings):
        findings.problem_evidence = f'section "{heading}"'
    else:
        opening = _opening_paragraph(text)
        if len(opening.split()) >= 12:
            findings.problem_evidence = f"opening paragraph of {len(opening.split())} words"

    if heading := _first(_INSTALL_HEADINGS, headings):
        findings.install_evidence = f'section "{heading}"'
    elif command := _RUN_COMMAND.search(text):
        line = text[command.start() :].split("\n", 1)[0].strip()
        findings.install_evidence = f'command "{line[:60]}"'

    if heading := _first(_USAGE_HEADINGS, headings):
        findings.usage_evidence = f'section "{heading}"'
    elif images := _screenshots(text):
        findings.usage_evidence = f"{len(images)} screenshot(s)/image(s)"
    return findings
