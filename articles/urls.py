from django.urls import path

from . import views

urlpatterns = [
    path("", views.search, name="home"),
    path("search/", views.search, name="search"),
    path("articles/<int:pk>/<slug:slug>/", views.article_detail, name="article_detail"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor_detail"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("compare/", views.compare, name="compare"),
]
