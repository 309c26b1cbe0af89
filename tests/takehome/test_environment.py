"""The sandbox's Python environment and the submission's requirements."""

from __future__ import annotations

from pathlib import Path

from hiresight.takehome.environment import (
    SITE_IN_SANDBOX,
    canonical,
    check_requirements,
    describe,
    sandbox_environment,
)


def test_only_the_scientific_packages_and_their_needs_are_bound() -> None:
    env = sandbox_environment()
    targets = {target.removeprefix(SITE_IN_SANDBOX + "/") for _, target in env.binds}
    assert {"numpy", "scipy", "sklearn", "lightgbm", "pytest", "joblib"} <= targets
    # The server's own code and its web stack stay out of the sandbox.
    assert not {"hiresight", "fastapi", "sqlalchemy", "pydantic"} & targets
    assert all(host.exists() for host, _ in env.binds)
    assert env.versions["numpy"]


def test_requirements_are_matched_by_normalised_name(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text(
        "# pinned\nNumPy==2.0  # the array\nscikit_learn>=1.0\n-r other.txt\ntorch==2.3.0\n\n@@@\n"
    )
    found = {r.name: r for r in check_requirements(tmp_path)}
    assert found["numpy"].available
    assert found["scikit-learn"].available
    assert found["scikit-learn"].installed_version
    assert not found["torch"].available
    assert found[""].note == "not a requirement line"
    assert canonical("Scikit_Learn.x") == "scikit-learn-x"


def test_the_sandbox_interpreter_shares_the_servers_minor_version() -> None:
    listed = describe()
    assert listed["python"] is not None
    assert listed["python"].split(".")[:2] == listed["server_python"].split(".")[:2]  # type: ignore[union-attr]
    assert listed["numpy"] is not None
