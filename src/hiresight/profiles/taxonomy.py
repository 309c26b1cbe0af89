"""The skills taxonomy: canonical skills, their aliases and categories, loaded from data/skills.csv.

The CSV is the source of truth and is meant to be edited by hand. Columns: `name` (canonical),
`category`, `aliases` (`|`-separated, lower case; a leading `~` marks an alias that is also an
everyday word, such as "spark" or "express"), `ambiguous` ("yes" when the canonical name itself is
an everyday word or a person's name, such as Go, Rust, Spring, Julia) and an optional `esco_uri`.
Ambiguous forms only count as skills when the context says so (see `skills.py`). ESCO links
(CC-BY-4.0) and their provenance are described in data/README.md.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TypeAlias

from pydantic import BaseModel, ConfigDict

CATEGORIES = frozenset(
    {
        "language", "framework", "library", "frontend", "mobile", "database", "cloud", "devops",
        "messaging", "data-ml", "testing", "security", "practice", "tool", "protocol", "os",
        "design",
    }
)  # fmt: skip


class Skill(BaseModel):
    """One canonical skill."""

    model_config = ConfigDict(frozen=True)

    name: str
    category: str
    aliases: tuple[str, ...] = ()
    ambiguous: bool = False
    esco_uri: str | None = None


@dataclass(frozen=True, slots=True)
class SurfaceForm:
    """A way a skill can be written: the canonical name or one alias."""

    text: str
    skill: Skill
    ambiguous: bool
    is_canonical: bool


class TaxonomyError(ValueError):
    """The taxonomy data file is inconsistent (a bug in the data, not user input)."""


_Trie: TypeAlias = dict[str, "_Trie"]


def _trie_pattern(words: list[str]) -> str:
    """One regex alternation shaped as a prefix tree, so matching is linear in the text.

    A flat alternation of ~3,000 words makes `re` try every branch at every position; a trie
    lets it fail after one character almost everywhere. Longer forms win because each optional
    tail is tried before the shorter stop.
    """
    trie: _Trie = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: _Trie) -> str:
        """The regex for the subtree under `node`."""
        branches = []
        for ch in sorted(k for k in node if k):
            piece = r"\s+" if ch == " " else re.escape(ch)
            branches.append(piece + build(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            body = f"(?:{body})?"
        return body

    return build(trie)


class Taxonomy:
    """The loaded taxonomy: skills by name, surface forms and one compiled matcher."""

    def __init__(self, skills: list[Skill]) -> None:
        self.skills = skills
        self.by_name: dict[str, Skill] = {}
        self.forms: dict[str, SurfaceForm] = {}
        for skill in skills:
            if skill.category not in CATEGORIES:
                raise TaxonomyError(f"{skill.name}: unknown category {skill.category!r}")
            self.by_name[skill.name.lower()] = skill
            self._add(SurfaceForm(skill.name, skill, skill.ambiguous, True))
            for alias in skill.aliases:
                plain = alias.lstrip("~")
                self._add(SurfaceForm(plain, skill, alias.startswith("~"), False))
        pattern = _trie_pattern(sorted(self.forms))
        # Word boundaries that understand C++, C#, .NET and Node.js: no letter, digit, + or #
        # may touch a form, and a following ".x" means the form is part of a longer name.
        self.matcher = re.compile(rf"(?<![\w+#.])(?:{pattern})(?![\w+#]|\.\w)", re.IGNORECASE)

    def _add(self, form: SurfaceForm) -> None:
        key = form.text.lower()
        existing = self.forms.get(key)
        if existing is not None and existing.skill is not form.skill:
            raise TaxonomyError(
                f"{form.text!r} names both {existing.skill.name} and {form.skill.name}"
            )
        if existing is None or form.is_canonical:
            self.forms[key] = form

    def lookup(self, text: str) -> SurfaceForm | None:
        """The surface form for matched text, whatever its spacing and case."""
        return self.forms.get(re.sub(r"\s+", " ", text).lower())

    def get(self, name: str) -> Skill | None:
        """A skill by canonical name or alias, case-insensitively."""
        form = self.lookup(name.strip())
        return form.skill if form else None


def _parse_csv(text: str) -> list[Skill]:
    """Skills from the CSV text."""
    skills = []
    for row in csv.DictReader(io.StringIO(text)):
        aliases = tuple(a.strip() for a in (row["aliases"] or "").split("|") if a.strip())
        skills.append(
            Skill(
                name=row["name"].strip(),
                category=row["category"].strip(),
                aliases=aliases,
                ambiguous=(row["ambiguous"] or "").strip().lower() == "yes",
                esco_uri=(row["esco_uri"] or "").strip() or None,
            )
        )
    return skills


@cache
def load_taxonomy() -> Taxonomy:
    """The packaged taxonomy, loaded once per process."""
    text = resources.files("hiresight.profiles").joinpath("data/skills.csv").read_text("utf-8")
    return Taxonomy(_parse_csv(text))


def search_skills(q: str, limit: int = 20) -> list[Skill]:
    """Skills whose name or alias starts with (or contains) `q`, best match first.

    Rank: exact name, exact alias, name prefix, alias prefix, word prefix inside the name,
    substring; ties go to the shorter name, then alphabetical order.
    """
    query = re.sub(r"\s+", " ", q).strip().lower()
    if not query or limit <= 0:
        return []
    ranked: list[tuple[int, int, str, Skill]] = []
    for skill in load_taxonomy().skills:
        name = skill.name.lower()
        aliases = [a.lstrip("~") for a in skill.aliases]
        if name == query:
            rank = 0
        elif query in aliases:
            rank = 1
        elif name.startswith(query):
            rank = 2
        elif any(a.startswith(query) for a in aliases):
            rank = 3
        elif any(word.startswith(query) for word in re.split(r"[\s./-]+", name)):
            rank = 4
        elif query in name:
            rank = 5
        else:
            continue
        ranked.append((rank, len(skill.name), name, skill))
    ranked.sort(key=lambda item: item[:3])
    return [item[3] for item in ranked[:limit]]
