"""The two editorial roles and what each may do in the admin."""

EDITORS = "Editors"
CHIEF_EDITORS = "Chief editors"

# Editors add and correct articles (one by one or by uploading files) and curate actors and topics.
EDITOR_PERMISSIONS = [
    f"articles.{action}_{model}"
    for model in ("article", "actor", "topic", "articleactordecision", "articletopicdecision")
    for action in ("view", "add", "change")
] + [
    # A never-an-actor name removes that actor from every article and stops its extraction:
    # editors read the list, chief editors add, correct and remove names.
    "articles.view_neveractor",
    "articles.view_actorredirect",
    "articles.view_topicredirect",
    # Deleting a per-article decision hands that label back to extraction: an editor's call.
    "articles.delete_articleactordecision",
    "articles.delete_articletopicdecision",
    # The ingest log is read-only: batches are written by ingest itself (command or upload).
    "articles.view_ingestbatch",
    "articles.view_ingestfileresult",
]

# Chief editors also delete (which merging and ruling out need) and manage accounts.
CHIEF_EDITOR_PERMISSIONS = EDITOR_PERMISSIONS + [
    f"articles.delete_{model}" for model in ("article", "actor", "topic", "neveractor")
] + [f"articles.{action}_neveractor" for action in ("add", "change")] + [f"auth.{action}_{model}" for model in ("user", "group") for action in ("view", "add", "change", "delete")]

ROLES = {EDITORS: EDITOR_PERMISSIONS, CHIEF_EDITORS: CHIEF_EDITOR_PERMISSIONS}


def roles_ensure(group_model, permission_model) -> None:
    """Create both groups with exactly their permissions (models passed in, so migrations can use it).

    A permission of a model that a later migration creates is skipped: that migration calls this again.
    """
    content_types = permission_model._meta.get_field("content_type").related_model.objects
    for name, codenames in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=name)
        permissions = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permission = permission_model.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission:
                permissions.append(permission)
            elif content_types.filter(app_label=app_label, model=codename.split("_", 1)[1]).exists():
                raise LookupError(f"No permission {dotted}, though its model exists.")
        group.permissions.set(permissions)


def roles_update(apps, schema_editor) -> None:
    """A migration step that gives both groups exactly the permissions ROLES lists now."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the groups may need new ones now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_ensure(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))
