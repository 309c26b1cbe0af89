"""A new résumé refreshes the profile at once: headline, location, level, skills, years."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hiresight.profiles import service as profiles
from hiresight.profiles.corrections import AddSkill
from hiresight.profiles.schemas import ProfileUpdate
from tests.factories import make_user

BERLIN = """Ada Berlin
Berlin, Germany | ada@example.com

EXPERIENCE
Backend Developer, Parcelio — Jan 2022 – Present
• Built REST APIs in Python and Django.

SKILLS
Python, Django
"""

MUNICH = """Ada Munich
Munich, Germany | ada@example.com

EXPERIENCE
Staff Data Engineer, Isarflow — Jan 2020 – Present
• Led the move of 40 pipelines to Airflow and dbt on Snowflake.

Data Engineer, Bavaria Data — Jan 2015 – Dec 2019
• Built Spark jobs in Python.

SKILLS
Python, Airflow, dbt, Snowflake, SQL, Spark
"""


def test_a_new_resume_replaces_headline_location_and_level(db: Session) -> None:
    """The second résumé's city and latest role win over the first's (and a typed headline)."""
    user = make_user(db)
    profiles.update(db, candidate=user, data=ProfileUpdate(
        headline="Backend engineer", location="Berlin", skills=["Python"],
    ))  # fmt: skip
    profiles.upload_resume(db, candidate=user, data=BERLIN.encode(), filename="berlin.txt")
    profile = profiles.get_or_create(db, candidate=user)
    assert profile.location == "Berlin, Germany"
    assert profile.headline == "Backend Developer at Parcelio"
    profiles.upload_resume(db, candidate=user, data=MUNICH.encode(), filename="munich.txt")
    profile = profiles.get_or_create(db, candidate=user)
    assert profile.location == "Munich, Germany"
    assert profile.headline == "Staff Data Engineer at Isarflow"
    assert "Airflow" in " ".join(profile.skills)
    assert profile.years_experience is not None
    assert profile.years_experience >= 10
    view = profiles.interview_profile(db, candidate_id=user.id)
    assert view.seniority == "staff"


def test_a_correction_keeps_the_headline_the_candidate_typed(db: Session) -> None:
    """Only a new résumé replaces the headline; re-applying corrections fills blanks only."""
    user = make_user(db)
    profiles.upload_resume(db, candidate=user, data=BERLIN.encode(), filename="berlin.txt")
    profiles.update(db, candidate=user, data=ProfileUpdate(
        headline="Python backend developer", location="Potsdam", skills=["Python"],
    ))  # fmt: skip
    profile = profiles.add_correction(db, candidate=user, correction=AddSkill(name="Go"))
    assert "Go" in profile.skills
    assert (profile.headline, profile.location) == ("Python backend developer", "Potsdam")


OLDEST_FIRST = """Ada Lovelace
Lisbon, Portugal | ada@example.com

EXPERIENCE
Adjunct Lecturer, Lisbon Polytechnic — Jan 2021 – Present
• Taught a databases course.

Junior Developer, Farfetch — Jan 2014 – Dec 2017
• Built Django views.

Engineering Lead, Talkdesk — Jan 2018 – Present
• Led six engineers building Python services.
"""

NO_ROLES = """Ada Lovelace
Lisbon, Portugal | ada@example.com

SKILLS
Python, Django
"""


def test_the_headline_is_the_newest_full_time_role_whatever_the_order(db: Session) -> None:
    """A résumé listing a lectureship first and older jobs before newer ones still heads the
    profile with the current full-time role."""
    user = make_user(db)
    profiles.upload_resume(db, candidate=user, data=BERLIN.encode(), filename="berlin.txt")
    profiles.upload_resume(db, candidate=user, data=OLDEST_FIRST.encode(), filename="cv.txt")
    assert profiles.get_or_create(db, candidate=user).headline == "Engineering Lead at Talkdesk"


def test_a_resume_without_roles_clears_the_old_resumes_headline(db: Session) -> None:
    """The old résumé's role does not outlive it; a headline the candidate typed does."""
    user = make_user(db)
    profiles.upload_resume(db, candidate=user, data=BERLIN.encode(), filename="berlin.txt")
    profiles.upload_resume(db, candidate=user, data=NO_ROLES.encode(), filename="skills.txt")
    assert profiles.get_or_create(db, candidate=user).headline == ""
    profiles.update(db, candidate=user, data=ProfileUpdate(
        headline="Python developer", location="Lisbon", skills=["Python"],
    ))  # fmt: skip
    profiles.upload_resume(db, candidate=user, data=NO_ROLES.encode(), filename="again.txt")
    assert profiles.get_or_create(db, candidate=user).headline == "Python developer"
