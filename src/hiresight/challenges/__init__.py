"""The code-review challenge format: loading the bank and checking each challenge."""

from hiresight.challenges.errors import ChallengeError, ChallengeNotFoundError
from hiresight.challenges.loader import challenge_dirs, default_bank_root, load_bank, load_challenge
from hiresight.challenges.models import Bug, Challenge, Explanation, Manifest

__all__ = [
    "Bug",
    "Challenge",
    "ChallengeError",
    "ChallengeNotFoundError",
    "Explanation",
    "Manifest",
    "challenge_dirs",
    "default_bank_root",
    "load_bank",
    "load_challenge",
]
