from django.contrib import admin
from django.urls import include, path

from . import admin_accounts  # noqa: F401 (registers the account admins)
from .signin import AdminSignInForm

admin.site.site_header = "Newsdesk editors"
admin.site.site_title = "Newsdesk"
admin.site.login_form = AdminSignInForm  # warns before the attempt that locks the account

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
    path("", include("savedviews.urls")),
    path("", include("exports.urls")),
]
