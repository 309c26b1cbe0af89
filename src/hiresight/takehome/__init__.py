"""Take-home projects evaluated on hidden data.

An assignment is a folder (or archive) with `takehome.toml`, `brief.md`, `public/` data for the
candidate and `hidden/` evaluation data that never leaves the server. A submission runs in the
sandbox on the hidden test input; its predictions are scored here, outside the sandbox.

assignment = load_assignment(Path("takehomes/next-item"))
report = evaluate_submission(assignment, Path("my-solution"))
"""

from hiresight.takehome.assignment import Assignment, load_assignment
from hiresight.takehome.evaluate import evaluate_submission

__all__ = ["Assignment", "evaluate_submission", "load_assignment"]
