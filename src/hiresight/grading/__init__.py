"""Grading a candidate's patch against hidden tests in the sandbox; the grading pool."""

from hiresight.grading.errors import GradingBusyError, GradingError, PatchError, PatchPathError
from hiresight.grading.grader import grade, run_visible_tests
from hiresight.grading.patches import apply_unified_diff, files_from_directory, load_patch
from hiresight.grading.pool import GradingPool
from hiresight.grading.report import (
    GRADER_VERSION,
    RUBRIC_VERSION,
    CandidateReport,
    GradeReport,
)

__all__ = [
    "GRADER_VERSION",
    "RUBRIC_VERSION",
    "CandidateReport",
    "GradeReport",
    "GradingBusyError",
    "GradingError",
    "GradingPool",
    "PatchError",
    "PatchPathError",
    "apply_unified_diff",
    "files_from_directory",
    "grade",
    "load_patch",
    "run_visible_tests",
]
