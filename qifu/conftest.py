"""The shared cast of test users, and the test environment every test runs in.

The cast lives in the demo district (李沧区 370213, built by `qifu.core.demo.build_org`), plus an
outsider in another district of the same city (崂山区 370212).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from qifu.accounts.models import Role, User
from qifu.accounts.tests.factories import TEST_PASSWORD, UserFactory
from qifu.core import demo
from qifu.core.models import Department, Level, OrgUnit
from qifu.core.tests.factories import DepartmentFactory, OrgUnitFactory
from qifu.enterprises.models import Enterprise
from qifu.enterprises.tests.factories import EnterpriseFactory

BASE_DIR = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "real_password_hashers: keep the production password hashers (Argon2)"
    )


# --- Environment ------------------------------------------------------------------------------


def _compile_messages(target: Path) -> list[Path]:
    """Compile locale/*.po into `target`, as `make messages` would, so tests see the catalog."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return []
    for po in (BASE_DIR / "locale").glob("*/LC_MESSAGES/*.po"):
        mo = target / po.relative_to(BASE_DIR / "locale").with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([msgfmt, "--check-format", "-o", str(mo), str(po)], check=True)  # noqa: S603
    return [target]


@pytest.fixture(scope="session", autouse=True)
def _test_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Static files without a collected manifest, uploads in a temporary folder, and translations
    compiled from the .po files."""
    overrides: dict[str, object] = {
        "STATIC_ROOT": tmp_path_factory.mktemp("staticfiles"),
        "MEDIA_ROOT": tmp_path_factory.mktemp("media"),  # uploads never land in the work tree
        "STORAGES": {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }
    locale_paths = _compile_messages(tmp_path_factory.mktemp("locale"))
    if locale_paths:
        overrides["LOCALE_PATHS"] = locale_paths
    with override_settings(**overrides):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hasher(request: pytest.FixtureRequest, settings) -> None:
    """MD5 keeps tests fast; a test marked `real_password_hashers` keeps Argon2."""
    if request.node.get_closest_marker("real_password_hashers") is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache_and_language() -> Iterator[None]:
    """Cached calendar years and login throttles never leak from one test to the next."""
    cache.clear()
    yield
    cache.clear()
    translation.activate("zh-hans")


# --- Org structure ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> None:
    """The demo org is built once in the test database; every test runs in a transaction on it."""
    with django_db_blocker.unblock():
        demo.build_org()


@pytest.fixture
def org(db) -> None:
    # the demo org: 青岛市 370200 → 李沧区 370213 → 11 streets in 3 zones, and 14 departments
    # (built once by django_db_setup above; each test sees it inside its own transaction)
    return None


@pytest.fixture
def district(org) -> OrgUnit:
    # 李沧区 370213, the district of the cast
    return OrgUnit.objects.get(code="370213")


@pytest.fixture
def licun(org) -> OrgUnit:
    # 李村街道 370213007, central zone
    return OrgUnit.objects.get(code="370213007")


@pytest.fixture
def loushan(org) -> OrgUnit:
    # 楼山街道 370213006, west zone
    return OrgUnit.objects.get(code="370213006")


@pytest.fixture
def laoshan(org) -> OrgUnit:
    # 崂山区 370212: another district of 青岛市, with one street (中韩街道) and one department
    city = OrgUnit.objects.get(code="370200")
    unit = OrgUnitFactory(code="370212", name="崂山区", level=Level.DISTRICT, parent=city)
    OrgUnitFactory(code="370212001", name="中韩街道", level=Level.STREET, parent=unit)
    DepartmentFactory(district=unit, code="jxj", name="崂山区经济和信息化局")
    return unit


# --- Enterprises ------------------------------------------------------------------------------


@pytest.fixture
def tianlu(licun) -> Enterprise:
    # 天路集团 in 李村街道: above scale, a key enterprise, one contact with a mobile number
    return EnterpriseFactory(
        name="天路集团",
        credit_code="91370200163562681G",
        street=licun,
        industry_code="3434",
        registered_capital=Decimal("12000.00"),
        is_above_scale=True,
        is_key=True,
        tags=["高新技术企业"],
        contacts=[{"name": "张伟", "title": "办公室主任", "phone": "13812341234"}],
    )


@pytest.fixture
def ruifeng(loushan) -> Enterprise:
    # 瑞丰气体 in 楼山街道: an enterprise of ANOTHER street than the licun clerk's
    return EnterpriseFactory(
        name="瑞丰气体",
        credit_code="9144030071526726XG",
        street=loushan,
        industry_code="2619",
        registered_capital=Decimal("5200.00"),
        is_above_scale=True,
        contacts=[{"name": "李强", "title": "总经理", "phone": "13912345678"}],
    )


# --- The cast ---------------------------------------------------------------------------------


@pytest.fixture
def leader(district) -> User:
    # 区领导 of 李沧区: sees the whole district
    return UserFactory(username="leader", role=Role.DISTRICT_LEADER, org_unit=district)


@pytest.fixture
def jxj_clerk(district) -> User:
    # 经信局 clerk: department staff of 李沧区, department jxj, the district's enterprise service
    # centre (is_service_centre, set by build_org): a dispatcher of appeals with the leader
    department = Department.objects.get(district=district, code="jxj")
    return UserFactory(
        username="jxj_clerk", role=Role.DEPARTMENT_STAFF, org_unit=district, department=department
    )


@pytest.fixture
def zrj_clerk(district) -> User:
    # 自然资源局 clerk: department staff of 区自然资源局, which handles land and property appeals;
    # not the service centre, so it does not dispatch
    department = Department.objects.get(district=district, code="zrj")
    return UserFactory(
        username="zrj_clerk", role=Role.DEPARTMENT_STAFF, org_unit=district, department=department
    )


@pytest.fixture
def zjj_clerk(district) -> User:
    # 住建局 clerk: department staff of 区住房和城乡建设局, asked to co-handle (协办) appeals
    department = Department.objects.get(district=district, code="zjj")
    return UserFactory(
        username="zjj_clerk", role=Role.DEPARTMENT_STAFF, org_unit=district, department=department
    )


@pytest.fixture
def licun_clerk(licun) -> User:
    # 李村街道 street staff: sees only 李村街道
    return UserFactory(username="licun_clerk", role=Role.STREET_STAFF, org_unit=licun)


@pytest.fixture
def loushan_clerk(loushan) -> User:
    # 楼山街道 street staff: the clerk of ANOTHER street, who must not see 李村街道
    return UserFactory(username="loushan_clerk", role=Role.STREET_STAFF, org_unit=loushan)


@pytest.fixture
def enterprise_user(tianlu) -> User:
    # 天路集团's account in 李村街道: its own enterprise only, no government directory
    return UserFactory(
        username="tianlu_user", role=Role.ENTERPRISE_USER, org_unit=tianlu.street, enterprise=tianlu
    )


@pytest.fixture
def ruifeng_user(ruifeng) -> User:
    # 瑞丰气体's account in 楼山街道: ANOTHER enterprise, which must not see 天路集团's affairs
    return UserFactory(
        username="ruifeng_user",
        role=Role.ENTERPRISE_USER,
        org_unit=ruifeng.street,
        enterprise=ruifeng,
    )


@pytest.fixture
def outsider(laoshan) -> User:
    # 区领导 of 崂山区: an official of ANOTHER district, who must see nothing of 李沧区
    return UserFactory(username="outsider", role=Role.DISTRICT_LEADER, org_unit=laoshan)


@pytest.fixture
def no_role_user(org) -> User:
    # an active account that has no role yet: sees nothing
    return UserFactory(username="no_role")


@pytest.fixture
def sysadmin(org) -> User:
    # 系统管理员: org structure and calendar, no accounts, no audit log
    return UserFactory(username="sysadmin", role=Role.SYSTEM_ADMIN)


@pytest.fixture
def secadmin(org) -> User:
    # 安全管理员: accounts and roles only
    return UserFactory(username="secadmin", role=Role.SECURITY_ADMIN)


@pytest.fixture
def auditor(org) -> User:
    # 安全审计员: the audit log only, no business data
    return UserFactory(username="auditor", role=Role.AUDIT_ADMIN)


@pytest.fixture
def password() -> str:
    # the password of every account of the cast
    return TEST_PASSWORD
