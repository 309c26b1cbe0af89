"""A column store of jobs: the numeric fields the features need, as growable numpy arrays.

Rows are never reused for another job, so a row index is a stable handle while the process
lives; removal only clears the `active` flag. The ANN index is labelled with job ids, not
rows, so it survives a catalogue rebuild.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from hiresight.matching import currency
from hiresight.matching.entities import FloatArray, JobPosting
from hiresight.matching.errors import DimensionMismatchError, UnknownJobError

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def fold(skills: Iterable[str]) -> frozenset[str]:
    """Case-folded skill names, for case-insensitive matching."""
    return frozenset(s.casefold() for s in skills)


def city(location: str) -> str:
    """The city of a location, case-folded: "Berlin, Germany" and "berlin" are one place."""
    return location.split(",", 1)[0].strip().casefold()


class JobCatalog:
    """Jobs by row: vectors, numeric fields and skill sets, with O(1) upsert and remove."""

    def __init__(self, dim: int, capacity: int = 1024) -> None:
        self.dim = dim
        self._size = 0
        self.id_to_row: dict[int, int] = {}
        self.jobs: list[JobPosting] = []
        # Case-folded skill sets per row: "python" on a profile matches "Python" on a job.
        self.required: list[frozenset[str]] = []
        self.preferred: list[frozenset[str]] = []
        self.salary_currency: list[str | None] = []
        # Each row's pay currency as an index into `_currencies` (the distinct codes seen,
        # unstated first), so converting a whole column is one lookup, not a call per job.
        self._currencies: list[str | None] = [None]
        self._currency_index: dict[str | None, int] = {None: 0}
        self.currency_index = np.zeros(capacity, dtype=np.int32)
        self.vectors: FloatArray = np.zeros((capacity, dim), dtype=np.float32)
        self.company = np.zeros(capacity, dtype=np.int64)
        self.seniority = np.zeros(capacity, dtype=np.float32)
        self.min_years = np.zeros(capacity, dtype=np.float32)
        self.remote = np.zeros(capacity, dtype=np.bool_)
        self.salary_min = np.full(capacity, np.nan, dtype=np.float32)
        self.salary_max = np.full(capacity, np.nan, dtype=np.float32)
        self.posted_at = np.zeros(capacity, dtype=np.float64)
        self.active = np.zeros(capacity, dtype=np.bool_)

    def __len__(self) -> int:
        """Number of active jobs."""
        return int(self.active[: self._size].sum())

    @property
    def size(self) -> int:
        """Number of rows ever used (active or removed)."""
        return self._size

    def _grow(self, needed: int) -> None:
        capacity = self.vectors.shape[0]
        if needed <= capacity:
            return
        new_cap = max(needed, capacity * 2)
        for name in (
            "vectors",
            "company",
            "seniority",
            "min_years",
            "remote",
            "posted_at",
            "active",
            "salary_min",
            "salary_max",
            "currency_index",
        ):
            old = getattr(self, name)
            fill = np.nan if name.startswith("salary") else 0
            new = np.full((new_cap, *old.shape[1:]), fill, dtype=old.dtype)
            new[:capacity] = old
            setattr(self, name, new)

    def upsert(self, job: JobPosting) -> int:
        """Add a job or overwrite the row of an existing one; returns its row."""
        if job.vector.shape != (self.dim,):
            raise DimensionMismatchError(
                f"job {job.id} has a vector of shape {job.vector.shape}, expected ({self.dim},)"
            )
        row = self.id_to_row.get(job.id)
        if row is None:
            row = self._size
            self._grow(row + 1)
            self._size += 1
            self.id_to_row[job.id] = row
            self.jobs.append(job)
            self.required.append(frozenset())
            self.preferred.append(frozenset())
            self.salary_currency.append(None)
        else:
            self.jobs[row] = job
        self.required[row] = fold(job.required_skills)
        self.preferred[row] = fold(job.preferred_skills)
        self.vectors[row] = job.vector
        self.company[row] = job.company_id
        self.seniority[row] = job.seniority
        self.min_years[row] = job.min_years
        self.remote[row] = job.remote
        self.salary_min[row] = np.nan if job.salary_min is None else job.salary_min
        self.salary_max[row] = np.nan if job.salary_max is None else job.salary_max
        self.salary_currency[row] = job.salary_currency
        self.currency_index[row] = self._index_of(job.salary_currency)
        self.posted_at[row] = job.posted_at
        self.active[row] = True
        return row

    def _index_of(self, code: str | None) -> int:
        index = self._currency_index.get(code)
        if index is None:
            index = self._currency_index[code] = len(self._currencies)
            self._currencies.append(code)
        return index

    def salary_rates(self, rows: IntArray, target: str | None) -> FloatArray:
        """Per row, what one unit of the job's pay currency is worth in `target`.

        `currency.factor` is asked once per distinct currency (a few dozen at most), and the
        rows read their rate from that vector: 1.0 where a side is unstated, NaN where a
        currency is missing from the table.
        """
        rates = np.array([currency.factor(c, target) for c in self._currencies], np.float32)
        return rates[self.currency_index[rows]]

    def extend(self, jobs: Iterable[JobPosting]) -> None:
        """Upsert many jobs."""
        for job in jobs:
            self.upsert(job)

    def remove(self, job_id: int) -> None:
        """Mark a job closed; it stays addressable for explanations of old events."""
        self.active[self.row(job_id)] = False

    def row(self, job_id: int) -> int:
        """The row of a job, or UnknownJobError."""
        try:
            return self.id_to_row[job_id]
        except KeyError:
            raise UnknownJobError(f"job {job_id} is not in the catalogue") from None

    def rows(self, job_ids: Iterable[int]) -> IntArray:
        """Rows of known job ids, silently skipping unknown ones (e.g. deleted since logging)."""
        found = [self.id_to_row[j] for j in job_ids if j in self.id_to_row]
        return np.asarray(found, dtype=np.int64)

    def ids(self, rows: IntArray) -> list[int]:
        """Job ids of rows."""
        return [self.jobs[int(r)].id for r in rows]

    def active_rows(self) -> IntArray:
        """Rows of open jobs."""
        return np.flatnonzero(self.active[: self._size]).astype(np.int64)

    def get(self, job_id: int) -> JobPosting:
        """The job posting for an id."""
        return self.jobs[self.row(job_id)]
