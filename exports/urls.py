from django.urls import path

from . import views

urlpatterns = [
    # Whoever has the token (in the address the export request redirected to) may follow and download it.
    # Tokens are secrets.token_urlsafe(), the slug alphabet: anything else is a 404 before any query
    # (PostgreSQL refuses a NUL from "/exports/%00/" outright).
    path("exports/<slug:token>/", views.export_job, name="export_job"),
    path("exports/<slug:token>/<str:file_name>", views.export_download, name="export_download"),
]
