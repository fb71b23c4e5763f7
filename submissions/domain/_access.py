"""What every domain function checks first: membership, role, state, then the transition's conditions."""

from __future__ import annotations

import logging
from typing import Any

from django.db import models, transaction
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from submissions.enums import Role
from submissions.errors import DomainError
from submissions.models import Organization
from submissions.scoping import roles_of
from submissions.workflow import failed_condition, roles_for, sources_of

logger = logging.getLogger("submissions.domain")


def require_role(actor: Any, organization: Organization, roles: tuple[str, ...], action: str) -> set[str]:
    """The actor's roles in the organization, provided one of ``roles`` is among them.

    Someone outside the organization learns nothing about its objects: ``org.not_member`` (the web and
    API layers answer 404).
    """
    held = roles_of(actor, organization)
    if not held:
        raise DomainError("org.not_member", "You are not a member of the organization this belongs to.")
    if roles and not held & set(roles):
        needed = " or ".join(Role(role).label.lower() for role in roles)
        raise DomainError("role.required", f"To {action} you need the {needed} role in {organization}.")
    return held


def _kind(instance: models.Model) -> str:
    return type(instance).__name__.lower()


def check_transition(instance: Any, name: str, actor: Any = None) -> None:
    """Raise ``DomainError`` naming the first reason transition ``name`` cannot run now."""
    sources = sources_of(type(instance), name)
    if instance.state not in sources:
        kind = _kind(instance)
        raise DomainError(
            f"{kind}.wrong_state",
            f"The {kind} is {instance.get_state_display().lower()}; "
            f"{name.replace('_', ' ')} is only possible from: {', '.join(sources)}.",
        )
    failed = failed_condition(instance, name, actor)
    if failed is not None:
        raise DomainError(failed.code, failed.sentence)


def authorize_transition(instance: Any, organization: Organization, name: str, actor: Any) -> None:
    """Membership and role (from the transition's declaration), then state and conditions."""
    require_role(actor, organization, roles_for(type(instance), name), name.replace("_", " "))
    check_transition(instance, name, actor)


def run_transition(instance: Any, name: str, actor: Any = None, **changes: Any) -> None:
    """Run transition ``name`` and save it with ``changes`` in one UPDATE. The caller holds the
    transaction; a transition that lost a race to another one on the same row is refused."""
    check_transition(instance, name, actor)
    kind = _kind(instance)
    try:
        getattr(instance, name)()
        for field, value in changes.items():
            setattr(instance, field, value)
        # Only the fields this transition changes: a stale copy of the row must not overwrite the rest.
        instance.save(update_fields=["state", "updated_at", *changes])
    except ConcurrentTransition:
        raise DomainError(
            f"{kind}.concurrent_change",
            f"The {kind} changed while you were working on it; reload it and try again.",
        ) from None
    except TransitionNotAllowed as exc:
        raise DomainError(f"{kind}.transition_refused", str(exc)) from None


def after_commit(message: str, **context: Any) -> None:
    """Side effects of an action (notifications, background jobs) run only once it is committed."""
    transaction.on_commit(lambda: logger.debug(message, extra={"context": context}))
