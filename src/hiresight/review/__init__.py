"""The recruiter's side of results: scorecards, the job console, the PDF, their pages and API.

It reads what interviews stored (attempts and their `AttemptScore` rows, `interviews.scores`)
and what jobs hold (applications, decisions); the scoring engine itself is `hiresight.scoring`.
"""
