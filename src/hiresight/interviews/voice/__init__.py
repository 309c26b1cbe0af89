"""Spoken answers: the voice notice and consent, chunked recordings, background transcription."""
