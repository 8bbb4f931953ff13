"""The two editorial roles and what each may do in the admin."""

EDITORS = "Editors"
CHIEF_EDITORS = "Chief editors"

# Editors add and correct articles and curate actors and topics.
EDITOR_PERMISSIONS = [
    f"articles.{action}_{model}"
    for model in ("article", "actor", "topic", "neveractor", "articleactordecision", "articletopicdecision")
    for action in ("view", "add", "change")
] + [
    "articles.view_actorredirect",
    "articles.view_topicredirect",
    # Deleting a per-article decision hands that label back to extraction: an editor's call.
    "articles.delete_articleactordecision",
    "articles.delete_articletopicdecision",
]

# Chief editors also delete (which merging and ruling out need) and manage accounts.
CHIEF_EDITOR_PERMISSIONS = EDITOR_PERMISSIONS + [
    f"articles.delete_{model}" for model in ("article", "actor", "topic", "neveractor")
] + [f"auth.{action}_{model}" for model in ("user", "group") for action in ("view", "add", "change", "delete")]

ROLES = {EDITORS: EDITOR_PERMISSIONS, CHIEF_EDITORS: CHIEF_EDITOR_PERMISSIONS}


def roles_ensure(group_model, permission_model) -> None:
    """Create both groups with exactly their permissions (models passed in, so migrations can use it)."""
    for name, codenames in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=name)
        permissions = [
            permission_model.objects.get(content_type__app_label=dotted.split(".")[0], codename=dotted.split(".")[1])
            for dotted in codenames
        ]
        group.permissions.set(permissions)
