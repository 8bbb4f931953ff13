"""Old addresses keep working: when an actor's or topic's slug changes, the old slug redirects to it.

Merges record their redirect themselves (articles.curation); a rename anywhere (the admin, a
command, a shell) is caught here on save:

    actor.slug = "russian-federation"; actor.save()   # ?actor=russia and /actors/russia/ lead to it
"""

from django.db.models.signals import post_save, pre_save

from .models import Actor, ActorRedirect, Topic, TopicRedirect

# label model -> (its redirect model, the redirect's field naming the label)
REDIRECTS = {Actor: (ActorRedirect, "actor"), Topic: (TopicRedirect, "topic")}


def label_slug_redirect(*, label, old_slug: str) -> None:
    """Point old_slug at the label, and stop redirecting its current slug (renamed back, or taken over)."""
    redirect_model, field = REDIRECTS[type(label)]
    redirect_model.objects.filter(old_slug=label.slug).delete()
    redirect_model.objects.update_or_create(old_slug=old_slug, defaults={field: label})


def slug_taken_by_redirect(model, slug: str, pk: int | None):
    """The other label an old slug leads to, or None: giving that slug away would break its bookmarks."""
    redirect_model, field = REDIRECTS[model]
    redirect = redirect_model.objects.filter(old_slug=slug).exclude(**{f"{field}_id": pk}).select_related(field).first()
    return getattr(redirect, field) if redirect else None


def _remember_slug(sender, instance, raw=False, **kwargs):
    """Note the slug stored before this save (None for a new label or a fixture load)."""
    stored = None if raw or instance.pk is None else sender.objects.filter(pk=instance.pk).values_list("slug", flat=True)
    instance._slug_before_redirect = stored.first() if stored is not None else None


def _redirect_old_slug(sender, instance, created, raw=False, **kwargs):
    old_slug = getattr(instance, "_slug_before_redirect", None)
    instance._slug_before_redirect = None
    if not raw and not created and old_slug and old_slug != instance.slug:
        label_slug_redirect(label=instance, old_slug=old_slug)


def connect_signals() -> None:
    for model in REDIRECTS:
        pre_save.connect(_remember_slug, sender=model, dispatch_uid=f"redirects.remember.{model.__name__}")
        post_save.connect(_redirect_old_slug, sender=model, dispatch_uid=f"redirects.record.{model.__name__}")
