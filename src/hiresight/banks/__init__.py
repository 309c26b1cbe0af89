"""The interview question banks: English items, writing, design, behavioural and résumé prompts.

The banks are project data in `data/*.toml`, validated by the models in `models.py`. Call
`load_banks()` (or the lookup helpers) to read them and `adaptive.next_item()` to run the
adaptive English check.
"""

from __future__ import annotations

from hiresight.banks.adaptive import (
    AdaptiveConfig,
    LevelEstimate,
    Response,
    estimate_level,
    is_finished,
    next_item,
)
from hiresight.banks.errors import (
    BankDataError,
    BankError,
    PlaceholderError,
    RepeatedItemError,
    UnknownItemError,
)
from hiresight.banks.loader import (
    behavioral_prompts,
    english_items,
    load_banks,
    passages,
    resume_kind,
    resume_templates,
    system_design_prompts,
    writing_prompts,
)
from hiresight.banks.models import QuestionBanks

__all__ = [
    "AdaptiveConfig",
    "BankDataError",
    "BankError",
    "LevelEstimate",
    "PlaceholderError",
    "QuestionBanks",
    "RepeatedItemError",
    "Response",
    "UnknownItemError",
    "behavioral_prompts",
    "english_items",
    "estimate_level",
    "is_finished",
    "load_banks",
    "next_item",
    "passages",
    "resume_kind",
    "resume_templates",
    "system_design_prompts",
    "writing_prompts",
]
