"""Who may read a fairness audit: the admins of the organization it covers, nobody else.

Recruiters are refused by role (403, as for every admin-only record); a job of another
organization answers 404 like one that does not exist (`jobs.access.job_for_read`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from hiresight.accounts.access import require_role
from hiresight.accounts.models import Organization, Role, User
from hiresight.errors import ForbiddenError, NotFoundError
from hiresight.jobs.access import job_for_read
from hiresight.jobs.models import Job


def audited_records(
    session: Session, user: User, job_id: int | None
) -> tuple[Organization, Job | None]:
    """The admin's organization and, when named, its job (404 for another organization's)."""
    require_role(user, Role.admin)
    if user.organization_id is None:
        raise ForbiddenError("Only an organization's admins read its fairness audit.")
    organization = session.get(Organization, user.organization_id)
    if organization is None:
        raise NotFoundError("No such organization.")
    job = job_for_read(session, user, job_id) if job_id is not None else None
    return organization, job
