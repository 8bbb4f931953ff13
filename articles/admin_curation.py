"""The admin's curation steps that ask first: merge actors or topics, rule a name out as never an actor.

Both are a chief editor's (they delete); each shows what it will do, in words, before doing it.
"""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse

from .curation import actor_rule_out, never_actor_add

RULE_OUT_PERMISSION = "articles.delete_actor"  # ruling out deletes actors: chief editors only


def may_rule_out(request) -> bool:
    return request.user.has_perm(RULE_OUT_PERMISSION)


def _confirmation(request, queryset, action: str, title: str, template: str, **context) -> TemplateResponse:
    return TemplateResponse(request, template, {
        **admin.site.each_context(request),
        "opts": queryset.model._meta,
        "queryset": queryset,
        "action": action,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        "title": title,
        **context,
    })


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
    suggested = queryset.order_by("-article_count").first()
    title = f"Merge {queryset.count()} {queryset.model._meta.verbose_name_plural} into one"
    return _confirmation(request, queryset, action, title, "admin/articles/merge.html", suggested=suggested)


def rule_out_action(request, queryset):
    """Show the names and how many articles each leaves, then rule them out on "Yes, rule out"."""
    if "apply" not in request.POST:
        count = queryset.count()
        title = f"Rule out {count} name{'s' if count != 1 else ''} as never an actor"
        return _confirmation(request, queryset, "rule_out_actors", title, "admin/articles/rule_out.html")
    names = [actor_rule_out(actor=actor) for actor in queryset]
    messages.success(request, f"Ruled out {', '.join(names)}: removed from every article, and extraction will not find them again.")
    return None


class NeverActorAdmin(admin.ModelAdmin):
    """The ruled-out names: everyone reads the list, chief editors add, correct or remove a name.

    Adding a name here rules it out as the action does: an actor of that name leaves every article.
    """

    list_display = ["name", "created"]
    search_fields = ["name"]

    def has_add_permission(self, request):
        return may_rule_out(request)

    def has_change_permission(self, request, obj=None):
        return may_rule_out(request)

    def has_delete_permission(self, request, obj=None):
        return may_rule_out(request)

    def save_model(self, request, obj, form, change):
        never_actor_add(never=obj)
