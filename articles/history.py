"""Who changed an article and why: django-simple-history's records, filled in from a history context.

The admin records the signed-in editor by itself (HistoryRequestMiddleware, SimpleHistoryAdmin);
the admin, commands and batch code say who and why around their work:

    with history_context(user=None, reason="re-extraction"):
        article_extract(article)   # -> one history row "Changed", by nobody, reason "re-extraction"

Inside a context, one piece of work is one row per article: the record its save (or its first
relation change) wrote takes the later changes of its actors and topics, instead of a new row
for each (an admin save: the fields, then the actors, then the topics).
"""

import collections
import contextlib
import contextvars
import dataclasses
from collections.abc import Iterator

from django.conf import settings
from django.dispatch import receiver
from simple_history import utils
from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record, pre_create_historical_record


RECORDS_KEPT = 1000  # the latest records of a context that later relation changes may join (bounded for re-extraction)


@dataclasses.dataclass(frozen=True)
class HistoryContext:
    user: object  # a User, or None for work that no account did (the command line)
    reason: str
    # (historical model, object id) -> the record this work wrote for it, latest last
    records: collections.OrderedDict = dataclasses.field(default_factory=collections.OrderedDict)

    def remember(self, record) -> None:
        key = (type(record), record.id)
        self.records[key] = record
        self.records.move_to_end(key)
        while len(self.records) > RECORDS_KEPT:
            self.records.popitem(last=False)


_current: contextvars.ContextVar[HistoryContext | None] = contextvars.ContextVar("history_context", default=None)


@contextlib.contextmanager
def history_context(*, user=None, reason: str) -> Iterator[None]:
    """Record every change made inside as made by user for reason, e.g. "ingest (command line)".

    Without a user, an enclosing context's user is kept (a merge made in the admin is the editor's).
    """
    outer = _current.get()
    if user is None and outer is not None:
        user = outer.user
    token = _current.set(HistoryContext(user=user, reason=reason))
    try:
        yield
    finally:
        _current.reset(token)


@receiver(pre_create_historical_record, dispatch_uid="articles.history.context")
def _history_from_context(sender, history_instance, **kwargs):
    context = _current.get()
    if context is None:
        return
    if context.user is not None:
        history_instance.history_user = context.user
    if not history_instance.history_change_reason:
        history_instance.history_change_reason = context.reason


@receiver(post_create_historical_record, dispatch_uid="articles.history.creation")
def _remember_creation(sender, instance, history_instance, **kwargs):
    """Keep the record for the actors and topics changed next (see m2m_changed): on a new object, and in the context."""
    if history_instance.history_type == "+":
        instance._history_creation = history_instance
    context = _current.get()
    if context is not None and history_instance.history_type != "-":
        context.remember(history_instance)


def _record_of_this_work(history_model, instance):
    """The record already written for instance by the work under way, if any."""
    context = _current.get()
    if context is not None and (record := context.records.get((history_model, instance.pk))) is not None:
        return record
    return getattr(instance, "_history_creation", None)


def creation_recorded(instance, links: dict[str, list]) -> None:
    """Write the creation ("+") record of an object saved with save_without_historical_record(), now.

    Ingest saves an article without its record, links its actors and topics in bulk (no signals),
    then writes the one record the save and the relation signals would have left: the fields and
    every actor and topic. links: the relation rows just inserted, by field, copied into the record
    as simple-history copies them (without reading them back, when the database returned their ids).
    # article.save_without_historical_record(); rows = <insert links>; creation_recorded(article, {"actors": rows, ...})
    """
    if all(row.pk is not None for rows in links.values() for row in rows):
        instance._history_m2m_at_creation = {
            name: [{field.attname: getattr(row, field.attname) for field in type(row)._meta.fields} for row in rows]
            for name, rows in links.items()
        }
    try:
        _records_of[type(instance)].create_historical_record(instance, "+")
    finally:
        instance.__dict__.pop("_history_m2m_at_creation", None)  # later changes are read from the database


_records_of: dict[type, "LabelledHistoricalRecords"] = {}


