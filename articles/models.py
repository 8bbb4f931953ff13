"""Articles, the actors they name and the topics they are filed under; the log of ingest runs."""

import functools
import re
import unicodedata

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from .history import LabelledHistoricalRecords


def article_path(pk: int, slug: str) -> str:
    """reverse("article_detail", args=[pk, slug]) without resolving the pattern each time: result lists need one per row.

    # article_path(41, "gas-deal") -> "/articles/41/gas-deal/"
    """
    prefix = article_path_prefix()
    return f"{prefix}{pk}/{slug}/" if prefix is not None else reverse("article_detail", args=[pk, slug])


def article_path_prefix() -> str | None:
    """"/articles/", what an article's path starts with (None if the pattern no longer ends in <pk>/<slug>/)."""
    return _article_path_prefix(get_script_prefix())


@functools.lru_cache(maxsize=8)
def _article_path_prefix(script_prefix: str) -> str | None:
    sample = reverse("article_detail", args=[1, "x"])
    return sample.removesuffix("1/x/") if sample.endswith("/1/x/") else None


def _slug_tables() -> tuple[bytes, bytes]:
    """For bytes.translate: what slugify's patterns do to each ASCII character, read off the patterns themselves.

    Dropped (r"[^\\w\\s-]" -> ""): in the second table; a gap (r"[-\\s]+" -> "-"): "-" in the first.
    """
    gaps, dropped = bytearray(range(256)), bytearray()
    for code in range(128):
        character = chr(code)
        if re.fullmatch(r"[^\w\s-]", character):
            dropped.append(code)
        elif re.fullmatch(r"[-\s]", character):
            gaps[code] = ord("-")
    return bytes(gaps), bytes(dropped)


_SLUG_GAPS, _SLUG_DROPPED = _slug_tables()


def headline_slug(headline: str) -> str:
    """The address part of an article: "Talks resume in Geneva" -> "talks-resume-in-geneva".

    What slugify(headline) gives, without regular expressions (exports and result lists call
    this per row): its text is ASCII once decomposed, so one table drops and turns into dashes
    what its two patterns do, and a run of dashes becomes one. NFKD leaves ASCII as it is, and
    turns "…" (which ends every headline derived from a long lead) into "...", which the table
    drops: taken out first, most headlines need no decomposition.
    """
    if not headline.isascii():
        headline = headline.replace("…", "")
    if headline.isascii():
        text = headline.encode("ascii")
    else:
        text = unicodedata.normalize("NFKD", headline).encode("ascii", "ignore")
    slug = b"-".join(filter(None, text.lower().translate(_SLUG_GAPS, _SLUG_DROPPED).split(b"-"))).strip(b"-_")
    return slug[:80].strip(b"-").decode("ascii") or "article"


class ActorKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"
    COUNTRY = "country", "Country"


