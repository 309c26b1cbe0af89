"""Errors about the question banks, each with a stable `code`."""

from __future__ import annotations

from hiresight.errors import AppError


class BankError(AppError):
    """A question-bank problem; the message names the file, the item and what to fix."""

    status_code = 500
    code = "question_bank_invalid"


class BankDataError(BankError):
    """A bank data file is missing, is not TOML, or breaks the schema (an operator's fix)."""

    code = "question_bank_invalid"


class PlaceholderError(BankError):
    """A template was rendered without a value for one of its placeholders (a caller's bug)."""

    code = "question_placeholder_missing"


class UnknownItemError(BankError):
    """A response names an English item id the bank does not hold (e.g. a tampered request)."""

    status_code = 422
    code = "question_item_unknown"


class RepeatedItemError(BankError):
    """The same English item appears twice in one set of responses."""

    status_code = 422
    code = "question_item_repeated"
