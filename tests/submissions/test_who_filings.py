"""A WHO filing carries both files the WHO adapter builds (the ICTRP XML and the TRDS JSON that alone
holds items 21-24); approval stores and signs each."""

from __future__ import annotations

import hashlib
import json

from submissions import domain
from submissions.enums import FilingState, Role, Stage
from submissions.models import Payload
from tests.submissions import factories


def test_approved_who_filing_stores_and_signs_the_ictrp_xml_and_the_trds_json(org, people):
    # given a draft trial with the complete record and a registration filing targeting WHO
    trial = factories.make_trial(org, people[Role.AUTHOR], factories.fixture_record())
    filing = domain.open_filing(
        trial, Stage.REGISTRATION, target_registries=["who"], actor=people[Role.AUTHOR]
    )

    # when it is reviewed and approved
    factories.drive(filing, FilingState.APPROVED, people)
    filing.refresh_from_db()

    # then both files are stored, valid, hashed and covered by the signature, the XML first
    payloads = list(filing.payloads_current)
    assert [(p.registry, p.file_name, p.media_type) for p in payloads] == [
        ("who", "NCT05718264-who-registration.xml", "application/xml"),
        ("who", "NCT05718264-who-trds-registration.json", "application/json"),
    ]
    assert [p.findings for p in payloads] == [[], []]
    assert all(p.sha256 == hashlib.sha256(bytes(p.content)).hexdigest() for p in payloads)
    assert filing.signature is not None
    assert filing.signature.payload_sha256s == {
        "who": payloads[0].sha256,
        "who/NCT05718264-who-trds-registration.json": payloads[1].sha256,
    }
    items = json.loads(bytes(payloads[1].content))["items"]
    assert [item["item"] for item in items if item["value"] is not None][20:] == [21, 22, 23, 24]
    assert Payload.objects.filter(filing=filing).count() == 2
