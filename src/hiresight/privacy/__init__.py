"""Candidate rights: exporting everything held about a candidate, erasing an account after a
grace period, and each organization's retention of candidate data after a job closes."""
