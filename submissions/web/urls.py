from django.urls import include, path

app_name = "web"

urlpatterns = [
    # The record editor is its own package (schema-driven forms); its pages live under the trial.
    path("trials/<int:trial_pk>/editor/", include("submissions.web.editor.urls")),
]
