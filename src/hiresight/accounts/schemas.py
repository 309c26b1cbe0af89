"""API shapes for accounts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from hiresight.accounts.models import Role
from hiresight.accounts.passwords import MAX_LENGTH, MIN_LENGTH

# Trimmed before the length check: "   " is a blank name (422), not a name stored empty.
FullName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
NewPassword = Annotated[str, Field(min_length=MIN_LENGTH, max_length=MAX_LENGTH)]


class UserBase(BaseModel):
    """Fields shared by every user shape."""

    email: EmailStr
    full_name: FullName


class SignupRequest(UserBase):
    """A candidate signing up."""

    password: NewPassword


class UserCreate(UserBase):
    """An admin adding a recruiter or admin to their organization."""

    password: NewPassword
    role: Role = Role.recruiter


class UserPublic(BaseModel):
    """A user as the API shows them.

    Plain strings, not the input rules: a stored user is shown as stored, so that a row the
    rules of today would refuse (an old reserved-domain address, an empty name) never turns
    a read into a 500.
    """

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    full_name: str
    role: Role
    organization_id: int | None
    created_at: dt.datetime


class LoginRequest(BaseModel):
    """E-mail and password."""

    email: EmailStr
    password: str = Field(min_length=1, max_length=200)


class TokenCreate(LoginRequest):
    """Exchange credentials for a named API token."""

    name: str = Field("api", min_length=1, max_length=100)


class TokenPublic(BaseModel):
    """An API token's metadata; the secret is shown only once, at creation."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreated(TokenPublic):
    """A new API token, with its secret."""

    token: str


class OrganizationPublic(BaseModel):
    """An organization as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    slug: str
