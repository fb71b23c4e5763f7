"""API views: thin. Each reads the request, calls one domain function (or a read-only query scoped to the
caller's organizations), and answers. Errors are problem documents (``submissions.api.problems``)."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.request import Request
from rest_framework.response import Response

from registries import registry_codes
from registries.diff import diff_records
from registries.enums import Severity
from registries.findings import RegistryError
from registries.importers import detect_format, import_formats
from submissions import checks, domain
from submissions.api import schema as _schema  # noqa: F401  (registers the API key scheme)
from submissions.api import serializers as s
from submissions.api.base import ApiView, etag_of, quoted, require_match
from submissions.api.parsers import (
    BoundedJSONParser,
    MergePatchParser,
    RawJSONParser,
    RawTextXMLParser,
    RawXMLParser,
)
from submissions.api.problems import ApiProblem
from submissions.api.transitions import PERFORMERS, TRANSITION_NAMES
from submissions.domain import letters as domain_letters
from submissions.domain import records as record_domain
from submissions.domain import webhooks as webhook_domain
from submissions.domain.imports import ImportReport, import_trials
from submissions.enums import STAGES, DeadlineStatus, Stage, TrialState
from submissions.errors import DomainError
from submissions.models import (
    AuditEvent,
    Deadline,
    Filing,
    Job,
    Payload,
    RecordVersion,
    Trial,
    WebhookDelivery,
    WebhookEndpoint,
)

IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True, description="The ETag you read."
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Repeat a POST safely: the same key and body return the first response.",
)


def trial_etag(trial: Trial) -> str:
    return etag_of("trial", trial.pk, trial.state, trial.head_id, trial.updated_at.isoformat())


def filing_etag(filing: Filing) -> str:
    return etag_of("filing", filing.pk, filing.state, filing.updated_at.isoformat())


# Every list is paginated the same way (docs/api.md, "Pagination").
PAGE_PARAMETERS = [
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT),
]


class ScopedView(ApiView):
    def trials(self) -> QuerySet[Trial]:
        return Trial.objects.filter(organization__in=self.organizations()).select_related(
            "organization", "head"
        )

    def trial(self, pk: int) -> Trial:
        return get_object_or_404(self.trials(), pk=pk)

    def trials_without_record_content(self) -> QuerySet[Trial]:
        # What a trial's representation shows (TrialSerializer) names the head but not its content or
        # findings; decoding a large record for every trial read or listed was most of a GET's time.
        return self.trials().defer("head__content", "head__findings")

    def filings(self) -> QuerySet[Filing]:
        return Filing.objects.filter(trial__organization__in=self.organizations()).select_related(
            "trial__organization", "pinned_version"
        )

    def filing(self, pk: int) -> Filing:
        return get_object_or_404(self.filings(), pk=pk)


def _trial_response(trial: Trial, status: int = 200, **headers: str) -> Response:
    return Response(
        s.TrialSerializer(trial).data, status=status, headers={"ETag": quoted(trial_etag(trial)), **headers}
    )


def _filing_response(filing: Filing, status: int = 200, **headers: str) -> Response:
    return Response(
        s.FilingSerializer(filing).data,
        status=status,
        headers={"ETag": quoted(filing_etag(filing)), **headers},
    )


def _validated(serializer_class: type[drf_serializers.Serializer], data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ApiProblem(400, "request.not_an_object", "The body must be a JSON object.")
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- who am I ---------------------------------------------------------------------------------------------
class WhoAmIView(ApiView):
    @extend_schema(operation_id="whoami", responses=s.WhoAmISerializer, summary="The caller and its scope")
    def get(self, request: Request) -> Response:
        key = self.api_key
        return Response(
            {
                "organizations": list(self.organizations().values_list("slug", flat=True)),
                "user": request.user.get_username(),
                "access": key.access if key else "session",
                "key_prefix": key.prefix if key else None,
            }
        )


# --- trials -----------------------------------------------------------------------------------------------
class TrialListView(ScopedView):
    @extend_schema(
        operation_id="trials_list",
        summary="List trials",
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, enum=TrialState.values),
            OpenApiParameter(
                "registry", OpenApiTypes.STR, description="Trials with a filing to this registry."
            ),
            OpenApiParameter("reference", OpenApiTypes.STR, description="The sponsor's protocol id."),
            OpenApiParameter("updated_since", OpenApiTypes.DATETIME, description="ISO 8601, UTC."),
            *PAGE_PARAMETERS,
        ],
        responses=s.TrialSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        trials = self.trials_without_record_content().order_by("pk")
        params = request.query_params
        if "state" in params:
            if params["state"] not in TrialState.values:
                raise ApiProblem(
                    400, "request.unknown_state", f"Unknown state; states: {', '.join(TrialState.values)}."
                )
            trials = trials.filter(state=params["state"])
        if params.get("registry"):
            trials = trials.filter(
                Q(filings__target_registries__contains=[params["registry"]])
                if settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
                else Q(filings__target_registries__icontains=f'"{params["registry"]}"')
            ).distinct()
        if params.get("reference"):
            trials = trials.filter(reference=params["reference"])
        if "updated_since" in params:
            since = parse_datetime(params["updated_since"].replace(" ", "+"))
            if since is None or since.tzinfo is None:
                raise ApiProblem(
                    400, "request.invalid_datetime", "updated_since must be an ISO 8601 time with a zone."
                )
            trials = trials.filter(updated_at__gte=since)
        return self.paginate(trials, lambda trial: s.TrialSerializer(trial).data)

    @extend_schema(
        operation_id="trials_create",
        summary="Create a trial, optionally with its first record version",
        parameters=[IDEMPOTENCY_KEY],
        request=s.TrialCreateSerializer,
        responses={201: s.TrialSerializer},
    )
    def post(self, request: Request) -> Response:
        data = _validated(s.TrialCreateSerializer, request.data)
        organization = self.organization_for_create(data.get("organization"))
        record = data.get("record")
        with transaction.atomic():
            if record is not None:
                refused = record_domain.schema_refusal(record)
                if refused:
                    raise record_domain.RecordRefused(refused)
            trial = domain.create_trial(
                organization,
                reference=data["reference"],
                title=data["title"],
                actor=request.user,
                record=record,
            )
        trial = self.trial(trial.pk)
        return _trial_response(trial, 201, Location=f"/api/v1/trials/{trial.pk}")


class TrialDetailView(ScopedView):
    @extend_schema(operation_id="trials_read", summary="Read a trial", responses=s.TrialSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return _trial_response(get_object_or_404(self.trials_without_record_content(), pk=pk))


class TrialWithdrawView(ScopedView):
    @extend_schema(
        operation_id="trials_withdraw",
        summary="Withdraw a trial (draft or registered); needs a person with the approver or admin role",
        parameters=[IF_MATCH, IDEMPOTENCY_KEY],
        request=s.WithdrawSerializer,
        responses=s.TrialSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.WithdrawSerializer, request.data)
        with transaction.atomic():
            trial = get_object_or_404(self.trials().select_for_update(no_key=True, of=("self",)), pk=pk)
            require_match(request, trial_etag(trial))
            domain.withdraw_trial(trial, actor=request.user, reason=data["reason"])
        return _trial_response(self.trial(pk))


# --- records ----------------------------------------------------------------------------------------------
def _save_response(result: domain.SaveResult, status: int = 200) -> Response:
    return Response(
        {
            "sha256": result.version.sha256,
            "created": result.created,
            "findings": result.findings,
            "update_filings": [filing.pk for filing in result.update_filings],
        },
        status=status,
        headers={"ETag": quoted(result.version.sha256)},
    )


class RecordView(ScopedView):
    parser_classes = [BoundedJSONParser, MergePatchParser]

    @extend_schema(
        operation_id="records_read",
        summary="The trial's current record (ETag: its SHA-256)",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, pk: int) -> Response:
        trial = self.trial(pk)
        if trial.head is None:
            raise ApiProblem(404, "record.none", "The trial has no record yet.")
        return Response(trial.head.content, headers={"ETag": quoted(trial.head.sha256)})

    def _trial_to_change(self, pk: int) -> Trial:
        # The head's name is the precondition; its content is not read here (the domain function locks
        # the trial and reads what it needs), and decoding a large record costs a few milliseconds.
        return get_object_or_404(self.trials_without_record_content(), pk=pk)

    def _base(self, request: Request, trial: Trial) -> str | None:
        from submissions.api.base import if_match

        tag = if_match(request)
        current = trial.head.sha256 if trial.head else None
        # "*" (RFC 9110 section 13.1.1) only for a trial that has no record yet is meaningless; a record
        # change always names the version it was based on. A trial with no record is matched by "none".
        if tag != (current or "none"):
            raise ApiProblem(
                412,
                "precondition.stale",
                "The record changed since you read it; read it again and reapply your change.",
                current_etag=quoted(current or "none"),
            )
        return current

    @extend_schema(
        operation_id="records_replace",
        summary="Replace the record (a new version); If-Match: the version it replaces",
        parameters=[IF_MATCH],
        request={"application/json": OpenApiTypes.OBJECT},
        responses=s.RecordSaveResultSerializer,
    )
    def put(self, request: Request, pk: int) -> Response:
        trial = self._trial_to_change(pk)
        base = self._base(request, trial)
        result = record_domain.replace_record(trial, request.data, base_sha256=base, actor=request.user)
        return _save_response(result)

    @extend_schema(
        operation_id="records_patch",
        summary="Change the record with a JSON Merge Patch (RFC 7396); If-Match: the version it patches",
        parameters=[IF_MATCH],
        request={"application/merge-patch+json": OpenApiTypes.OBJECT},
        responses=s.RecordSaveResultSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        if request.content_type.split(";")[0].strip() != MergePatchParser.media_type:
            raise ApiProblem(
                415, "http.unsupported_media_type", "PATCH takes application/merge-patch+json (RFC 7396)."
            )
        trial = self._trial_to_change(pk)
        base = self._base(request, trial)
        result = record_domain.patch_record(trial, request.data, base_sha256=base, actor=request.user)
        return _save_response(result)


class VersionListView(ScopedView):
    @extend_schema(
        operation_id="versions_list",
        summary="The trial's record versions, oldest first",
        parameters=PAGE_PARAMETERS,
        responses=s.RecordVersionSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        trial = self.trial(pk)
        versions = (
            RecordVersion.objects.filter(trial=trial).select_related("based_on", "created_by").order_by("pk")
        )
        return self.paginate(versions, lambda version: s.RecordVersionSerializer(version).data)


class VersionDetailView(ScopedView):
    @extend_schema(
        operation_id="versions_read",
        summary="One record version's content",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, pk: int, sha256: str) -> Response:
        version = get_object_or_404(RecordVersion.objects.filter(trial=self.trial(pk)), sha256=sha256)
        return Response(version.content, headers={"ETag": quoted(version.sha256)})


class VersionDiffView(ScopedView):
    @extend_schema(
        operation_id="versions_diff",
        summary="What changed between two record versions, field by field (JSON Pointers)",
        parameters=[
            OpenApiParameter(
                "from", OpenApiTypes.STR, required=True, description="SHA-256 of the older version."
            ),
            OpenApiParameter(
                "to", OpenApiTypes.STR, required=True, description="SHA-256 of the newer version."
            ),
        ],
        responses=s.VersionDiffSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        trial = self.trial(pk)
        shas = {name: request.query_params.get(name, "") for name in ("from", "to")}
        missing = [name for name, sha in shas.items() if not sha]
        if missing:
            raise ApiProblem(400, "request.version_required", f"Name both versions: {' and '.join(missing)}.")
        versions = {
            name: get_object_or_404(RecordVersion.objects.filter(trial=trial), sha256=sha)
            for name, sha in shas.items()
        }
        changes = diff_records(versions["from"].content, versions["to"].content)
        return Response(
            {"from": shas["from"], "to": shas["to"], "changes": [change.as_dict() for change in changes]}
        )


class FindingsView(ScopedView):
    @extend_schema(
        operation_id="findings_read",
        summary="Findings on the current record for a stage, generic and per registry (as the web shows)",
        parameters=[
            OpenApiParameter("stage", OpenApiTypes.STR, enum=Stage.values, required=True),
            OpenApiParameter("registry", OpenApiTypes.STR, many=True, description="Repeat for several."),
        ],
        responses=s.CheckResultSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        trial = self.trial(pk)
        stage = request.query_params.get("stage", "")
        if stage not in STAGES:
            raise ApiProblem(400, "request.unknown_stage", f"stage must be one of: {', '.join(STAGES)}.")
        if trial.head is None:
            raise ApiProblem(404, "record.none", "The trial has no record yet.")
        registries = request.query_params.getlist("registry")
        known = registry_codes()
        unknown = [code for code in registries if code not in known]
        if unknown:
            raise ApiProblem(
                400, "registry.unknown", f"Unknown registry {unknown[0]!r}; known: {', '.join(known)}."
            )
        findings = checks.stage_findings(trial.head.content, stage, registries)
        return Response(
            {"findings": [finding.as_dict() for finding in findings]},
            headers={"ETag": quoted(trial.head.sha256)},
        )


# --- stateless check and build ----------------------------------------------------------------------------
class CheckView(ApiView):
    @extend_schema(
        operation_id="check",
        summary="Findings for a record at a stage (optionally one registry's too); stores nothing",
        request=s.CheckSerializer,
        responses=s.CheckResultSerializer,
    )
    def post(self, request: Request) -> Response:
        data = _validated(s.CheckSerializer, request.data)
        registries = [data["registry"]] if data.get("registry") else []
        findings = checks.stage_findings(data["record"], data["stage"], registries)
        return Response({"findings": [finding.as_dict() for finding in findings]})


class BuildView(ApiView):
    @extend_schema(
        operation_id="build",
        summary="The payload a registry takes for a record at a stage; stores nothing",
        request=s.BuildSerializer,
        responses=s.BuiltPayloadSerializer,
    )
    def post(self, request: Request) -> Response:
        data = _validated(s.BuildSerializer, request.data)
        if not isinstance(data["record"], dict):
            raise ApiProblem(422, "record.not_an_object", "The record must be a JSON object.")
        if data["stage"] not in checks.registry_stages(data["registry"]):
            raise ApiProblem(
                422, "registry.stage_not_supported", f"{data['registry']} takes no {data['stage']} payload."
            )
        payload, findings = checks.build_payload(data["record"], data["stage"], data["registry"])
        content = payload.content
        try:
            text = content.decode("utf-8") if isinstance(content, bytes) else str(content)
        except UnicodeDecodeError:
            text = base64.b64encode(content).decode("ascii")
        return Response(
            {
                "registry": payload.registry,
                "stage": data["stage"],
                "media_type": payload.media_type,
                "file_name": payload.file_name,
                "schema_version": payload.schema_version,
                "sha256": payload.sha256,
                "content": text,
                "findings": [finding.as_dict() for finding in findings],
            }
        )


# --- bulk upsert and jobs ---------------------------------------------------------------------------------
class BulkUpsertView(ApiView):
    @extend_schema(
        operation_id="trials_bulk_upsert",
        summary="Create or update trials keyed by the sponsor's protocol id; large batches run as a job",
        parameters=[IDEMPOTENCY_KEY],
        request=s.BulkUpsertSerializer,
        responses={200: s.BulkUpsertResultSerializer, 202: s.JobSerializer},
    )
    def post(self, request: Request) -> Response:
        data = _validated(s.BulkUpsertSerializer, request.data)
        items = data["items"]
        if len(items) > settings.API_BULK_MAX_ITEMS:
            raise ApiProblem(
                413, "bulk.too_many_items", f"At most {settings.API_BULK_MAX_ITEMS} items per request."
            )
        organization = self.organization_for_create(None)
        if len(items) > settings.API_BULK_SYNC_LIMIT:
            job = record_domain.start_bulk_upsert(organization, items, actor=request.user)
            job.refresh_from_db()
            return Response(
                s.JobSerializer(job).data, status=202, headers={"Location": f"/api/v1/jobs/{job.pk}"}
            )
        results = record_domain.upsert_trials(organization, items, actor=request.user)
        return Response({"results": [item.as_dict() for item in results]})


class TrialImportView(ApiView):
    parser_classes = [RawJSONParser, RawXMLParser, RawTextXMLParser]

    @extend_schema(
        operation_id="trials_import",
        summary="Create or update trials from registry records (ClinicalTrials.gov API v2 JSON: one study, "
        "an array or an API page; PRS XML; public XML), as the web import does",
        parameters=[
            OpenApiParameter(
                "source_format",
                OpenApiTypes.STR,
                enum=import_formats(),
                description="The input's format; told from the body when absent.",
            ),
            OpenApiParameter(
                "organization", OpenApiTypes.STR, description="A person's organization (slug) if several."
            ),
            IDEMPOTENCY_KEY,
        ],
        request={
            "application/json": OpenApiTypes.OBJECT,
            "application/xml": OpenApiTypes.STR,
            "text/xml": OpenApiTypes.STR,
        },
        responses={200: s.ImportResultSerializer},
    )
    def post(self, request: Request) -> Response:
        data = request.data
        if not isinstance(data, bytes):
            raise ApiProblem(
                415,
                "http.unsupported_media_type",
                "Send the document as application/json or application/xml.",
            )
        fmt = _import_format(request, data)
        organization = self.organization_for_create(request.query_params.get("organization"))
        try:
            reports = import_trials(data, fmt, organization=organization, actor=request.user, source="input")
        except DomainError as exc:
            if exc.code == "role.required":
                raise
            # The input could not be read at all (registries/jsonread.py, xmlsafe.py codes): the client's.
            status = 413 if exc.code.endswith(".too_large") else 400
            raise ApiProblem(status, exc.code, exc.message) from None
        if not reports:
            raise ApiProblem(422, "import.no_studies", "The input holds no study.")
        results = [_import_report(report) for report in reports]
        counts = {name: 0 for name in ("created", "updated", "unchanged", "refused")}
        for report in reports:
            counts[report.status] += 1
        if counts["refused"] == len(reports):
            # Not one study could be imported: nothing was stored, and the client learns why per study.
            raise ApiProblem(
                422, "import.nothing_imported", "No study of the input could be imported.", results=results
            )
        return Response({"counts": counts, "results": results})


_XML_MEDIA_TYPES = ("application/xml", "text/xml")


def _import_format(request: Request, data: bytes) -> str:
    """The input's format, which the request's media type must agree with (JSON is API v2; the others are
    XML)."""
    media_type = request.content_type.split(";")[0].strip().lower()
    named = request.query_params.get("source_format")
    if named is not None and named not in import_formats():
        raise ApiProblem(
            400, "import.unknown_format", f"source_format must be one of: {', '.join(import_formats())}."
        )
    if media_type not in _XML_MEDIA_TYPES:
        fmt = named or "ctgov-v2"
    else:
        try:
            fmt = named or detect_format(data)
        except RegistryError as exc:
            raise ApiProblem(400, exc.code, exc.message) from None
    if (fmt == "ctgov-v2") == (media_type in _XML_MEDIA_TYPES):
        raise ApiProblem(
            415,
            "import.content_type_mismatch",
            f"A {fmt} document is not {media_type}: send JSON as application/json, XML as application/xml.",
        )
    return fmt


def _import_report(report: ImportReport) -> dict[str, Any]:
    by_severity = {severity.value: 0 for severity in Severity}
    for finding in report.findings:
        by_severity[finding["severity"]] = by_severity.get(finding["severity"], 0) + 1
    trial_id = report.trial.pk if report.trial is not None and not report.refused else None
    return {
        "source": report.source,
        "format": report.fmt,
        "status": report.status,
        "trial_id": trial_id,
        "trial_url": f"/api/v1/trials/{trial_id}" if trial_id is not None else None,
        "reference": report.reference,
        "nct_id": report.nct_id,
        "state": report.state,
        "findings_by_severity": by_severity,
        "findings": report.findings,
        "dropped": report.dropped,
        "history": report.history,
        "filed": report.filed,
        "refusal": report.error if report.refused else None,
    }


class JobView(ApiView):
    @extend_schema(
        operation_id="jobs_read", summary="A background job's progress and results", responses=s.JobSerializer
    )
    def get(self, request: Request, pk: int) -> Response:
        job = get_object_or_404(Job.objects.filter(organization__in=self.organizations()), pk=pk)
        return Response(s.JobSerializer(job).data)


# --- filings ----------------------------------------------------------------------------------------------
class TrialFilingsView(ScopedView):
    @extend_schema(
        operation_id="filings_list",
        summary="The trial's filings",
        parameters=PAGE_PARAMETERS,
        responses=s.FilingSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        trial = self.trial(pk)
        return self.paginate(
            self.filings().filter(trial=trial).order_by("pk"), lambda f: s.FilingSerializer(f).data
        )

    @extend_schema(
        operation_id="filings_create",
        summary="Open a filing for a stage",
        parameters=[IDEMPOTENCY_KEY],
        request=s.FilingCreateSerializer,
        responses={201: s.FilingSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.FilingCreateSerializer, request.data)
        trial = self.trial(pk)
        filing = domain.open_filing(
            trial,
            data["stage"],
            target_registries=data["target_registries"],
            actor=request.user,
            kind=data["kind"],
        )
        return _filing_response(self.filing(filing.pk), 201, Location=f"/api/v1/filings/{filing.pk}")


class FilingDetailView(ScopedView):
    @extend_schema(operation_id="filings_read", summary="Read a filing", responses=s.FilingSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return _filing_response(self.filing(pk))


class FilingTransitionView(ScopedView):
    @extend_schema(
        operation_id="filings_transition",
        summary="Perform a transition of the filing (approve carries the e-signature)",
        parameters=[
            OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(TRANSITION_NAMES)),
            IF_MATCH,
            IDEMPOTENCY_KEY,
        ],
        request=s.TransitionSerializer,
        responses=s.FilingSerializer,
    )
    def post(self, request: Request, pk: int, name: str) -> Response:
        if name not in PERFORMERS:
            raise ApiProblem(
                404,
                "filing.unknown_transition",
                f"No transition {name!r}; transitions: {', '.join(TRANSITION_NAMES)}.",
            )
        data = _validated(s.TransitionSerializer, request.data)
        with transaction.atomic():
            filing = get_object_or_404(self.filings().select_for_update(no_key=True, of=("self",)), pk=pk)
            require_match(request, filing_etag(filing))
            PERFORMERS[name](filing, data, request.user, self.api_key is not None)
        return _filing_response(self.filing(pk))


# --- payloads ---------------------------------------------------------------------------------------------
class TrialPayloadsView(ScopedView):
    @extend_schema(
        operation_id="payloads_list",
        summary="Payloads built at approval, per registry and stage",
        parameters=[
            OpenApiParameter("registry", OpenApiTypes.STR),
            OpenApiParameter("stage", OpenApiTypes.STR, enum=Stage.values),
            *PAGE_PARAMETERS,
        ],
        responses=s.PayloadSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        trial = self.trial(pk)
        payloads = Payload.objects.filter(filing__trial=trial).select_related("record_version").order_by("pk")
        if request.query_params.get("registry"):
            payloads = payloads.filter(registry=request.query_params["registry"])
        if "stage" in request.query_params:
            if request.query_params["stage"] not in STAGES:
                raise ApiProblem(400, "request.unknown_stage", f"stage must be one of: {', '.join(STAGES)}.")
            payloads = payloads.filter(stage=request.query_params["stage"])
        return self.paginate(payloads.defer("content"), lambda p: s.PayloadSerializer(p).data)


class PayloadDownloadView(ScopedView):
    @extend_schema(
        operation_id="payloads_download",
        summary="The payload's bytes, as built and signed",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        payload = get_object_or_404(
            Payload.objects.filter(filing__trial__organization__in=self.organizations()), pk=pk
        )
        response = HttpResponse(bytes(payload.content), content_type=payload.media_type)
        response["Content-Disposition"] = f'attachment; filename="{payload.file_name}"'
        response["ETag"] = quoted(payload.sha256)
        return response


# --- audit and deadlines ----------------------------------------------------------------------------------
class TrialAuditView(ScopedView):
    @extend_schema(
        operation_id="audit_events_list",
        summary="The trial's audit events, oldest first",
        parameters=PAGE_PARAMETERS,
        responses=s.AuditEventSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        trial = self.trial(pk)
        events = AuditEvent.objects.filter(trial=trial).select_related("actor").order_by("pk")
        return self.paginate(events, lambda event: s.AuditEventSerializer(event).data)


_DEADLINE_PARAMS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=DeadlineStatus.values),
    *PAGE_PARAMETERS,
]


def _deadlines(request: Request, deadlines: QuerySet[Deadline]) -> QuerySet[Deadline]:
    deadlines = deadlines.filter(current=True).select_related("trial")
    status = request.query_params.get("status")
    if status is not None:
        if status not in DeadlineStatus.values:
            raise ApiProblem(
                400, "request.unknown_status", f"status must be one of: {', '.join(DeadlineStatus.values)}."
            )
        deadlines = deadlines.filter(status=status)
    return deadlines.order_by("due_date", "pk")


class TrialDeadlinesView(ScopedView):
    @extend_schema(
        operation_id="trial_deadlines_list",
        summary="The trial's current deadlines",
        parameters=_DEADLINE_PARAMS,
        responses=s.DeadlineSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        trial = self.trial(pk)
        return self.paginate(
            _deadlines(request, Deadline.objects.filter(trial=trial)), lambda d: s.DeadlineSerializer(d).data
        )


class DeadlinesView(ScopedView):
    @extend_schema(
        operation_id="deadlines_list",
        summary="The portfolio's current deadlines (e.g. ?status=overdue)",
        parameters=_DEADLINE_PARAMS,
        responses=s.DeadlineSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        deadlines = Deadline.objects.filter(trial__organization__in=self.organizations())
        return self.paginate(_deadlines(request, deadlines), lambda d: s.DeadlineSerializer(d).data)


# --- webhooks ---------------------------------------------------------------------------------------------
class WebhookListView(ApiView):
    @extend_schema(
        operation_id="webhooks_list",
        summary="The organization's webhook endpoints",
        parameters=PAGE_PARAMETERS,
        responses=s.WebhookEndpointSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        endpoints = WebhookEndpoint.objects.filter(organization__in=self.organizations()).order_by("pk")
        return self.paginate(endpoints, lambda e: s.WebhookEndpointSerializer(e).data)

    @extend_schema(
        operation_id="webhooks_create",
        summary="Register a webhook endpoint; the signing secret is shown once",
        parameters=[IDEMPOTENCY_KEY],
        request=s.WebhookEndpointCreateSerializer,
        responses={201: s.WebhookEndpointCreatedSerializer},
    )
    def post(self, request: Request) -> Response:
        data = _validated(s.WebhookEndpointCreateSerializer, request.data)
        organization = self.organization_for_create(None)
        endpoint, _secret = webhook_domain.create_webhook_endpoint(
            organization, url=data["url"], events=data["events"], actor=request.user
        )
        return Response(
            s.WebhookEndpointCreatedSerializer(endpoint).data,
            status=201,
            headers={"Location": f"/api/v1/webhooks/{endpoint.pk}"},
        )


class EndpointView(ApiView):
    def endpoint(self, pk: int) -> WebhookEndpoint:
        return get_object_or_404(WebhookEndpoint.objects.filter(organization__in=self.organizations()), pk=pk)


class WebhookDetailView(EndpointView):
    @extend_schema(
        operation_id="webhooks_read", summary="A webhook endpoint", responses=s.WebhookEndpointSerializer
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.WebhookEndpointSerializer(self.endpoint(pk)).data)

    @extend_schema(
        operation_id="webhooks_disable",
        summary="Disable a webhook endpoint (its log stays)",
        responses={204: None},
    )
    def delete(self, request: Request, pk: int) -> Response:
        webhook_domain.disable_webhook_endpoint(self.endpoint(pk), actor=request.user)
        return Response(status=204)


class WebhookDeliveriesView(EndpointView):
    @extend_schema(
        operation_id="webhook_deliveries_list",
        summary="The endpoint's deliveries, newest first, each with its attempts",
        parameters=PAGE_PARAMETERS,
        responses=s.WebhookDeliverySerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        deliveries = WebhookDelivery.objects.filter(endpoint=self.endpoint(pk)).order_by("-pk")
        return self.paginate(deliveries, lambda d: s.WebhookDeliverySerializer(d).data)


class WebhookReplayView(ApiView):
    @extend_schema(
        operation_id="webhook_deliveries_replay",
        summary="Send a delivery's event again (a new delivery)",
        parameters=[IDEMPOTENCY_KEY],
        request=None,
        responses={202: s.WebhookDeliverySerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        delivery = get_object_or_404(
            WebhookDelivery.objects.filter(endpoint__organization__in=self.organizations()).select_related(
                "endpoint__organization"
            ),
            pk=pk,
        )
        replay = webhook_domain.replay_delivery(delivery, actor=request.user)
        replay.refresh_from_db()
        return Response(s.WebhookDeliverySerializer(replay).data, status=202)


# --- letter jobs (issue 12 item 5) ------------------------------------------------------------------------
def _letter_job_response(job: Any, status: int = 200, **headers: str) -> Response:
    return Response(s.LetterJobSerializer(job).data, status=status, headers=headers)


class TrialLetterJobsView(ScopedView):
    @extend_schema(
        operation_id="letter_jobs_list",
        summary="The trial's participant letter jobs, newest first",
        parameters=PAGE_PARAMETERS,
        responses=s.LetterJobSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        trial = self.trial(pk)
        return self.paginate(domain_letters.letter_jobs(trial), lambda job: s.LetterJobSerializer(job).data)

    @extend_schema(
        operation_id="letter_jobs_create",
        summary="Generate the result letters of every participant who asked, from the approved lay summary; "
        "while a job of the trial is unfinished, that job is answered (200) instead of a new one (202)",
        parameters=[IDEMPOTENCY_KEY],
        request=None,
        responses={200: s.LetterJobSerializer, 202: s.LetterJobSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        trial = self.trial(pk)
        running = domain_letters.letter_job_running(trial)
        started = domain_letters.start_letter_job(trial, actor=request.user)
        # Read again: the task may already have run (in-process Celery) and changed its progress.
        job = domain_letters.letter_job(trial, started.pk) or started
        return _letter_job_response(
            job, 200 if running else 202, Location=f"/api/v1/trials/{trial.pk}/letter-jobs/{job.pk}"
        )


class LetterJobView(ScopedView):
    def job(self, pk: int, job_pk: int) -> Any:
        job = domain_letters.letter_job(self.trial(pk), job_pk)
        if job is None:
            raise ApiProblem(404, "letters.job_not_found", "The trial has no such letter job.")
        return job


class LetterJobDetailView(LetterJobView):
    @extend_schema(
        operation_id="letter_jobs_read",
        summary="A letter job's progress (done, failed, of total) and, once ended, its downloads",
        responses=s.LetterJobSerializer,
    )
    def get(self, request: Request, pk: int, job_pk: int) -> Response:
        return _letter_job_response(self.job(pk, job_pk))


class LetterJobArchiveView(LetterJobView):
    @extend_schema(
        operation_id="letter_jobs_archive",
        summary="Every letter of the job in one zip (a folder per site: each letter and the site's PDF)",
        responses={(200, "application/zip"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, pk: int, job_pk: int) -> HttpResponse:
        job = self.job(pk, job_pk)
        if not job.archive:
            raise ApiProblem(
                404, "letters.archive_not_ready", "The job has not ended yet; its zip is made last."
            )
        content = bytes(job.archive)
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="letters-{job.trial.reference}-{job.pk}.zip"'
        response["ETag"] = quoted(hashlib.sha256(content).hexdigest())
        return response


class LetterJobSitePackView(LetterJobView):
    @extend_schema(
        operation_id="letter_jobs_site_pdf",
        summary="One site's letters of the job in one print-ready PDF",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, pk: int, job_pk: int, site_code: str) -> HttpResponse:
        job = self.job(pk, job_pk)
        pack = domain_letters.site_pack(job, site_code)
        if pack is None:
            raise ApiProblem(
                404, "letters.site_pack_not_found", f"The job has no letters for a site {site_code!r}."
            )
        content = bytes(pack.pdf)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="letters-{job.trial.reference}-{pack.site.code}.pdf"'
        )
        response["ETag"] = quoted(hashlib.sha256(content).hexdigest())
        return response
