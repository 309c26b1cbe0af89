"""Candidate requests to a person: re-evaluation of a scored stage, another assessment process;
and the extra time recruiters grant (accommodations)."""
