"""The REST API for CTMS integrations at /api/v1/ (issue 11; docs/api.md)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from submissions.api import views
from submissions.api.problems import not_found_view

app_name = "api"

urlpatterns = [
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    path("docs", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("whoami", views.WhoAmIView.as_view(), name="whoami"),
    path("check", views.CheckView.as_view(), name="check"),
    path("build", views.BuildView.as_view(), name="build"),
    path("trials", views.TrialListView.as_view(), name="trials"),
    path("trials/bulk-upsert", views.BulkUpsertView.as_view(), name="trials-bulk-upsert"),
    path("trials/import", views.TrialImportView.as_view(), name="trials-import"),
    path("trials/<int:pk>", views.TrialDetailView.as_view(), name="trial"),
    path("trials/<int:pk>/withdraw", views.TrialWithdrawView.as_view(), name="trial-withdraw"),
    path("trials/<int:pk>/record", views.RecordView.as_view(), name="trial-record"),
    path("trials/<int:pk>/versions", views.VersionListView.as_view(), name="trial-versions"),
    path("trials/<int:pk>/versions/<str:sha256>", views.VersionDetailView.as_view(), name="trial-version"),
    path("trials/<int:pk>/diff", views.VersionDiffView.as_view(), name="trial-diff"),
    path("trials/<int:pk>/findings", views.FindingsView.as_view(), name="trial-findings"),
    path("trials/<int:pk>/filings", views.TrialFilingsView.as_view(), name="trial-filings"),
    path("trials/<int:pk>/payloads", views.TrialPayloadsView.as_view(), name="trial-payloads"),
    path("trials/<int:pk>/audit-events", views.TrialAuditView.as_view(), name="trial-audit-events"),
    path("trials/<int:pk>/deadlines", views.TrialDeadlinesView.as_view(), name="trial-deadlines"),
    path("trials/<int:pk>/letter-jobs", views.TrialLetterJobsView.as_view(), name="trial-letter-jobs"),
    path(
        "trials/<int:pk>/letter-jobs/<int:job_pk>",
        views.LetterJobDetailView.as_view(),
        name="trial-letter-job",
    ),
    path(
        "trials/<int:pk>/letter-jobs/<int:job_pk>/letters.zip",
        views.LetterJobArchiveView.as_view(),
        name="trial-letter-job-archive",
    ),
    path(
        "trials/<int:pk>/letter-jobs/<int:job_pk>/sites/<str:site_code>.pdf",
        views.LetterJobSitePackView.as_view(),
        name="trial-letter-job-site-pack",
    ),
    path("filings/<int:pk>", views.FilingDetailView.as_view(), name="filing"),
    path(
        "filings/<int:pk>/transitions/<str:name>",
        views.FilingTransitionView.as_view(),
        name="filing-transition",
    ),
    path("payloads/<int:pk>/download", views.PayloadDownloadView.as_view(), name="payload-download"),
    path("deadlines", views.DeadlinesView.as_view(), name="deadlines"),
    path("jobs/<int:pk>", views.JobView.as_view(), name="job"),
    path("webhooks", views.WebhookListView.as_view(), name="webhooks"),
    path("webhooks/<int:pk>", views.WebhookDetailView.as_view(), name="webhook"),
    path("webhooks/<int:pk>/deliveries", views.WebhookDeliveriesView.as_view(), name="webhook-deliveries"),
    path(
        "webhook-deliveries/<int:pk>/replay",
        views.WebhookReplayView.as_view(),
        name="webhook-delivery-replay",
    ),
    # Anything else under /api/v1/ is a problem document too, never the web's HTML 404.
    re_path(r"^.*$", not_found_view),
]
