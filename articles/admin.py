"""The editors' admin: articles, actors and topics, searchable and filterable."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from .ingest import derive_headline, fingerprint_text, split_paragraphs
from .models import Actor, Article, Topic
from .services import article_extract


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["headline", "date", "body", "source", "actors", "topics"]

    def clean_body(self):
        """Normalise paragraphs as ingest does, and refuse text already in the archive."""
        body = "\n\n".join(split_paragraphs(self.cleaned_data["body"]))
        if not body:
            raise forms.ValidationError("The article has no text.")
        duplicate = Article.objects.filter(fingerprint=fingerprint_text(body)).exclude(pk=self.instance.pk).first()
        if duplicate:
            raise forms.ValidationError(
                format_html(
                    'The same text is already <a href="{}">article {}</a> ({}).',
                    reverse("admin:articles_article_change", args=[duplicate.pk]),
                    duplicate.pk,
                    duplicate.headline,
                )
            )
        return body


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ["headline", "date", "source", "updated"]
    list_filter = ["date", "actors__kind", "topics"]
    search_fields = ["headline", "body", "source"]
    date_hierarchy = "date"
    filter_horizontal = ["actors", "topics"]
    readonly_fields = ["fingerprint", "created", "updated", "view_on_site_link"]
    fieldsets = [
        (None, {"fields": ["headline", "date", "body", "source"]}),
        ("Actors and topics", {
            "fields": ["actors", "topics"],
            "description": "Left empty on a new article, both are filled in by extraction when you save.",
        }),
        ("Record", {"fields": ["fingerprint", "created", "updated", "view_on_site_link"], "classes": ["collapse"]}),
    ]

    @admin.display(description="Public page")
    def view_on_site_link(self, article):
        return format_html('<a href="{0}">{0}</a>', article.get_absolute_url()) if article.pk else "—"

    def save_model(self, request, obj, form, change):
        obj.fingerprint = fingerprint_text(obj.body)
        if not obj.headline.strip():
            obj.headline = derive_headline(obj.body)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if not change and not form.cleaned_data["actors"] and not form.cleaned_data["topics"]:
            article_extract(article)


class ArticleCountMixin:
    """Show, and sort by, how many articles an actor or topic has."""

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="Articles", ordering="article_count")
    def article_count(self, label):
        return label.article_count


@admin.register(Actor)
class ActorAdmin(ArticleCountMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "slug", "article_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "aliases"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(ArticleCountMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "slug", "description", "keywords"]
    prepopulated_fields = {"slug": ["name"]}
