"""Domain services for an organization's REST API keys (issue 11)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from submissions.audit import record_event
from submissions.domain._access import require_role
from submissions.enums import API_KEY_ROLES, ApiKeyAccess, AuditEventType, Role
from submissions.errors import DomainError
from submissions.models import ApiKey, Membership, Organization

# "tdk_" + an 8-character visible prefix + "_" + the secret part. The secret has 256 bits of entropy, so a
# plain SHA-256 stores it safely (a slow password hash guards guessable secrets, which these are not).
KEY_MARK = "tdk_"
_PREFIX_BYTES = 6
_SECRET_BYTES = 32
# Writing the last-used time on every request would turn each read into a write; once a minute suffices
# to tell a key in use from a forgotten one.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewApiKey:
    """A key just created: ``token`` is the whole key, shown this once and never stored."""

    api_key: ApiKey
    token: str


def secret_sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def create_api_key(organization: Organization, *, name: str, access: str, actor: Any) -> NewApiKey:
    """Create an API key for the organization. Organization admins only.

    The key acts through a service account of its own (no password, no admin access) holding the roles
    its access level gives (``API_KEY_ROLES``). Returns the key in full once; only its hash is stored.
    """
    require_role(actor, organization, (Role.ADMIN,), "manage API keys")
    name = name.strip()
    if not name:
        raise DomainError("api_key.name_required", "Name the key after the system that will use it.")
    if access not in ApiKeyAccess.values:
        raise DomainError(
            "api_key.unknown_access", f"Unknown access {access!r}; choose {', '.join(ApiKeyAccess.values)}."
        )
    prefix = secrets.token_hex(_PREFIX_BYTES)[: 2 * _PREFIX_BYTES]
    token = f"{KEY_MARK}{prefix}_{secrets.token_urlsafe(_SECRET_BYTES)}"
    user_model = get_user_model()
    service_user = user_model(username=f"api-key-{prefix}", first_name="API key", last_name=name[:100])
    service_user.set_unusable_password()
    service_user.save()
    api_key = ApiKey.objects.create(
        organization=organization,
        name=name,
        prefix=prefix,
        secret_sha256=secret_sha256(token),
        access=access,
        service_user=service_user,
        created_by=actor,
    )
    for role in API_KEY_ROLES[access]:
        Membership.objects.create(organization=organization, user=service_user, role=role)
    record_event(
        AuditEventType.API_KEY_CREATED,
        actor=actor,
        organization=organization,
        data={"prefix": prefix, "name": name, "access": access},
    )
    return NewApiKey(api_key=api_key, token=token)


@transaction.atomic
def revoke_api_key(api_key: ApiKey, *, actor: Any) -> ApiKey:
    """Revoke a key: it stops working at once and for good. Organization admins only. The service
    account loses its memberships, so nothing can act through it any more."""
    require_role(actor, api_key.organization, (Role.ADMIN,), "manage API keys")
    locked = ApiKey.objects.select_for_update(no_key=True).get(pk=api_key.pk)
    if locked.revoked_at is not None:
        raise DomainError("api_key.already_revoked", f"The key {locked.prefix}… was already revoked.")
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.save(update_fields=["revoked_at", "revoked_by"])
    Membership.objects.filter(user=locked.service_user).delete()
    record_event(
        AuditEventType.API_KEY_REVOKED,
        actor=actor,
        organization=locked.organization,
        data={"prefix": locked.prefix, "name": locked.name},
    )
    return locked


def authenticate_api_key(token: str) -> ApiKey | None:
    """The active key ``token`` names, or None. Compares hashes in constant time. Notes the time of use
    (at most once a minute; a bookkeeping field, not an audited action)."""
    if not token.startswith(KEY_MARK):
        return None
    prefix, _, rest = token[len(KEY_MARK) :].partition("_")
    if not prefix or not rest:
        return None
    api_key = (
        ApiKey.objects.select_related("organization", "service_user")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if api_key is None or not hmac.compare_digest(api_key.secret_sha256, secret_sha256(token)):
        return None
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key
