"""One pasted article: read as ingest reads a file, previewed, stored with the editor's choices.

The admin's add page (articles.admin_paste) is a thin view over these forms and functions:

    PasteForm(text=" date 2024-04-08 Officials met ...", date="")  -> .parsed, date filled from the header
    paste_preview(parsed)   -> PastePreview(actors=[...], topics=[...], similar=<Article 7> or None)
    article_paste_store(parsed=..., choices=...)  -> IngestResult, as `manage.py ingest` gives
"""

import dataclasses
import datetime

from django import forms
from django.urls import reverse
from django.utils.html import format_html

from .curation import article_labels_decide
from .extraction import ExtractedActor
from .history import history_context
from .ingest import ArticleRefused, ParsedArticle, parse_article_text
from .models import ActorKind, Article, NeverActor, Topic
from .prepare import PreparedArticle, article_prepare, article_text, text_extraction
from .resolve import actor_registry, actor_resolve
from .services import IngestResult, article_store, topic_rules
from .similarity import text_signature
from .versions import similar_original

# ingest's refusal of text that does not start with a date header; then the date field gives the date.
NO_HEADER = "no date header"
ACTOR_GROUPS = [
    (ActorKind.PERSON, "People"), (ActorKind.ORGANISATION, "Organisations"), (ActorKind.COUNTRY, "Countries")
]
ADD_ACTOR_ROWS = 3


def actor_key(kind: str, name: str) -> str:
    """Name an extracted actor in a form: ("person", "Xi Jinping") -> "person:Xi Jinping"."""
    return f"{kind}:{name}"


def duplicate_error(article: Article) -> str:
    """Say that the text is already stored, linking to the article."""
    return format_html(
        'The same text is already <a href="{}">article {}</a> ({}, {}): nothing was saved.',
        reverse("admin:articles_article_change", args=[article.pk]),
        article.pk,
        article.date.isoformat(),
        article.headline,
    )


class PasteForm(forms.Form):
    """The pasted text and its date: valid when ingest would store it; .parsed is what it read."""

    required_css_class = "required"  # the admin's bold label
    text = forms.CharField(
        label="Article text",
        widget=forms.Textarea(attrs={"rows": 18, "cols": 80, "autofocus": True}),
        help_text="Paste the article as a file holds it, with or without its date header "
        "(“ date 2024-04-08 ” before the lead). Separate paragraphs with a blank line; "
        "the headline is the lead's first sentence.",
        error_messages={"required": "Paste the article's text."},
    )
    date = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="YYYY-MM-DD. Left empty, Preview fills it from the text's date header.",
        error_messages={"invalid": "Enter the date as YYYY-MM-DD, e.g. 2024-04-08."},
    )
    source = forms.CharField(
        required=False,
        max_length=255,
        help_text="Where the text comes from (an agency, a file name); optional.",
    )

    def __init__(self, data=None, **kwargs):
        # " date 2024-04-08 ..." pasted with the date field empty: show the header's date in the field.
        self.date_from_header = False
        if data is not None and not data.get("date", "").strip():
            header = _header_date(data.get("text", ""))
            if header:
                data = data.copy()
                data["date"] = header.isoformat()
                self.date_from_header = True
        super().__init__(data, **kwargs)
        self.parsed: ParsedArticle | None = None

    def clean(self):
        cleaned = super().clean()
        text, date = cleaned.get("text"), cleaned.get("date")
        if not text or "date" in self.errors:
            return cleaned
        try:
            parsed = parse_article_text(text)
        except ArticleRefused as refusal:
            if not refusal.reason.startswith(NO_HEADER):
                self.add_error("text", f"This text cannot be stored: {refusal.reason}.")
                return cleaned
            if date is None:
                self.add_error("date", "Give the article's date: the text has no date header.")
                return cleaned
            parsed = self._parse_with_date(text, date)
        else:
            if date and date != parsed.date:
                self.add_error(
                    "date",
                    f"The text's date header says {parsed.date.isoformat()} but this field says {date.isoformat()}: "
                    "correct one of them, or empty this field to take the header's date.",
                )
                return cleaned
        if parsed is None:
            return cleaned
        duplicate = Article.objects.filter(fingerprint=parsed.fingerprint).first()
        if duplicate:
            self.add_error("text", duplicate_error(duplicate))
            return cleaned
        self.parsed = parsed
        return cleaned

    def _parse_with_date(self, text: str, date: datetime.date) -> ParsedArticle | None:
        """Read text without a header as the file " date <date>" + text would be read."""
        try:
            return parse_article_text(f" date {date.isoformat()}\n{text}")
        except ArticleRefused as refusal:
            self.add_error("text", f"This text cannot be stored: {refusal.reason}.")
            return None


