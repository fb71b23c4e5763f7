from django.urls import path

from submissions.letters import views

app_name = "letters"

urlpatterns = [
    path("trials/<int:trial_pk>/lay-summary/", views.readability, name="readability"),
    path("results/<int:trial_pk>/<str:language>/", views.public_results, name="public_results"),
]
