"""Articles, the actors they name and the topics they are filed under."""

from django.db import models
from django.urls import reverse
from django.utils.text import slugify


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

    class Meta:
        ordering = ["name"]

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

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("topic_detail", args=[self.slug])

    @property
    def keyword_list(self) -> list[str]:
        return [line.strip().lower() for line in self.keywords.splitlines() if line.strip()]


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

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.headline}"

    @property
    def lead(self) -> str:
        """The first paragraph."""
        return self.body.split("\n\n", 1)[0]

    @property
    def slug(self) -> str:
        return slugify(self.headline)[:80].strip("-") or "article"

    def get_absolute_url(self):
        return reverse("article_detail", args=[self.pk, self.slug])


class IndexQueue(models.Model):
    """An article whose search document must be written or removed; drained by articles.indexing."""

    # Not a foreign key: the queue must outlive the article it says to remove.
    article_id = models.BigIntegerField(db_index=True)
    queued = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"article {self.article_id}"
