from django.urls import include, path

from submissions.web.views import (
    account,
    approval,
    compliance,
    dashboard,
    imports,
    letters,
    people,
    records,
    trials,
)

app_name = "web"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("sign-in/", account.SignInView.as_view(), name="sign_in"),
    path("sign-out/", account.SignOutView.as_view(), name="sign_out"),
    path("organization/", account.switch_organization, name="switch_organization"),
    path("welcome/<uidb64>/<token>/", people.WelcomeView.as_view(), name="welcome"),
    path("people/", people.people, name="people"),
    path("import/", imports.import_page, name="import"),
    path("letter-settings/", letters.letter_settings, name="letter_settings"),
    path("compliance/", compliance.compliance, name="compliance"),
    path("calendar/<slug:slug>/<str:token>.ics", compliance.calendar_feed, name="calendar"),
    path("trials/<int:trial_pk>/", trials.trial_page, name="trial"),
    path("trials/<int:trial_pk>/filings/", trials.open_filing, name="open_filing"),
    path("trials/<int:trial_pk>/history/", records.history, name="history"),
    path("trials/<int:trial_pk>/history/diff/", records.diff, name="diff"),
    path("trials/<int:trial_pk>/deadlines/", records.trial_deadlines, name="trial_deadlines"),
    path("trials/<int:trial_pk>/letter-sites/", letters.letter_sites, name="letter_sites"),
    path("trials/<int:trial_pk>/payloads/", records.payloads, name="payloads"),
    path("trials/<int:trial_pk>/payloads/<int:pk>/", records.payload_preview, name="payload_preview"),
    path(
        "trials/<int:trial_pk>/payloads/<int:pk>/download/", records.payload_download, name="payload_download"
    ),
    path(
        "trials/<int:trial_pk>/filings/<int:filing_pk>/signed-package/",
        records.signed_package_download,
        name="signed_package",
    ),
    path("filings/<int:pk>/approve/", approval.approve, name="approve"),
    path("filings/<int:pk>/<slug:action>/", trials.filing_action, name="filing_action"),
    # The record editor is its own package (schema-driven forms); its pages live under the trial.
    path("trials/<int:trial_pk>/editor/", include("submissions.web.editor.urls")),
]