class Actor(models.Model):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ActorKind.choices)
    slug = models.SlugField(max_length=200, unique=True)
    aliases = models.TextField(
        blank=True, help_text="Other names for this actor, one per line (e.g. UNSC, Putin)."
    )
    description = models.TextField(blank=True, help_text="A line or two for researchers.")
    affiliation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text="A person's country or organisation.",
    )
    history = LabelledHistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["name"]
        indexes = [
            # Ingest looks actors up by name in any case (articles.resolve: UPPER(name) = UPPER(%s), what
            # iexact means): without it each look-up read the whole table (1.7 ms at 30k articles, growing).
            models.Index(Upper("name"), name="actor_name_upper"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("actor_detail", args=[self.slug])

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class Topic(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    keywords = models.TextField(
        blank=True,
        help_text="Words or phrases that assign this topic, one per line; "
        "end a word with * to match any ending (sanction*).",
    )
    history = LabelledHistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("topic_detail", args=[self.slug])

    @property
    def keyword_list(self) -> list[str]:
        return [line.strip().lower() for line in self.keywords.splitlines() if line.strip()]


EXPORT_COLUMNS_INDEX = "article_export_columns"


class Article(models.Model):
    headline = models.CharField(
        max_length=300, blank=True, help_text="Left blank, it is derived from the lead."
    )
    date = models.DateField(db_index=True)
    body = models.TextField(help_text="Paragraphs separated by blank lines; short lines without final punctuation are headings.")
    source = models.CharField(
        max_length=255, blank=True, help_text="The file this article was ingested from."
    )
    fingerprint = models.CharField(max_length=64, unique=True, editable=False)
    actors = models.ManyToManyField(Actor, blank=True, related_name="articles")
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # Near-duplicates (articles.versions): the body's MinHash signature, and the original this
    # article is a similar version of — the first ingested of its group, never itself a version.
    signature = models.BinaryField(blank=True, default=b"", editable=False)
    version_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,  # articles.versions promotes the oldest remaining version
        related_name="versions",
        db_index=False,  # see Meta.indexes
        help_text="Searches show this article's group once, under the original.",
    )
    # Every change, with its actors and topics, who made it and why (articles.history); a deleted
    # article is restored from its last record (articles.restore). The signature is derived from
    # the body, and `updated` changes with every save: neither is worth keeping.
    history = LabelledHistoricalRecords(
        m2m_fields=["actors", "topics"],
        excluded_fields=["signature", "updated"],
        history_change_reason_field=models.TextField(null=True),
    )

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            # Serves "version_of IS NULL ORDER BY date, id" (every search from the database) without
            # a sort, and the lookup of an original's versions; a version_of index alone made SQLite
            # sort every original for each page.
            models.Index(fields=["version_of", "date"], name="article_version_of_date"),
            # The columns an export lists, apart from each row's body (exports.rows names it on SQLite).
            models.Index(fields=["id", "date", "headline", "source"], name=EXPORT_COLUMNS_INDEX),
        ]

    def __str__(self):
        return f"Article {self.pk}: {self.headline}" if self.pk else self.headline

    @property
    def lead(self) -> str:
        """The first paragraph."""
        return self.body.split("\n\n", 1)[0]

    @property
    def slug(self) -> str:
        return headline_slug(self.headline)

    def get_absolute_url(self):
        return article_path(self.pk, self.slug)

    def other_versions(self) -> models.QuerySet:
        """The rest of this article's group of similar versions: the original first, then by ingest."""
        original = self.version_of_id or self.pk
        return (
            Article.objects.filter(models.Q(pk=original) | models.Q(version_of_id=original))
            .exclude(pk=self.pk)
            .order_by(models.F("version_of").asc(nulls_first=True), "created", "id")
        )


class ArticleBand(models.Model):
    """One LSH band key of an article's signature: articles sharing a key are compared as near-duplicates."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bands")
    key = models.BigIntegerField(db_index=True)

    def __str__(self):
        return f"article {self.article_id}: {self.key}"


class IndexQueue(models.Model):
    """An article whose search document must be written or removed; drained by articles.search.indexing."""

    # Not a foreign key: the queue must outlive the article it says to remove.
    article_id = models.BigIntegerField(db_index=True)
    queued = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"article {self.article_id}"


class ActorRedirect(models.Model):
    """The slug of an actor merged into another: its old URLs lead to the survivor."""

    old_slug = models.SlugField(max_length=200, unique=True)
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="redirects")

    def __str__(self):
        return f"{self.old_slug} → {self.actor.slug}"


class TopicRedirect(models.Model):
    """The slug of a topic merged into another: its old URLs lead to the survivor."""

    old_slug = models.SlugField(max_length=100, unique=True)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="redirects")

    def __str__(self):
        return f"{self.old_slug} → {self.topic.slug}"


class NeverActor(models.Model):
    """A name editors ruled out: extraction never produces it again."""

    name = models.CharField(max_length=200, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "never-an-actor name"

    def __str__(self):
        return self.name


class Decision(models.Model):
    """An editor's ruling that a label does (or does not) belong to an article; re-extraction obeys it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="%(class)ss")
    included = models.BooleanField(help_text="Checked: the editor added it; unchecked: the editor removed it.")
    decided = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.label} {'added to' if self.included else 'removed from'} article {self.article_id}"


class ArticleActorDecision(Decision):
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="decisions")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "actor"], name="one_actor_decision_per_article")]

    @property
    def label(self):
        return self.actor


class ArticleTopicDecision(Decision):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="decisions")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "topic"], name="one_topic_decision_per_article")]

    @property
    def label(self):
        return self.topic


class IngestBatch(models.Model):
    """One run of ingest (the command or an upload in the admin): who, when, and its per-file results."""

    class Origin(models.TextChoices):
        COMMAND = "command", "Command line"
        UPLOAD = "upload", "Upload"

    started = models.DateTimeField(default=timezone.now, db_index=True)
    finished = models.DateTimeField(null=True, blank=True, help_text="Empty while running, or if the run broke off.")
    origin = models.CharField(max_length=10, choices=Origin.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="ingest_batches"
    )
    run_by = models.CharField(max_length=150, help_text="The editor's account name, or the system user of the command.")
    ingested = models.PositiveIntegerField(default=0)
    duplicate = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    # Which process runs the batch: one that ends without finishing it was killed (articles.batches.batch_state).
    files_total = models.PositiveIntegerField(null=True, blank=True, help_text="Files given to the batch.")
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    index_note = models.TextField(blank=True, help_text="Why the batch's articles are not searchable yet, if they are not.")

    class Meta:
        ordering = ["-started", "-id"]
        verbose_name_plural = "ingest batches"

    def __str__(self):
        return f"{self.get_origin_display()} by {self.run_by}, {self.started:%Y-%m-%d %H:%M}"

    @property
    def files(self) -> int:
        return self.ingested + self.duplicate + self.refused


class IngestFileResult(models.Model):
    """What ingest made of one file of a batch: ingested, duplicate or refused (and why)."""

    class Status(models.TextChoices):
        INGESTED = "ingested", "Ingested"
        DUPLICATE = "duplicate", "Duplicate"
        REFUSED = "refused", "Refused"

    batch = models.ForeignKey(IngestBatch, on_delete=models.CASCADE, related_name="results")
    name = models.TextField(help_text="The file as it was given: a path, an uploaded name or a zip entry.")
    status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.TextField(blank=True)
    # The new article, or for a duplicate the one already stored; empty once that article is deleted.
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["batch", "id"]
        verbose_name = "ingest result"

    def __str__(self):
        return f"{self.status} {self.name}"