def _header_date(text: str) -> datetime.date | None:
    """The date of the text's header, if it has a readable one."""
    try:
        return parse_article_text(text).date if text.strip() else None
    except ArticleRefused:
        return None


@dataclasses.dataclass(frozen=True)
class PastePreview:
    parsed: ParsedArticle
    actors: list[ExtractedActor]  # what extraction finds, named as the registry names them
    topics: list[Topic]
    similar: Article | None  # the original of the group this text is a similar version of

    @property
    def paragraphs(self) -> int:
        return len(self.parsed.body.split("\n\n"))

    @property
    def actor_keys(self) -> list[str]:
        return [actor_key(actor.kind, actor.name) for actor in self.actors]

    @property
    def topic_slugs(self) -> list[str]:
        return [topic.slug for topic in self.topics]


def paste_preview(parsed: ParsedArticle) -> PastePreview:
    """What storing the text would assign (before any editor's choice), and the article it nearly duplicates."""
    extraction = text_extraction(article_text(parsed.headline, parsed.body), actor_registry(), topic_rules())
    original = similar_original(text_signature(parsed.body))
    return PastePreview(
        parsed=parsed,
        actors=list(extraction.actors),
        topics=list(Topic.objects.filter(slug__in=extraction.topic_slugs)),
        similar=Article.objects.filter(pk=original).first() if original else None,
    )


class MultipleValueField(forms.MultipleChoiceField):
    """A list of strings echoed back in hidden inputs: any value is valid."""

    widget = forms.MultipleHiddenInput

    def valid_value(self, value):
        return True


class LabelsForm(forms.Form):
    """The editor's choices on a preview: which extracted actors and topics to keep, which topics to add.

    The hidden offered_* fields hold what the last preview showed. Previewing again keeps the
    editor's unticks and ticks what extraction newly finds; saving needs the preview to be current.
    """

    actors = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, label="Actors found")
    topics = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, label="Topics found")
    add_topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label="Add topics"
    )
    offered_actors = MultipleValueField(required=False)
    offered_topics = MultipleValueField(required=False)
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, preview: PastePreview, data):
        self.preview = preview
        self.unchanged = (
            data.get("previewed") == preview.parsed.fingerprint
            and set(data.getlist("offered_actors")) == set(preview.actor_keys)
            and set(data.getlist("offered_topics")) == set(preview.topic_slugs)
        )
        data = data.copy()
        for field, offered in (("actors", preview.actor_keys), ("topics", preview.topic_slugs)):
            seen = set(data.getlist(f"offered_{field}")) if data.get("previewed") else set()
            kept = set(data.getlist(field))
            data.setlist(field, [value for value in offered if value in kept or value not in seen])  # new: ticked
            data.setlist(f"offered_{field}", offered)
        data["previewed"] = preview.parsed.fingerprint
        super().__init__(data)
        self.fields["actors"].choices = [(actor_key(a.kind, a.name), a.name) for a in preview.actors]
        self.fields["topics"].choices = [(topic.slug, topic.name) for topic in preview.topics]
        self.fields["add_topics"].queryset = Topic.objects.exclude(slug__in=preview.topic_slugs)

    def actor_groups(self) -> list[tuple[str, list]]:
        """The actor checkboxes under People, Organisations, Countries (groups with none left out)."""
        boxes = list(self["actors"])
        groups = []
        for kind, heading in ACTOR_GROUPS:
            members = [box for box in boxes if box.data["value"].startswith(f"{kind}:")]
            if members:
                groups.append((heading, members))
        return groups


