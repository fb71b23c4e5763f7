from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("submissions.api.urls")),
    path("letters/", include("submissions.letters.urls")),
    path("", include("submissions.web.urls")),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
