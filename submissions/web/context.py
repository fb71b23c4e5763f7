"""What every staff page shows in its header: the person, their organization and roles, the switcher."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from submissions.enums import Role
from submissions.scoping import organizations_for
from submissions.web.access import current_organization, current_roles


def web(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.resolver_match:
        return {}
    if request.resolver_match.app_names[:1] != ["web"]:
        return {}
    roles = current_roles(request)
    return {
        "web_organization": current_organization(request),
        "web_organizations": list(organizations_for(user).order_by("name", "pk")),
        "web_roles": [Role(role).label for role in Role.values if role in roles],
        "web_is_admin": Role.ADMIN in roles,
    }
