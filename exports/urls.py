from django.urls import path

from . import views

urlpatterns = [
    # Whoever has the token (in the address the export request redirected to) may follow and download it.
    path("exports/<str:token>/", views.export_job, name="export_job"),
    path("exports/<str:token>/<str:file_name>", views.export_download, name="export_download"),
]
