"""The editors' admin: articles (also uploaded in bulk), actors and topics with curation actions, the ingest log."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.timezone import localtime

from .admin_curation import NeverActorAdmin, merge_action, rule_out_action
from .admin_deletion import LabelDeletionMixin, ReadableDeletionMixin
from .admin_history import ArticleHistoryAdmin, EditorHistoryAdmin
from .admin_index import IndexProgressMixin
from .admin_paste import article_paste_view
from .batches import BatchInterrupted, batch_state, ingest_batch_run, ingest_batch_summary, upload_interrupted
from .conflicts import EditConflict, edit_conflict, record_version
from .curation import actor_merge, article_labels_decide, topic_merge
from .ingest import derive_headline, fingerprint_text, split_paragraphs, without_control_characters
from .models import (
    Actor,
    ActorRedirect,
    Article,
    ArticleActorDecision,
    ArticleTopicDecision,
    IngestBatch,
    IngestFileResult,
    NeverActor,
    Topic,
    TopicRedirect,
)
from .redirects import slug_taken_by_redirect
from .services import article_extract
from .upload import UploadForm, UploadRefused, upload_directory, upload_limits, upload_unpack
from .versions import article_versions_refresh

RESULTS_SHOWN = 500  # per batch on its page; the list of ingested files has them all


class VersionedForm(forms.ModelForm):
    """A change form that carries the version it was opened at (articles.conflicts): saving over a
    newer one is refused with what changed, by whom and when; saving that form again overwrites."""

    edited_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["edited_version"] = record_version(self._meta.model, self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            model = self._meta.model
            # Hold the row until this save commits, so two saves cannot both pass the check (PostgreSQL;
            # SQLite's write transactions run one at a time anyway).
            model.objects.select_for_update().filter(pk=self.instance.pk).exists()
            conflict = edit_conflict(model, self.instance.pk, seen_version=cleaned.get("edited_version") or 0)
            if conflict:
                self._offer_overwrite(conflict.version)
                raise forms.ValidationError(conflict_message(conflict, self.instance))
        return cleaned

    def _offer_overwrite(self, version: int) -> None:
        """Carry the current version in the form shown again: saving it once more is a deliberate overwrite."""
        self.data = self.data.copy()
        self.data[self.add_prefix("edited_version")] = str(version)


class ArticleForm(VersionedForm):
    class Meta:
        model = Article
        fields = ["headline", "date", "body", "source", "actors", "topics"]

    def clean_headline(self):
        return " ".join(without_control_characters(self.cleaned_data["headline"]).split())

    def clean_source(self):
        return " ".join(without_control_characters(self.cleaned_data["source"]).split())

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


class LabelAutocomplete(AutocompleteSelectMultiple):
    """Actors or topics typed and looked up, without Select2's "clear all" cross: Select2 puts it inside
    its list of choices (invalid list markup), and each choice keeps its own ×."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        return {**super().build_attrs(base_attrs, extra_attrs), "data-allow-clear": "false"}


