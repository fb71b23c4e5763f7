"""The filing transitions the API performs, each through its one domain function."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model

from submissions import domain
from submissions.api.problems import ApiProblem
from submissions.enums import RegistryOutcome, SubmissionMethod
from submissions.models import Filing
from submissions.workflow import transitions_of


def _signer(filing: Filing, data: dict[str, Any], caller: Any, by_key: bool) -> Any:
    # An approval is signed by a person (21 CFR 11.200(a): an identification code and a password), never
    # by an API key: with a key the body names the signer, who must belong to the filing's organization.
    username = data.get("username")
    if not by_key:
        if username and username != caller.get_username():
            raise ApiProblem(422, "signature.not_caller", "With a session, you sign as yourself.")
        return caller
    if not username:
        raise ApiProblem(422, "signature.username_required", "Name the signer (signature.username).")
    signer = (
        get_user_model()
        .objects.filter(
            username=username, is_active=True, memberships__organization=filing.trial.organization
        )
        .distinct()
        .first()
    )
    if signer is None:
        raise ApiProblem(422, "signature.unknown_signer", "No such person in the organization.")
    return signer


def _approve(filing: Filing, data: dict[str, Any], actor: Any, by_key: bool) -> Any:
    signature = data.get("signature")
    if not signature:
        raise ApiProblem(
            422,
            "signature.required",
            "Approval needs an e-signature: signature.password, printed_name, meaning.",
        )
    return domain.approve_filing(
        filing,
        actor=_signer(filing, signature, actor, by_key),
        password=signature["password"],
        printed_name=signature["printed_name"],
        meaning=signature["meaning"],
        record_sha256=signature.get("record_sha256"),
    )


def _registry_answer(outcome: str) -> Callable[[Filing, dict[str, Any], Any, bool], Any]:
    def answer(filing: Filing, data: dict[str, Any], actor: Any, by_key: bool) -> Any:
        registry = data.get("registry")
        if not registry:
            raise ApiProblem(422, "registry.required", "Name the registry that answered (registry).")
        return domain.record_registry_response(
            filing,
            registry,
            actor=actor,
            outcome=outcome,
            identifiers=data.get("identifiers") or {},
            response=data.get("response", ""),
            comments=data.get("comments", ""),
        )

    return answer


PERFORMERS: dict[str, Callable[[Filing, dict[str, Any], Any, bool], Any]] = {
    "submit_for_review": lambda f, d, a, k: domain.submit_for_review(f, actor=a),
    "return_to_author": lambda f, d, a, k: domain.return_to_author(f, actor=a, remarks=d.get("remarks", "")),
    "approve": _approve,
    "reopen": lambda f, d, a, k: domain.reopen_filing(f, actor=a, reason=d.get("reason", "")),
    "mark_submitted": lambda f, d, a, k: domain.mark_submitted(
        f, actor=a, method=d.get("method", SubmissionMethod.UPLOAD)
    ),
    # A registry's answer: per registry; the filing moves once every target registry has accepted.
    "accept": _registry_answer(RegistryOutcome.ACCEPTED),
    "registry_returned": _registry_answer(RegistryOutcome.RETURNED),
    "start_corrections": lambda f, d, a, k: domain.start_corrections(f, actor=a),
}

TRANSITION_NAMES = tuple(PERFORMERS)


def available(filing: Filing) -> list[str]:
    """The transitions possible from the filing's state (conditions and roles aside)."""
    names = {item.name for item in transitions_of(Filing) if str(item.source) == filing.state}
    if filing.state == "returned":
        names.add("accept")
    return [name for name in TRANSITION_NAMES if name in names]
