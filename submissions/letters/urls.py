from django.urls import path

from submissions.letters import views

app_name = "letters"

urlpatterns = [
    path("trials/<int:trial_pk>/lay-summary/", views.readability, name="readability"),
    path("trials/<int:trial_pk>/letters/", views.letters_page, name="letters"),
    path("trials/<int:trial_pk>/letters/<int:job_pk>/progress/", views.job_progress, name="job_progress"),
    path("trials/<int:trial_pk>/letters/<int:job_pk>/letters.zip", views.download_archive, name="archive"),
    path(
        "trials/<int:trial_pk>/letters/<int:job_pk>/sites/<str:site_code>.pdf",
        views.download_site_pack,
        name="site_pack",
    ),
    path("results/<int:trial_pk>/<str:language>/", views.public_results, name="public_results"),
]
