"""Accounts in the admin (Django's User and Group admins): deletions listed in words, not permission rows."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from articles.admin_deletion import ReadableDeletionMixin


class AccountAdmin(ReadableDeletionMixin, UserAdmin):
    def deletion_note(self, user) -> str:
        saved = user.saved_views.count()
        return f" (with {saved} saved view{'s' if saved != 1 else ''}; the articles and history they made stay)" if saved else ""


class RoleAdmin(ReadableDeletionMixin, GroupAdmin):
    def deletion_note(self, group) -> str:
        members = group.user_set.count()
        return f" ({members} account{'s' if members != 1 else ''} lose its permissions; the accounts stay)"


for model, model_admin in ((User, AccountAdmin), (Group, RoleAdmin)):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