def conflict_message(conflict: EditConflict, instance):
    """Who changed the article, actor or topic since the form was opened, when, and which fields; what to do now."""
    meta = type(instance)._meta
    fields = ", ".join(str(meta.get_field(name).verbose_name) for name in conflict.fields) or "nothing visible"
    return format_html(
        "Not saved: {} changed this {} at {} since you opened this form (changed: {}). "
        'Your edits are still below. Compare with <a href="{}">the history</a>, or <a href="{}">reload the form</a> '
        "to start from their version; saving again replaces their version with yours.",
        " and ".join(conflict.editors),
        meta.verbose_name,
        localtime(conflict.changed_at).strftime("%Y-%m-%d %H:%M:%S"),
        fields,
        reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[instance.pk]),
        reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[instance.pk]),
    )


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
class ArticleAdmin(ReadableDeletionMixin, ArticleHistoryAdmin):
    form = ArticleForm
    list_display = ["headline", "date", "source", "updated"]
    list_filter = ["date", "actors__kind", "topics"]
    search_fields = ["headline", "body", "source"]
    date_hierarchy = "date"
    # Typed and looked up (ActorAdmin/TopicAdmin search_fields): the form stays small with thousands of actors.
    autocomplete_fields = ["actors", "topics"]
    readonly_fields = ["fingerprint", "created", "updated", "view_on_site_link", "version_of"]
    inlines = [ActorDecisionInline, TopicDecisionInline]
    fieldsets = [
        (None, {"fields": ["headline", "date", "body", "source", "edited_version"]}),
        ("Actors and topics", {
            "fields": ["actors", "topics"],
            "description": "On a new article, extraction adds what it finds to anything you choose here. "
            "Whatever you add or remove is remembered: re-extraction keeps your choices.",
        }),
        ("Record", {"fields": ["fingerprint", "created", "updated", "view_on_site_link", "version_of"], "classes": ["collapse"]}),
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.autocomplete_fields:
            kwargs.setdefault("widget", LabelAutocomplete(db_field, self.admin_site, using=kwargs.get("using")))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

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
        if not change or {"headline", "body"} & set(form.changed_data):
            article_extract(article)  # new or edited text: extract again, keeping the decisions just recorded

    def add_view(self, request, form_url="", extra_context=None):
        """Adding is pasting one article, previewed before it is saved (articles.admin_paste)."""
        return article_paste_view(self, request)

    def get_urls(self):
        upload = path("upload/", self.admin_site.admin_view(self.upload_view), name="articles_article_upload")
        return [upload, *super().get_urls()]

    def upload_view(self, request):
        """Ingest uploaded .txt files (or a .zip of them) as `manage.py ingest` does; show each file's result."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form, batch, interrupted = UploadForm(), None, False
        if request.method == "POST":
            files = request.FILES  # read first: UploadLimitHandler notes a refusal while reading
            form = UploadForm(request.POST, files, refusal=getattr(request, "upload_refusal", ""))
        if form.is_bound and form.is_valid():
            with upload_directory() as directory:
                try:
                    batch_files = upload_unpack(uploads=form.cleaned_data["files"], directory=directory)
                except UploadRefused as refusal:
                    form.add_error("files", refusal.reason)
                else:
                    try:
                        batch = ingest_batch_run(
                            files=batch_files,
                            origin=IngestBatch.Origin.UPLOAD,
                            user=request.user,
                            max_file_bytes=settings.UPLOAD_MAX_FILE_BYTES,
                        )
                    except BatchInterrupted as stop:
                        form.add_error("files", upload_interrupted(stop, len(batch_files)))
                        batch, interrupted = stop.batch, True
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Upload article files",
            "form": form,
            "limits": upload_limits(),
            "interrupted": interrupted,
            **(batch_context(request, batch) if batch else {}),
        }
        return TemplateResponse(request, "admin/articles/article/upload.html", context)


def batch_context(request, batch: IngestBatch) -> dict:
    """What the per-file result list needs, on the upload page and on a batch's page in the log."""
    return {
        "batch": batch,
        "summary": ingest_batch_summary(batch),
        "results": batch.results.select_related("article")[:RESULTS_SHOWN],
        "more_results": max(batch.results.count() - RESULTS_SHOWN, 0),
        "can_view_log": request.user.has_perm("articles.view_ingestbatch"),
    }


class ArticleCountMixin:
    """Show, and sort by, how many articles an actor or topic has."""

    ordering = ["name"]  # a counted (GROUP BY) query drops Meta.ordering: the article form's lookups page by name

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="Articles", ordering="article_count")
    def article_count(self, label):
        return label.article_count


class LabelForm(VersionedForm):
    """An actor's or topic's form: a slug that is another label's old address stays that label's."""

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        other = slug_taken_by_redirect(self._meta.model, slug, self.instance.pk)
        if other is not None:
            raise forms.ValidationError(
                f"“{slug}” is the old address of {other}: bookmarks of it lead there. Choose another slug."
            )
        return slug


