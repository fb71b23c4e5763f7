"""`load_demo` builds the demo through the domain functions, and running it again changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from submissions.audit import verify_chain
from submissions.models import AuditEvent, Filing, Membership, Trial


@pytest.mark.django_db
def test_load_demo_creates_trials_in_several_states_and_is_idempotent(registry_specs):
    call_command("load_demo", stdout=StringIO())
    counts = (
        Trial.objects.count(),
        Filing.objects.count(),
        AuditEvent.objects.count(),
        Membership.objects.count(),
    )
    second = StringIO()
    call_command("load_demo", stdout=second)
    states = sorted(Trial.objects.values_list("state", flat=True))
    in_review = Filing.objects.filter(state="in_review").count()
    assert states == ["disclosed", "draft", "draft", "registered", "results_reported"]
    assert in_review == 1
    assert (
        Trial.objects.count(),
        Filing.objects.count(),
        AuditEvent.objects.count(),
        Membership.objects.count(),
    ) == counts
    assert "Created" not in second.getvalue()
    assert verify_chain()[1] is None
