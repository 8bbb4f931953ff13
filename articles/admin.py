"""The editors' admin: articles, actors and topics, searchable and filterable, with curation actions."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from .curation import actor_merge, actor_rule_out, article_labels_decide, topic_merge
from .ingest import derive_headline, fingerprint_text, split_paragraphs
from .models import (
    Actor,
    ActorRedirect,
    Article,
    ArticleActorDecision,
    ArticleTopicDecision,
    NeverActor,
    Topic,
    TopicRedirect,
)
from .services import article_extract
from .versions import article_versions_refresh


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


class DecisionInline(admin.TabularInline):
    extra = 0
    can_delete = True
    fields = ["included", "decided"]
    readonly_fields = ["included", "decided"]
    verbose_name_plural = "Editor decisions (delete one to let extraction decide again)"

    def has_add_permission(self, request, obj=None):
        return False  # decisions come from editing the actors and topics above


class ActorDecisionInline(DecisionInline):
    model = ArticleActorDecision
    fields = ["actor", *DecisionInline.fields]
    readonly_fields = ["actor", *DecisionInline.readonly_fields]
    verbose_name_plural = "Actor decisions (delete one to let extraction decide again)"


class TopicDecisionInline(DecisionInline):
    model = ArticleTopicDecision
    fields = ["topic", *DecisionInline.fields]
    readonly_fields = ["topic", *DecisionInline.readonly_fields]
    verbose_name_plural = "Topic decisions (delete one to let extraction decide again)"


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ["headline", "date", "source", "updated"]
    list_filter = ["date", "actors__kind", "topics"]
    search_fields = ["headline", "body", "source"]
    date_hierarchy = "date"
    filter_horizontal = ["actors", "topics"]
    readonly_fields = ["fingerprint", "created", "updated", "view_on_site_link", "version_of"]
    inlines = [ActorDecisionInline, TopicDecisionInline]
    fieldsets = [
        (None, {"fields": ["headline", "date", "body", "source"]}),
        ("Actors and topics", {
            "fields": ["actors", "topics"],
            "description": "On a new article, extraction adds what it finds to anything you choose here. "
            "Whatever you add or remove is remembered: re-extraction keeps your choices.",
        }),
        ("Record", {"fields": ["fingerprint", "created", "updated", "view_on_site_link", "version_of"], "classes": ["collapse"]}),
    ]

    @admin.display(description="Public page")
    def view_on_site_link(self, article):
        return format_html('<a href="{0}">{0}</a>', article.get_absolute_url()) if article.pk else "—"

    def save_model(self, request, obj, form, change):
        obj.fingerprint = fingerprint_text(obj.body)
        if not obj.headline.strip():
            obj.headline = derive_headline(obj.body)
        super().save_model(request, obj, form, change)
        article_versions_refresh(article=obj)  # a similar version of another article, if it is one

    def save_related(self, request, form, formsets, change):
        article = form.instance
        actors_before, topics_before = set(article.actors.all()), set(article.topics.all())
        super().save_related(request, form, formsets, change)
        article_labels_decide(article=article, actors_before=actors_before, topics_before=topics_before)
        if not change:
            article_extract(article)


class ArticleCountMixin:
    """Show, and sort by, how many articles an actor or topic has."""

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="Articles", ordering="article_count")
    def article_count(self, label):
        return label.article_count


def merge_action(request, queryset, merge, action: str):
    """Ask which of the selected actors/topics to keep, then merge the others into it."""
    if queryset.count() < 2:
        messages.error(request, "Select at least two to merge.")
        return None
    if "apply" in request.POST:
        survivor = queryset.filter(pk=request.POST.get("survivor")).first()
        if survivor is None:
            messages.error(request, "Choose which one to keep.")
            return None
        merged_names = [obj.name for obj in queryset.exclude(pk=survivor.pk)]
        for obj in queryset.exclude(pk=survivor.pk):
            merge(survivor=survivor, merged=obj)
        messages.success(request, f"Merged {', '.join(merged_names)} into {survivor.name}.")
        return None
    context = {
        **admin.site.each_context(request),
        "opts": queryset.model._meta,
        "queryset": queryset,
        "suggested": queryset.order_by("-article_count").first(),
        "action": action,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        "title": "Merge",
    }
    return TemplateResponse(request, "admin/articles/merge.html", context)


class RedirectInline(admin.TabularInline):
    extra = 0
    fields = ["old_slug"]
    readonly_fields = ["old_slug"]
    verbose_name_plural = "Old slugs (merged in; their URLs redirect here)"

    def has_add_permission(self, request, obj=None):
        return False


class ActorRedirectInline(RedirectInline):
    model = ActorRedirect


class TopicRedirectInline(RedirectInline):
    model = TopicRedirect


@admin.register(Actor)
class ActorAdmin(ArticleCountMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "slug", "affiliation", "article_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["affiliation"]
    fields = ["name", "kind", "slug", "aliases", "description", "affiliation"]
    inlines = [ActorRedirectInline]
    actions = ["merge_actors", "rule_out_actors"]

    @admin.action(description="Merge selected actors into one", permissions=["delete"])
    def merge_actors(self, request, queryset):
        return merge_action(request, queryset, actor_merge, "merge_actors")

    @admin.action(description="Never an actor: remove from all articles and stop extracting", permissions=["delete"])
    def rule_out_actors(self, request, queryset):
        names = [actor_rule_out(actor=actor) for actor in queryset]
        messages.success(request, f"Ruled out {', '.join(names)}: removed, and extraction will not produce them again.")


@admin.register(Topic)
class TopicAdmin(ArticleCountMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "slug", "description", "keywords"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TopicRedirectInline]
    actions = ["merge_topics"]

    @admin.action(description="Merge selected topics into one", permissions=["delete"])
    def merge_topics(self, request, queryset):
        return merge_action(request, queryset, topic_merge, "merge_topics")


@admin.register(NeverActor)
class NeverActorAdmin(admin.ModelAdmin):
    list_display = ["name", "created"]
    search_fields = ["name"]
