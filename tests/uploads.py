"""Files for the admin's upload page, as a browser would post them, and an editor to post them."""

import io
import zipfile

from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.roles import EDITORS, roles_ensure

UPLOAD_URL = "/admin/articles/article/upload/"
GOOD = " date 2024-04-08 Officials in Zürich met at the Café Europa to discuss sanctions.\n\nTalks went on."
OTHER = " date 2024-05-02 Foreign Minister Sergei Lavrov spoke in Moscow about grain exports.\n\nMore talks."
THIRD = " date 2024-06-03 NATO officials discussed air defence for Ukraine in Brussels.\n\nNo decision yet."


def txt(name: str, data: str | bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data.encode() if isinstance(data, str) else data, content_type="text/plain")


def zipped(name: str, entries: dict[str, str | bytes], encrypted: bool = False) -> SimpleUploadedFile:
    """A zip of the entries (name -> text); encrypted marks them so (zipfile cannot write encrypted entries)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, data in entries.items():
            archive.writestr(entry, data)
    data = bytearray(buffer.getvalue())
    if encrypted:  # set bit 0 of the general purpose flags in every local and central header
        for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            start = 0
            while (start := data.find(signature, start)) >= 0:
                data[start + offset] |= 0x1
                start += 4
    return SimpleUploadedFile(name, bytes(data), content_type="application/zip")


def upload(client, *files):
    return client.post(UPLOAD_URL, {"files": list(files)})


def editor(client, name="ed") -> User:
    """Log client in as a member of the Editors group (the groups made again: transactional tests flush them)."""
    roles_ensure(Group, Permission)
    user = User.objects.create_user(name, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    return user
