"""What the candidate is told before recording, and the spoken English prompts.

The notice is versioned: a consent is stored with the version it answered, and a changed text
gets a new version, which asks again.
"""

from __future__ import annotations

NOTICE_VERSION = "voice-notice.v1"
NOTICE_TEXT = (
    "If you answer by voice, your recording is transcribed on this organisation's own server. "
    "Only your words and their timing are scored (for the English check: speaking rate, pauses "
    "and their length, filled pauses such as \u201cum\u201d). Your emotions, face, tone of voice "
    "and accent are never analysed or scored. You can correct the transcript before you submit, "
    "and typing your answer is always possible. The audio is kept for the organisation's "
    "retention period for candidate data, then deleted."
)

# The English check's spoken item: a minute or so on a familiar workplace topic.
SPEAKING_ID = "speaking"
SPEAKING_PROMPTS = (
    "Describe a project you worked on recently: what it did, your part in it, and one thing "
    "you would do differently. Speak for about a minute.",
    "Explain to a new colleague how your team plans and reviews its work in a typical week. "
    "Speak for about a minute.",
    "Tell us about a tool or technology you like using and why you would recommend it to a "
    "colleague. Speak for about a minute.",
)
