"""Factories that build valid enterprises and contacts through the services, audited like real ones.

Each enterprise gets a credit code with a correct check digit (`valid_code(n)` gives the n-th such
code), a real GB/T 4754-2017 class, and by default lies in 李村街道 of the demo district.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory

from qifu.core.models import OrgUnit
from qifu.enterprises import services
from qifu.enterprises.models import Contact, Enterprise
from qifu.lib.credit_code import with_check_digit

# Four real codes, as printed on business licences; the tests use them as they are.
REAL_CODES = [
    "91370200163562681G",
    "9144030071526726XG",
    "91330100716105852F",
    "914403001922038216",
]

LICUN = "370213007"
LOUSHAN = "370213006"


def valid_code(n: int) -> str:
    """The n-th made-up credit code of the demo district (91 370213 …), check digit included."""
    return with_check_digit(f"91370213{n:09d}")


def street(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    """An operating enterprise in 李村街道; `tags` (names) and `contacts` (dicts) are added."""

    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"青岛测试{n:04d}有限公司")
    credit_code = factory.Sequence(lambda n: valid_code(500_000 + n))
    legal_representative = factory.Faker("name", locale="zh_CN")
    street = factory.LazyFunction(lambda: street(LICUN))
    address = factory.Sequence(lambda n: f"青岛市李沧区书院路{n % 300 + 1}号")
    industry_code = factory.Iterator(["2614", "3434", "5212", "6513", "3981"])
    registered_capital = factory.Iterator([Decimal("500.00"), Decimal("1200.50"), None])
    is_above_scale = False
    is_key = False

    @classmethod
    def _create(cls, model_class: type[Enterprise], *args: Any, **kwargs: Any) -> Enterprise:
        tags = kwargs.pop("tags", ())
        contacts = kwargs.pop("contacts", ())
        enterprise = services.enterprise_create(by=None, tags=tags, **kwargs)
        for order, contact in enumerate(contacts):
            services.contact_add(by=None, enterprise=enterprise, **{"sort_order": order, **contact})
        return enterprise


class ContactFactory(factory.django.DjangoModelFactory):
    """A contact of `enterprise`, with a mobile number."""

    class Meta:
        model = Contact

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Faker("name", locale="zh_CN")
    title = "办公室主任"
    phone = factory.Faker("phone_number", locale="zh_CN")

    @classmethod
    def _create(cls, model_class: type[Contact], *args: Any, **kwargs: Any) -> Contact:
        return services.contact_add(by=None, **kwargs)
