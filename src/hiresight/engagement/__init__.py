"""Engagement events: what candidates did with jobs, and hiring outcomes, as an append-only log.

The recommender's training signal. It sits below the domains that write it (jobs, interviews,
matching) and imports none of them, so each can record events without importing another.
"""
