"""Files that users attach (appeals, visits, research reports): PDF, images, Word and Excel up to
10 MB, checked by extension, by their first bytes and by size before anything is saved."""

from __future__ import annotations

import os
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALLOWED_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
_MAGIC = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
}


def check_attachment(upload: Any) -> None:
    """Type by extension and by the file's first bytes, and size; a clear message otherwise."""
    ext = os.path.splitext(upload.name or "")[1].lower()
    if ext not in ALLOWED_TYPES:
        raise ValidationError(
            _("%(name)s: only PDF, images (JPG, PNG), Word and Excel files are accepted.")
            % {"name": upload.name}
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("%(name)s is larger than 10 MB.") % {"name": upload.name})
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(_MAGIC[ext]):
        raise ValidationError(
            _("%(name)s is not really a %(ext)s file.") % {"name": upload.name, "ext": ext}
        )


def content_type(upload: Any) -> str:
    return ALLOWED_TYPES[os.path.splitext(upload.name or "")[1].lower()]


def check_all(uploads: list[Any], *, already: int, limit: int, too_many: str) -> None:
    """Check every upload, and that `already` + the new ones stay within `limit`, before any is
    saved; errors are given under "attachments" (`too_many` is the message for the limit)."""
    if already + len(uploads) > limit:
        raise ValidationError({"attachments": too_many})
    for upload in uploads:
        try:
            check_attachment(upload)
        except ValidationError as error:
            raise ValidationError({"attachments": error.messages}) from None
