"""Factories that build appeals through `appeal_submit`, numbered and audited like real ones.

`AppealFactory` records an appeal on an enterprise's behalf (channel: visit) by a clerk of the
enterprise's street; pass `by=` (and for an enterprise user `channel="portal"`) to change that.
"""

from __future__ import annotations

from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from qifu.accounts.models import Role, User
from qifu.accounts.tests.factories import UserFactory
from qifu.appeals import services
from qifu.appeals.models import Appeal, Category, Channel, Kind
from qifu.enterprises.tests.factories import EnterpriseFactory

# The first bytes of the file types an appeal accepts, and of one it must refuse.
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 32


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def recorder(enterprise: Any) -> User:
    """A clerk of the enterprise's street, who records appeals on its behalf."""
    username = f"recorder_{enterprise.street.code}"
    return User.objects.filter(username=username).first() or UserFactory(
        username=username, role=Role.STREET_STAFF, org_unit=enterprise.street
    )


class AppealFactory(factory.django.DjangoModelFactory):
    """A submitted problem about land (土地房产) of a new enterprise in 李村街道."""

    class Meta:
        model = Appeal

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = Kind.PROBLEM
    category = factory.LazyFunction(lambda: category("land"))
    title = factory.Sequence(lambda n: f"厂房土地证办理遇到困难{n}")
    description = factory.Faker("paragraph", nb_sentences=3, locale="zh_CN")
    channel = Channel.VISIT

    @classmethod
    def _create(cls, model_class: type[Appeal], *args: Any, **kwargs: Any) -> Appeal:
        by = kwargs.pop("by", None) or recorder(kwargs["enterprise"])
        appeal, _created = services.appeal_submit(by=by, **kwargs)
        return appeal
