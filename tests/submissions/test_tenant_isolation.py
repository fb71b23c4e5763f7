"""No page tells a member of one organization anything about another: its name, its slug, its trials, its
people, or that it exists (DESIGN section 7). A member of one sponsor crawls every admin page reachable
from the index (change lists, their filters, change forms, action pages, downloads) and finds nothing of
the other sponsor's; the other sponsor's objects answer the same 404 as objects that do not exist."""

from __future__ import annotations

import re
from collections import Counter, deque
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from submissions import domain
from submissions.enums import FilingState, RecomputeReason, Role, Stage
from submissions.models import ESignature, Filing, Membership, Organization, Payload, Trial
from tests.submissions import factories

OTHER_NAME = "Zebra Pharmaceuticals Confidential"
OTHER_SLUG = "zebra-confidential"
OTHER_REFERENCE = "ZEBRA-SECRET-77"
# What would give the other sponsor away: its name, slug, trial reference and its people's names.
TELLTALES = (OTHER_NAME, OTHER_SLUG, OTHER_REFERENCE, "Zedadmin", "zedapprover", "zedauthor")
# Enough for every page of the two sponsors' data; a crawl that grows past it is a bug in the crawl.
PAGE_LIMIT = 400
HREF = re.compile(r"""(?:href|action)=["']([^"']+)["']""")
# How many pages of one kind (say, one deadline's page, or one list's sort orders) the crawl opens.
PAGES_PER_KIND = 4
# Following these would end the session or change data rather than read it.
SKIPPED = ("/admin/logout/", "/admin/password_change/")


@pytest.fixture
def tenants(org, people, record):
    # given our sponsor with a trial through one stage, and another sponsor with the same
    ours = factories.make_trial(org, people[Role.AUTHOR], record, reference="OURS-1")
    domain.recompute_deadlines(ours, reason=RecomputeReason.DAILY)
    other = Organization.objects.create(name=OTHER_NAME, slug=OTHER_SLUG)
    other_people = factories.make_people(other, prefix="zed")
    theirs = factories.make_trial(other, other_people[Role.AUTHOR], record, reference=OTHER_REFERENCE)
    domain.recompute_deadlines(theirs, reason=RecomputeReason.DAILY)
    for trial, crew in ((ours, people), (theirs, other_people)):
        filing = domain.open_filing(
            trial, Stage.REGISTRATION, target_registries=["record"], actor=crew[Role.AUTHOR]
        )
        factories.drive(filing, FilingState.ACCEPTED, crew)
    return ours, theirs


def _member_of_every_role(org, people):
    user = people[Role.ADMIN]
    for role in Role.values:
        domain.add_member(org, user, role, actor=user)
    # A member of a second organization too, so the lists offer their "By organization" filters.
    sister = Organization.objects.create(name="Sister Sponsor", slug="sister")
    Membership.objects.create(organization=sister, user=user, role=Role.ADMIN)
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def _kind(link: str) -> str:
    path, _, query = link.partition("?")
    return re.sub(r"/\d+/", "/N/", path) + ("?" if query else "")


def _links(page: str, base: str) -> list[str]:
    found = []
    for raw in HREF.findall(page):
        url = urljoin(base, unescape(raw))
        parts = urlsplit(url)
        if parts.netloc or not parts.path.startswith("/admin/") or parts.path.startswith(SKIPPED):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def test_a_member_crawling_every_admin_page_finds_no_trace_of_another_organization(tenants, org, people):
    client = _member_of_every_role(org, people)
    queue, seen, leaks, statuses = deque(["/admin/"]), {"/admin/"}, [], {}
    kinds: Counter[str] = Counter()
    while queue and len(seen) <= PAGE_LIMIT:
        url = queue.popleft()
        answer = client.get(url)
        statuses[url] = answer.status_code
        body = answer.content.decode("utf-8", "replace")
        leaks += [(url, telltale) for telltale in TELLTALES if telltale.lower() in body.lower()]
        if answer.status_code != 200 or not answer["Content-Type"].startswith("text/html"):
            continue
        for link in _links(body, url):
            # Filters combine without end: follow a filter link only from an unfiltered list.
            if ("?" in link and "?" in url) or link in seen:
                continue
            # Pages of one kind (one object's page, one list's sort orders) are alike: a few of each
            # will do, except the organization filters, which are the point.
            kind = _kind(link)
            if kinds[kind] >= PAGES_PER_KIND and "organization" not in link:
                continue
            kinds[kind] += 1
            seen.add(link)
            queue.append(link)
    # then nothing names the other sponsor, and the crawl saw every kind of page
    visited = set(statuses)
    assert [url for url, status in statuses.items() if status >= 500] == []
    assert leaks == []
    assert len(seen) <= PAGE_LIMIT
    assert {
        "/admin/submissions/organization/",
        "/admin/submissions/membership/",
        f"/admin/submissions/trial/{tenants[0].pk}/change/",
        "/admin/submissions/auditevent/",
        "/admin/submissions/verifiedname/",
    } <= visited
    assert any("organization__id__exact" in url for url in visited), "the organization filters were crawled"
    assert [url for url, status in statuses.items() if status >= 500] == []


def test_another_organizations_objects_answer_the_404_of_a_missing_one(tenants, org, people):
    client = _member_of_every_role(org, people)
    theirs = tenants[1]
    filing = Filing.objects.get(trial=theirs)
    objects = [
        ("organization", theirs.organization_id),
        ("trial", theirs.pk),
        ("filing", filing.pk),
        ("payload", Payload.objects.get(filing=filing).pk),
        ("esignature", ESignature.objects.get(filing=filing).pk),
    ]
    answers = []
    for model, pk in objects:
        other = client.get(f"/admin/submissions/{model}/{pk}/change/")
        missing = client.get(f"/admin/submissions/{model}/999999/change/")
        answers.append((other.status_code, other.content == missing.content))
    assert answers == [(404, True)] * len(objects)


def test_the_admin_shortcut_answers_the_same_404_for_another_organizations_object(tenants, org, people):
    client = _member_of_every_role(org, people)
    content_type = ContentType.objects.get_for_model(Trial)
    other = client.get(f"/admin/r/{content_type.pk}/{tenants[1].pk}/")
    missing = client.get(f"/admin/r/{content_type.pk}/999999/")
    own = client.get(f"/admin/r/{content_type.pk}/{tenants[0].pk}/")
    assert (other.status_code, missing.status_code, own.status_code) == (404, 404, 404)
    assert other.content == missing.content == own.content
    assert OTHER_REFERENCE not in other.content.decode()
