from django.contrib import admin
from django.urls import include, path

from articles.admin_index import index_progress_view

from . import admin_accounts  # noqa: F401 (registers the account admins)
from .signin import AdminSignInForm

admin.site.site_header = "Newsdesk editors"
admin.site.site_title = "Newsdesk"
admin.site.login_form = AdminSignInForm  # warns before the attempt that locks the account

urlpatterns = [
    path("admin/search-index/", index_progress_view, name="index_progress"),
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
    path("", include("savedviews.urls")),
    path("", include("exports.urls")),
]
