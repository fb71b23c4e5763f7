"""People: organization admins invite by e-mail and set roles; invitees choose their password."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from submissions import domain
from submissions.enums import Role
from submissions.errors import DomainError
from submissions.invitations import invitation_link, send_invitation
from submissions.models import Membership, Organization, VerifiedName
from submissions.web import forms as web_forms
from submissions.web.access import current_organization, current_roles, member_view


def _members(organization: Organization) -> list[tuple[Any, list[str]]]:
    roles: dict[int, list[str]] = defaultdict(list)
    users: dict[int, Any] = {}
    for membership in Membership.objects.filter(organization=organization).select_related("user"):
        roles[membership.user_id].append(membership.role)
        users[membership.user_id] = membership.user
    ordered = sorted(
        users.values(), key=lambda user: (user.get_full_name() or user.get_username()).casefold()
    )
    return [(user, [role for role in Role.values if role in roles[user.pk]]) for user in ordered]


def _render(request: HttpRequest, organization: Organization, **extra: Any) -> HttpResponse:
    is_admin = Role.ADMIN in current_roles(request)
    bound_user = extra.pop("bound_user", None)
    bound_form = extra.pop("bound_form", None)
    bound_name_user = extra.pop("bound_name_user", None)
    bound_name_form = extra.pop("bound_name_form", None)
    verified = dict(
        VerifiedName.objects.filter(organization=organization).values_list("user_id", "full_name")
    )
    members = []
    for user, roles in _members(organization):
        form = (
            bound_form
            if bound_user is not None and bound_user == user.pk
            else web_forms.RolesForm(initial={"roles": roles}, prefix=f"u{user.pk}")
        )
        name_form = (
            bound_name_form
            if bound_name_user is not None and bound_name_user == user.pk
            else web_forms.VerifyNameForm(
                initial={"full_name": verified.get(user.pk) or user.get_full_name()}, prefix=f"n{user.pk}"
            )
        )
        members.append(
            {
                "user": user,
                "roles": [Role(role).label for role in roles],
                "form": form,
                "verified_name": verified.get(user.pk),
                "name_form": name_form,
                # Nobody vouches for their own identity (submissions.domain.accounts.verify_signer_name).
                "can_verify": is_admin and user.pk != request.user.pk,
            }
        )
    context = {
        "organization": organization,
        "members": members,
        "is_admin": is_admin,
        "invite_form": extra.pop("invite_form", None) or web_forms.InviteForm(prefix="invite"),
    }
    return render(request, "web/people.html", context, status=extra.pop("status", 200))


@member_view
def people(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    if organization is None:
        raise Http404
    if request.method != "POST":
        return _render(request, organization)
    if request.POST.get("form") == "invite":
        form = web_forms.InviteForm(request.POST, prefix="invite")
        if not form.is_valid():
            return _render(request, organization, invite_form=form, status=400)
        try:
            invitation = domain.invite_member(
                organization,
                email=form.cleaned_data["email"],
                roles=form.cleaned_data["roles"],
                actor=request.user,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except DomainError as error:
            web_forms.add_domain_error(form, error)
            return _render(
                request, organization, invite_form=form, status=403 if error.code == "role.required" else 400
            )
        send_invitation(
            invitation.user, organization, invitation.roles, invitation_link(request, invitation.user)
        )
        messages.success(request, f"Invitation sent to {invitation.user.email}.")
        return redirect("web:people")
    user_pk = request.POST.get("user", "")
    user = (
        get_user_model().objects.filter(pk=user_pk, memberships__organization=organization).distinct().first()
        if user_pk.isdigit()
        else None
    )
    if user is None:
        raise Http404
    if request.POST.get("form") == "verify_name":
        name_form = web_forms.VerifyNameForm(request.POST, prefix=f"n{user.pk}")
        if not name_form.is_valid():
            return _render(
                request, organization, bound_name_user=user.pk, bound_name_form=name_form, status=400
            )
        try:
            domain.verify_signer_name(
                organization, user, full_name=name_form.cleaned_data["full_name"], actor=request.user
            )
        except DomainError as error:
            web_forms.add_domain_error(name_form, error)
            status = 403 if error.code == "role.required" else 400
            return _render(
                request, organization, bound_name_user=user.pk, bound_name_form=name_form, status=status
            )
        messages.success(request, f"Signing name of {user.get_username()} verified.")
        return redirect("web:people")
    roles_form = web_forms.RolesForm(request.POST, prefix=f"u{user.pk}")
    if not roles_form.is_valid():
        return _render(request, organization, bound_user=user.pk, bound_form=roles_form, status=400)
    try:
        domain.set_member_roles(
            organization, user, roles=roles_form.cleaned_data["roles"], actor=request.user
        )
    except DomainError as error:
        web_forms.add_domain_error(roles_form, error)
        return _render(
            request,
            organization,
            bound_user=user.pk,
            bound_form=roles_form,
            status=403 if error.code == "role.required" else 400,
        )
    messages.success(request, f"Roles of {user.get_full_name() or user.get_username()} saved.")
    return redirect("web:people")


class WelcomeView(auth_views.PasswordResetConfirmView):
    """An invited person chooses their password (Django's one-time token), then signs in."""

    template_name = "web/welcome.html"
    success_url = reverse_lazy("web:sign_in")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Your password is set; sign in with your e-mail address.")
        return response
