"""An update filing sends ClinicalTrials.gov only the changed modules (PRS partial upload)."""

from __future__ import annotations

from lxml import etree

from submissions import domain
from submissions.enums import FilingKind, FilingState, Role, Stage
from submissions.models import Payload
from tests.submissions import factories


def _study(payload: Payload) -> etree._Element:
    study: etree._Element = etree.fromstring(bytes(payload.content))[0]
    assert etree.QName(study).localname == "clinical_study"
    return study


def test_update_filing_to_ctgov_is_a_partial_upload_of_the_changed_modules(trial, people, record):
    # given a registration accepted by ClinicalTrials.gov and our record registry
    targets = ["ctgov", "record"]
    initial = factories.complete_stage(trial, Stage.REGISTRATION, people, targets)
    trial.refresh_from_db()

    # when the brief title changes and the update filing that opens is approved
    amended = factories.changed(record, "protocolSection")
    saved = domain.save_record(trial, amended, base_sha256=trial.head.sha256, actor=people[Role.AUTHOR])
    update = factories.drive(saved.update_filings[0], FilingState.APPROVED, people)

    # then the initial upload replaced the whole record, the update carries only what changed, and our
    # own registry still receives the whole record
    first = _study(Payload.objects.get(filing=initial, registry="ctgov"))
    partial = _study(Payload.objects.get(filing=update, registry="ctgov"))
    assert update.kind == FilingKind.UPDATE
    assert first.get("partial_upload") is None
    assert partial.get("partial_upload") == "true"
    assert partial.findtext("brief_title") == amended["protocolSection"]["identificationModule"]["briefTitle"]
    assert partial.find("eligibility") is None
    assert first.find("eligibility") is not None
    assert bytes(Payload.objects.get(filing=update, registry="record").content).startswith(b"{")
