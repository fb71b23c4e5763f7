"""Webhooks delivered over real HTTP to a receiver on loopback: signed, retried after a failure, logged,
replayable; and a large bulk upsert run as a job whose end is an event."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User

from submissions.domain.webhooks import SIGNATURE_HEADER, create_webhook_endpoint, verify_signature
from submissions.enums import Role
from submissions.models import Organization, WebhookDelivery
from tests.submissions.api.conftest import Api, small_record

pytestmark = pytest.mark.django_db(transaction=True)


class Receiver:
    """An HTTP server on loopback that records what it receives and answers with the statuses queued."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture(autouse=True)
def _eager(eager_celery: None, settings: Any) -> None:
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True


def _endpoint(rw: Api, url: str, events: list[str]) -> dict[str, Any]:
    response = rw.call("POST", "/api/v1/webhooks", {"url": url, "events": events})
    assert response.status_code == 201
    body: dict[str, Any] = response.json()
    return body


def test_a_delivery_is_signed_and_the_signature_verifies(rw: Api, receiver: Receiver) -> None:
    # given an endpoint for findings changes
    endpoint = _endpoint(rw, receiver.url, ["findings.changed"])
    # when a trial is created with a record (its findings are new)
    rw.call("POST", "/api/v1/trials", {"reference": "W-1", "title": "t", "record": small_record()})
    # then the receiver got one event whose signature verifies with the secret, and not with another
    [(headers, body)] = receiver.received
    event = json.loads(body)
    now = int(time.time())
    assert (event["type"], event["data"]["trial"]["reference"]) == ("findings.changed", "W-1")
    assert verify_signature(endpoint["secret"], headers[SIGNATURE_HEADER], body, now=now) is True
    assert verify_signature("whsec_wrong", headers[SIGNATURE_HEADER], body, now=now) is False
    assert verify_signature(endpoint["secret"], headers[SIGNATURE_HEADER], body + b" ", now=now) is False


def test_a_failed_delivery_is_retried_and_every_attempt_logged(rw: Api, receiver: Receiver) -> None:
    # given a receiver that fails twice before it answers
    receiver.statuses = [500, 503]
    endpoint = _endpoint(rw, receiver.url, ["findings.changed"])
    # when an event is sent
    rw.call("POST", "/api/v1/trials", {"reference": "W-1", "title": "t", "record": small_record()})
    # then it arrived on the third attempt, and the log says so
    delivery = WebhookDelivery.objects.get(endpoint_id=endpoint["id"])
    assert (len(receiver.received), delivery.status, [a["status_code"] for a in delivery.attempts]) == (
        3,
        "succeeded",
        [500, 503, 200],
    )
    listed = rw.get(f"/api/v1/webhooks/{endpoint['id']}/deliveries").json()["results"]
    assert [d["status"] for d in listed] == ["succeeded"]


def test_a_delivery_can_be_replayed(rw: Api, receiver: Receiver) -> None:
    endpoint = _endpoint(rw, receiver.url, ["findings.changed"])
    rw.call("POST", "/api/v1/trials", {"reference": "W-1", "title": "t", "record": small_record()})
    delivery = WebhookDelivery.objects.get(endpoint_id=endpoint["id"])
    response = rw.call("POST", f"/api/v1/webhook-deliveries/{delivery.pk}/replay")
    first, second = (json.loads(body) for _headers, body in receiver.received)
    assert (response.status_code, response.json()["replay_of"], first == second) == (202, delivery.pk, True)


def test_no_delivery_crosses_organizations(
    rw: Api, receiver: Receiver, other_org: Organization, other_people: dict[str, User], other: Api
) -> None:
    # given the other organization's endpoint on the receiver, and none of ours
    create_webhook_endpoint(
        other_org, url=receiver.url, events=["findings.changed"], actor=other_people[Role.AUTHOR]
    )
    # when our trial's findings change
    rw.call("POST", "/api/v1/trials", {"reference": "W-1", "title": "t", "record": small_record()})
    # then nothing reached their receiver
    assert receiver.received == []


def test_a_large_bulk_upsert_runs_as_a_job_with_progress_and_an_event(
    rw: Api, receiver: Receiver, settings: Any
) -> None:
    # given a batch above the threshold for answering at once
    settings.API_BULK_SYNC_LIMIT = 2
    _endpoint(rw, receiver.url, ["job.finished"])
    items = [{"reference": f"B-{n}", "record": small_record(f"Trial {n}")} for n in range(3)]
    items.append({"reference": "B-bad", "record": {"colour": "red"}})
    # when it is posted
    started = rw.call("POST", "/api/v1/trials/bulk-upsert", {"items": items})
    # then the answer is a job, whose URL shows it finished with one result per item
    job = rw.get(started["Location"]).json()
    assert (started.status_code, job["status"], job["done"], job["total"]) == (202, "succeeded", 4, 4)
    assert [r["outcome"] for r in job["results"]] == ["created", "created", "created", "refused"]
    [(_headers, body)] = receiver.received
    assert json.loads(body)["data"]["job"]["counts"] == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "refused": 1,
    }


def test_a_small_bulk_upsert_answers_each_item(rw: Api) -> None:
    items = [{"reference": "S-1", "record": small_record()}]
    first = rw.call("POST", "/api/v1/trials/bulk-upsert", {"items": items}).json()["results"]
    again = rw.call("POST", "/api/v1/trials/bulk-upsert", {"items": items}).json()["results"]
    changed = rw.call(
        "POST", "/api/v1/trials/bulk-upsert", {"items": [{"reference": "S-1", "record": small_record("New")}]}
    ).json()["results"]
    assert [r["outcome"] for r in (*first, *again, *changed)] == ["created", "unchanged", "updated"]


def test_a_private_address_is_refused_without_retries_when_not_allowed(
    rw: Api, receiver: Receiver, settings: Any
) -> None:
    # given an endpoint on loopback, and production's refusal of non-public addresses
    endpoint = _endpoint(rw, receiver.url, ["findings.changed"])
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    # when an event is due
    rw.call("POST", "/api/v1/trials", {"reference": "W-1", "title": "t", "record": small_record()})
    # then nothing was sent, and the one attempt says why
    delivery = WebhookDelivery.objects.get(endpoint_id=endpoint["id"])
    assert (receiver.received, delivery.status, [a["error"] for a in delivery.attempts]) == (
        [],
        "failed",
        ["webhook.private_address: 127.0.0.1 is not a public address"],
    )
