from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from submissions.admin import scoped_shortcut

urlpatterns = [
    # Before the admin's own: its object shortcut, scoped to the user's organizations.
    path("admin/r/<int:content_type_id>/<path:object_id>/", scoped_shortcut, name="admin_scoped_shortcut"),
    path("admin/", admin.site.urls),
    path("account/", include("submissions.accounts")),
    path("api/v1/", include("submissions.api.urls")),
    path("letters/", include("submissions.letters.urls")),
    path("", include("submissions.web.urls")),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
