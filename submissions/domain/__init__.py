"""Domain services: one public function per action (DESIGN section 6).

Each runs in one transaction, checks membership, role, state and the transition's conditions first
(raising ``DomainError`` with the failed condition's code), writes one audit event, and defers side
effects to ``transaction.on_commit``. Views, API views, admin actions, commands and tasks call these and
nothing else that writes.
"""

from submissions.domain.accounts import (
    second_factor_required,
    second_factor_satisfied,
    set_two_factor_required,
    verified_name_of,
    verify_signer_name,
)
from submissions.domain.deadlines import (
    DeadlineChange,
    RecomputeResult,
    deadline_config,
    recompute_deadlines,
    set_deadline_settings,
)
from submissions.domain.filings import (
    approve_filing,
    mark_submitted,
    open_filing,
    record_registry_response,
    reopen_filing,
    return_to_author,
    start_corrections,
    submit_for_review,
)
from submissions.domain.people import Invitation, create_organization, invite_member, set_member_roles
from submissions.domain.reviews import ApprovalSummary, approval_summary
from submissions.domain.signatures import approval_manifest, signature_meaning
from submissions.domain.trials import SaveResult, add_member, create_trial, save_record, withdraw_trial

__all__ = [
    "ApprovalSummary",
    "DeadlineChange",
    "Invitation",
    "RecomputeResult",
    "SaveResult",
    "add_member",
    "approval_manifest",
    "approval_summary",
    "approve_filing",
    "create_organization",
    "create_trial",
    "deadline_config",
    "invite_member",
    "mark_submitted",
    "open_filing",
    "recompute_deadlines",
    "record_registry_response",
    "reopen_filing",
    "return_to_author",
    "save_record",
    "second_factor_required",
    "second_factor_satisfied",
    "set_deadline_settings",
    "set_member_roles",
    "set_two_factor_required",
    "signature_meaning",
    "start_corrections",
    "submit_for_review",
    "verified_name_of",
    "verify_signer_name",
    "withdraw_trial",
]
