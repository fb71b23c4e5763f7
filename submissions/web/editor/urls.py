"""The record editor: forms generated from the record schema and a small UI-hints file, one page per
module, with the target registries' findings beside their fields."""

from django.urls import URLPattern, path

from submissions.web.editor import views

app_name = "editor"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    # ?pointer=<JSON Pointer> -> the module page holding that field, at the field (findings link here).
    path("field/", views.field_redirect, name="field"),
    path("tables/<slug:table>.csv", views.table_csv, name="table_csv"),
    path("<slug:module>/", views.module_page, name="module"),
    path("<slug:module>/check/", views.check, name="check"),
]
