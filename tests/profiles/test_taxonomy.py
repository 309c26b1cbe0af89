"""The skills taxonomy data file and skill search."""

from __future__ import annotations

import pytest

from hiresight.profiles.taxonomy import (
    CATEGORIES,
    Skill,
    Taxonomy,
    TaxonomyError,
    load_taxonomy,
    search_skills,
)


def test_taxonomy_has_at_least_800_skills_in_known_categories() -> None:
    """The data file ships a broad taxonomy, every skill in a declared category."""
    skills = load_taxonomy().skills
    assert len(skills) >= 800
    assert {s.category for s in skills} <= CATEGORIES
    assert {"language", "framework", "database", "cloud", "devops", "data-ml", "practice"} <= {
        s.category for s in skills
    }


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [("k8s", "Kubernetes"), ("postgres", "PostgreSQL"), ("node", "Node.js"), ("golang", "Go"),
     ("sklearn", "scikit-learn"), ("dotnet", ".NET"), ("AWS", "Amazon Web Services")],
)  # fmt: skip
def test_aliases_resolve_to_canonical_names(alias: str, canonical: str) -> None:
    """Aliases and any casing find the canonical skill."""
    skill = load_taxonomy().get(alias)
    assert skill is not None
    assert skill.name == canonical


def test_a_form_naming_two_skills_is_rejected() -> None:
    """The loader refuses data where one alias would mean two skills."""
    skills = [
        Skill(name="Go", category="language", aliases=("golang",)),
        Skill(name="Golang Tools", category="tool", aliases=("golang",)),
    ]
    with pytest.raises(TaxonomyError, match="golang"):
        Taxonomy(skills)


def test_unknown_category_is_rejected() -> None:
    """A typo in a category is caught at load time."""
    with pytest.raises(TaxonomyError, match="category"):
        Taxonomy([Skill(name="Zig", category="langauge")])


def test_search_ranks_exact_then_alias_then_prefix() -> None:
    """An exact name beats an alias match, which beats a prefix."""
    assert search_skills("go", 3)[0].name == "Go"
    assert search_skills("k8s", 1)[0].name == "Kubernetes"
    names = [s.name for s in search_skills("post", 10)]
    assert "PostgreSQL" in names
    assert all(n.lower().startswith("post") for n in names[:5])


def test_search_finds_words_inside_names() -> None:
    """ "lambda" finds AWS Lambda through its alias; "learning" finds words inside names."""
    assert search_skills("lambda", 1)[0].name == "AWS Lambda"
    assert "Machine learning" in [s.name for s in search_skills("learning", 20)]


def test_search_handles_empty_query_and_limit() -> None:
    """Blank queries and non-positive limits return nothing; the limit caps results."""
    assert search_skills("  ") == []
    assert search_skills("py", 0) == []
    assert len(search_skills("a", 5)) == 5


def test_esco_links_are_well_formed_and_distinct() -> None:
    """Linked ESCO URIs are ESCO skill URIs, one skill each; Python's is the known one."""
    uris = [s.esco_uri for s in load_taxonomy().skills if s.esco_uri]
    assert len(uris) >= 50
    assert all(u.startswith("http://data.europa.eu/esco/skill/") for u in uris)
    assert len(set(uris)) == len(uris)
    python = load_taxonomy().get("Python")
    assert python is not None
    assert python.esco_uri == (
        "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
    )