class RedirectInline(admin.TabularInline):
    extra = 0
    fields = ["old_slug"]
    readonly_fields = ["old_slug"]
    verbose_name_plural = "Old slugs (merged in or renamed; their URLs redirect here)"

    def has_add_permission(self, request, obj=None):
        return False


class ActorRedirectInline(RedirectInline):
    model = ActorRedirect


class TopicRedirectInline(RedirectInline):
    model = TopicRedirect


@admin.register(Actor)
class ActorAdmin(IndexProgressMixin, LabelDeletionMixin, ArticleCountMixin, EditorHistoryAdmin):
    form = LabelForm
    list_display = ["name", "kind", "slug", "affiliation", "article_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["affiliation"]
    fields = ["name", "kind", "slug", "aliases", "description", "affiliation", "edited_version"]
    inlines = [ActorRedirectInline]
    actions = ["merge_actors", "rule_out_actors"]

    @admin.action(description="Merge selected actors into one", permissions=["delete"])
    def merge_actors(self, request, queryset):
        return merge_action(request, queryset, actor_merge, "merge_actors")

    @admin.action(description="Never an actor: remove from all articles and stop extracting", permissions=["delete"])
    def rule_out_actors(self, request, queryset):
        return rule_out_action(request, queryset)


@admin.register(Topic)
class TopicAdmin(IndexProgressMixin, LabelDeletionMixin, ArticleCountMixin, EditorHistoryAdmin):
    form = LabelForm
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "slug", "description", "keywords"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TopicRedirectInline]
    actions = ["merge_topics"]

    @admin.action(description="Merge selected topics into one", permissions=["delete"])
    def merge_topics(self, request, queryset):
        return merge_action(request, queryset, topic_merge, "merge_topics")


admin.site.register(NeverActor, NeverActorAdmin)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record written by the code alone: nobody adds, changes or deletes it in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BatchFilesFilter(admin.SimpleListFilter):
    """Batches with at least one file of a status (?files=refused)."""

    title = "files"
    parameter_name = "files"

    def lookups(self, request, model_admin):
        return [(status.value, f"with {status.label.lower()} files") for status in IngestFileResult.Status]

    def queryset(self, request, queryset):
        if self.value() not in IngestFileResult.Status.values:
            return queryset
        return queryset.filter(Exists(IngestFileResult.objects.filter(batch=OuterRef("pk"), status=self.value())))


@admin.register(IngestBatch)
class IngestBatchAdmin(ReadOnlyAdmin):
    list_display = ["started", "run_by", "origin", "state", "files", "ingested", "duplicate", "refused"]
    list_filter = ["origin", BatchFilesFilter]
    search_fields = ["run_by"]
    date_hierarchy = "started"
    fields = ["started", "finished", "state", "origin", "run_by", "user", "files_total", "ingested", "duplicate", "refused",
              "index_note"]
    readonly_fields = ["state"]
    change_form_template = "admin/articles/ingestbatch/change_form.html"

    @admin.display(description="State")
    def state(self, batch):
        """Finished, running, or interrupted (the process that ran it was killed before it finished)."""
        return batch_state(batch)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(batch_context(request, obj) if obj else {})
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(IngestFileResult)
class IngestFileResultAdmin(ReadOnlyAdmin):
    list_display = ["name", "status", "reason", "article_link", "batch_link"]
    list_filter = ["status", "batch__origin", "batch__started"]
    search_fields = ["name", "reason"]
    list_select_related = ["article", "batch"]
    fields = ["batch", "name", "status", "reason", "article"]

    @admin.display(description="Article")
    def article_link(self, result):
        if not result.article:
            return "—"
        url = reverse("admin:articles_article_change", args=[result.article.pk])
        return format_html('<a href="{}">article {}: {}</a>', url, result.article.pk, result.article.headline)

    @admin.display(description="Batch", ordering="batch__started")
    def batch_link(self, result):
        return format_html('<a href="{}">{}</a>', reverse("admin:articles_ingestbatch_change", args=[result.batch_id]), result.batch)
