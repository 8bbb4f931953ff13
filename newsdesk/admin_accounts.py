"""Accounts in the admin (Django's User and Group admins): who may grant what, and deletions listed in words.

Chief editors hold auth's change permissions (articles.roles) to add and edit researchers. Django's
stock user and group pages would let them tick is_superuser on their own account, add any
permission to their group, or set another editor's password. Here a non-superuser sees the rights
fields read-only, may open the password form only of their own or a researcher's account (no
staff status), only reads other staff accounts, and only reads groups.
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from articles.admin_deletion import ReadableDeletionMixin

RIGHTS_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


def may_manage_account(user, account) -> bool:
    """A superuser manages every account; anyone else their own and researchers' (no staff status)."""
    return user.is_superuser or account is None or account.pk == user.pk or not (account.is_staff or account.is_superuser)


class AccountAdmin(ReadableDeletionMixin, UserAdmin):
    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else fields + RIGHTS_FIELDS

    def has_change_permission(self, request, obj=None):
        # Also guards the password form: UserAdmin.user_change_password asks this for the account.
        return super().has_change_permission(request, obj) and may_manage_account(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and may_manage_account(request.user, obj)

    def deletion_note(self, user) -> str:
        saved = user.saved_views.count()
        return f" (with {saved} saved view{'s' if saved != 1 else ''}; the articles and history they made stay)" if saved else ""


class RoleAdmin(ReadableDeletionMixin, GroupAdmin):
    """A group's permissions are rights: only superusers change them."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def deletion_note(self, group) -> str:
        members = group.user_set.count()
        return f" ({members} account{'s' if members != 1 else ''} lose its permissions; the accounts stay)"


for model, model_admin in ((User, AccountAdmin), (Group, RoleAdmin)):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
