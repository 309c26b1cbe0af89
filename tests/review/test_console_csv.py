"""The console's CSV export: spreadsheet formulas in names are neutralised."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.review.console import csv_cell
from tests.factories import bearer, make_application, make_job, make_user

HOSTILE_NAMES = [
    '=HYPERLINK("https://evil.example","Open")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def test_csv_cells_that_could_start_a_formula_get_a_quote() -> None:
    """Text starting with = + - @ tab or CR is prefixed with '; numbers and plain text are not."""
    assert [csv_cell(name) for name in HOSTILE_NAMES] == ["'" + name for name in HOSTILE_NAMES]
    assert csv_cell("Ada Lovelace") == "Ada Lovelace"
    assert csv_cell(-3.5) == -3.5
    assert csv_cell(None) is None


def test_exported_names_cannot_run_as_formulas(client: TestClient, db: Session) -> None:
    """Every hostile applicant name comes back from the CSV export prefixed with '."""
    recruiter = make_user(db, Role.recruiter)
    job = make_job(db, recruiter.organization)
    for name in HOSTILE_NAMES:
        applicant = make_user(db)
        applicant.full_name = name
        make_application(db, applicant, job)
    headers = bearer(db, recruiter)
    db.commit()
    r = client.get(f"/api/v1/jobs/{job.id}/candidates.csv", headers=headers)
    assert r.status_code == 200
    names = [row["name"] for row in csv.DictReader(io.StringIO(r.text, newline=""))]
    assert sorted(names) == sorted("'" + name for name in HOSTILE_NAMES)
