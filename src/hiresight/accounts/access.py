"""Who a user is allowed to act as: the role rules every domain's access policy builds on.

Each domain keeps the policy for its own records in its `access.py` (jobs, interviews); they all
start from these two rules. Handlers never call these functions: they receive users and records
through the dependencies in each domain's `deps.py`.
"""

from __future__ import annotations

from hiresight.accounts.models import Role, User
from hiresight.errors import ForbiddenError


def is_staff(user: User) -> bool:
    """Recruiters and admins act for their organization."""
    return user.role in (Role.recruiter, Role.admin) and user.organization_id is not None


def require_role(user: User, *roles: Role) -> None:
    """Refuse a caller whose role is not one of `roles` (403: the caller knows their own role)."""
    if user.role not in roles:
        allowed = ", ".join(r.value for r in roles)
        raise ForbiddenError(f"This action needs one of these roles: {allowed}.")
