from django.contrib.auth import views as auth_views
from django.urls import path

from newsdesk.signin import SignInForm

from . import views

urlpatterns = [
    # Researchers sign in on a page in the site's own look (LOGIN_URL); the admin keeps its own.
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="savedviews/login.html", authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="search"), name="logout"),
    path("accounts/password/", views.PasswordChange.as_view(), name="password_change"),
    path("saved/", views.saved_views, name="saved_views"),
    path("saved/new/", views.saved_view_new, name="saved_view_new"),
    path("saved/<int:pk>/open/", views.saved_view_open_view, name="saved_view_open"),
    path("saved/<int:pk>/edit/", views.saved_view_edit, name="saved_view_edit"),
    path("saved/<int:pk>/delete/", views.saved_view_delete_view, name="saved_view_delete"),
    path("saved/<int:pk>/share/", views.saved_view_share_view, {"shared": True}, name="saved_view_share"),
    path("saved/<int:pk>/unshare/", views.saved_view_share_view, {"shared": False}, name="saved_view_unshare"),
    path("saved/<int:pk>/feed-token/", views.saved_view_feed_token_view, name="saved_view_feed_token"),
    # Without a session: the token in the address is the key.
    # Tokens are secrets.token_urlsafe(): the slug alphabet. Anything else is a 404 before any query
    # (PostgreSQL refuses a NUL from "/shared/%00/" outright).
    path("saved/feed/<slug:token>/", views.saved_view_feed, name="saved_view_feed"),
    path("shared/<slug:token>/", views.saved_view_shared, name="saved_view_shared"),
]
