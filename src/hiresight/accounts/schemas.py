"""API shapes for accounts."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from hiresight.accounts.models import Role


class UserBase(BaseModel):
    """Fields shared by every user shape."""

    email: EmailStr
    full_name: str = Field(min_length=1, max_length=200)


class SignupRequest(UserBase):
    """A candidate signing up."""

    password: str = Field(min_length=8, max_length=200)


class UserCreate(UserBase):
    """An admin adding a recruiter or admin to their organization."""

    password: str = Field(min_length=8, max_length=200)
    role: Role = Role.recruiter


class UserPublic(UserBase):
    """A user as the API shows them."""

    model_config = ConfigDict(from_attributes=True)

    id: int
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
