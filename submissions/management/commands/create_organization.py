"""`manage.py create_organization NAME --admin EMAIL`: a new install's first sponsor and its admin."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from submissions import domain
from submissions.errors import DomainError
from submissions.invitations import invitation_link, send_invitation


class Command(BaseCommand):
    help = "Create an organization and its first admin; a new admin gets an invitation to set a password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="The sponsor's name, e.g. 'Example Pharma'.")
        parser.add_argument("--admin", required=True, help="The e-mail address of the organization's admin.")
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="Where the application is served, for the invitation link (default %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organization, invitation = domain.create_organization(
                options["name"], admin_email=options["admin"]
            )
        except DomainError as error:
            raise CommandError(f"{error.code}: {error.message}") from None
        self.stdout.write(
            f"Created organization {organization} ({organization.slug}); admin {invitation.user.email}."
        )
        if invitation.created:
            link = invitation_link(None, invitation.user, options["base_url"])
            send_invitation(invitation.user, organization, invitation.roles, link)
            self.stdout.write(f"Invitation e-mailed; the admin sets a password at:\n{link}")
        else:
            self.stdout.write("The admin already had an account and signs in with it.")