class _HistoryManagerKept(HistoryDescriptor):
    """`instance.history` with its manager class made once: simple-history's descriptor makes it at every access
    (Manager.from_queryset, an inspect.getmembers: ~0.7 ms), and writing a record reads it (twice per article ingested)."""

    def __init__(self, descriptor: HistoryDescriptor):
        super().__init__(descriptor.model, manager=descriptor.manager_class, queryset=descriptor.queryset_class)
        self.made = self.manager_class.from_queryset(self.queryset_class)

    def __get__(self, instance, owner):
        return self.made(self.model, instance)


class LabelledHistoricalRecords(HistoricalRecords):
    """simple-history's records, keeping an article's actors and topics also in its deletion record.

    simple-history copies the many-to-many rows when it writes a record, but on delete they are gone by
    then: keep them in pre_delete, so the deletion ("-") record holds what a restore brings back.
    And it records only the side that declares the field: a change from the other side (a merge,
    survivor.articles.add(...)) is recorded on each article named in pk_set.
    """

    def contribute_to_class(self, cls, name):
        super().contribute_to_class(cls, name)
        _records_of[cls] = self  # for creation_recorded()

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        descriptor = sender.__dict__.get(self.manager_name)
        if type(descriptor) is HistoryDescriptor:
            setattr(sender, self.manager_name, _HistoryManagerKept(descriptor))

    def post_save(self, instance, created, using=None, update_fields=None, **kwargs):
        # A save of untracked fields alone (the signature after an edit: articles.versions) is no change to show.
        if not created and update_fields and self._unchanged(instance, update_fields):
            return
        super().post_save(instance, created, using=using, update_fields=update_fields, **kwargs)

    def _unchanged(self, instance, update_fields) -> bool:
        """Whether the saved fields that history keeps equal those of the instance's last record."""
        tracked = {field.name: field.attname for field in self.fields_included(instance)}
        attnames = [tracked[name] for name in update_fields if name in tracked]
        if not attnames:
            return True
        last = getattr(instance, self.manager_name).order_by("-history_id").values(*attnames).first()
        return last is not None and all(last[name] == getattr(instance, name) for name in attnames)

    def _m2ms_rewrite(self, history_instance, instance) -> None:
        for field in history_instance._history_m2m_fields:
            self.m2m_models[field].objects.filter(history=history_instance).delete()
        self.create_historical_record_m2ms(history_instance, instance)

    def pre_delete(self, instance, **kwargs):
        super().pre_delete(instance, **kwargs)
        instance._history_m2m_at_delete = {}
        for field in self.get_m2m_fields_from_model(type(instance)):
            through = field.remote_field.through
            rows = through.objects.filter(**{utils.get_m2m_field_name(field): instance})
            instance._history_m2m_at_delete[field.name] = list(rows.values(*(f.attname for f in through._meta.fields)))

    def create_historical_record_m2ms(self, history_instance, instance):
        kept = getattr(instance, {"-": "_history_m2m_at_delete", "+": "_history_m2m_at_creation"}.get(
            history_instance.history_type, ""), None)
        if kept is None:
            return super().create_historical_record_m2ms(history_instance, instance)
        for field in history_instance._history_m2m_fields:
            rows_model = self.m2m_models[field]
            rows_model.objects.bulk_create(rows_model(history=history_instance, **row) for row in kept[field.name])
        return None

    def m2m_changed(self, instance, action, attr, pk_set, reverse, model=None, **kwargs):
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return  # as simple-history's own handler: a restore loads relations and must write no record of its own
        if not reverse and action in ("post_add", "post_remove", "post_clear"):
            self._relations_changed(instance)
        elif reverse and action in ("post_add", "post_remove") and pk_set:
            for article in model.objects.filter(pk__in=pk_set):
                self._relations_changed(article)

    def _relations_changed(self, instance) -> None:
        """Actors or topics changed: into the record this work already wrote (the creation, the admin
        save), so one save is one row with its text and labels; else a new "changed" record."""
        record = _record_of_this_work(getattr(type(instance), self.manager_name).model, instance)
        if record is not None:
            self._m2ms_rewrite(record, instance)
        else:
            self.create_historical_record(instance, "~")