class AddActorForm(forms.Form):
    """One actor the editor adds by name; a row left empty adds nothing."""

    name = forms.CharField(required=False, max_length=200)
    kind = forms.ChoiceField(required=False, choices=[("", "—")] + ActorKind.choices)

    def clean(self):
        cleaned = super().clean()
        name, kind = " ".join(cleaned.get("name", "").split()), cleaned.get("kind")
        if name and not kind:
            self.add_error("kind", f"Choose whether {name} is a person, an organisation or a country.")
        elif kind and not name:
            self.add_error("name", "Give the actor's name.")
        elif name and NeverActor.objects.filter(name__iexact=name).exists():
            self.add_error("name", f"“{name}” is ruled out as an actor (see Never-an-actor names).")
        cleaned["name"] = name
        return cleaned


AddActorFormSet = forms.formset_factory(AddActorForm, extra=ADD_ACTOR_ROWS, max_num=50, validate_max=True)


def add_actor_formset(data=None, *, prefix: str = "add-actor"):
    """The rows for added actors: bound once posted, else empty rows."""
    if data is not None and f"{prefix}-TOTAL_FORMS" in data:
        return AddActorFormSet(data, prefix=prefix)
    return AddActorFormSet(prefix=prefix)


def add_actor_rows_again(formset):
    """The same added actors in fresh rows, plus empty ones, for the next preview."""
    filled = [{"name": row["name"], "kind": row["kind"]} for row in formset.cleaned_data if row.get("name")]
    return AddActorFormSet(initial=filled, prefix=formset.prefix)


@dataclasses.dataclass(frozen=True)
class PasteChoices:
    drop_actors: frozenset[str]  # actor_key()s of extracted actors the editor unticked
    drop_topics: frozenset[str]  # slugs of extracted topics the editor unticked
    add_actors: tuple[tuple[str, str], ...]  # (name, kind)
    add_topics: tuple[Topic, ...]


def paste_choices(labels: LabelsForm, actor_rows) -> PasteChoices:
    """Read the editor's choices from the valid forms of a current preview."""
    data = labels.cleaned_data
    return PasteChoices(
        drop_actors=frozenset(labels.preview.actor_keys) - set(data["actors"]),
        drop_topics=frozenset(labels.preview.topic_slugs) - set(data["topics"]),
        add_actors=tuple(dict.fromkeys(
            (row["name"], row["kind"]) for row in actor_rows.cleaned_data if row.get("name")
        )),
        add_topics=tuple(data["add_topics"]),
    )


def article_paste_store(*, parsed: ParsedArticle, source: str, choices: PasteChoices, user=None) -> IngestResult:
    """Store the text as ingest does, then the editor's choices as decisions re-extraction keeps.

    Extraction runs first, outside the transaction (articles.prepare); the rest is one transaction.
    """
    prepared = article_prepare(parsed, actor_registry(), topic_rules())
    with history_context(user=user, reason="pasted in the admin"):
        return article_store(prepared, name=source or "pasted text", source=source,
                             on_stored=lambda result: _choices_apply(result.article, prepared, choices))


def _choices_apply(article: Article, prepared: PreparedArticle, choices: PasteChoices) -> None:
    """Amend what extraction gave the new article with the editor's choices (inside the store's transaction)."""
    actors, topics = set(article.actors.all()), set(article.topics.all())
    # The extraction just stored, so actor_resolve returns the actors it stored.
    dropped = {actor_resolve(found) for found in prepared.extraction.actors
               if actor_key(found.kind, found.name) in choices.drop_actors}
    added = {
        actor_resolve(ExtractedActor(name=name, kind=kind, aliases=(), mentions=0)) for name, kind in choices.add_actors
    }
    added_topics = set(choices.add_topics)
    article.actors.set((actors - dropped) | added)
    article.topics.set({topic for topic in topics if topic.slug not in choices.drop_topics} | added_topics)
    # What the editor added by name is a decision even when extraction found it too.
    article_labels_decide(article=article, actors_before=actors - added, topics_before=topics - added_topics)
