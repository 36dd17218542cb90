"""The archive (档案): uploads checked by type, content and size, names made safe; downloads only
inside the scope, and internal documents never for the enterprise."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from qifu.audit.models import AuditEvent
from qifu.projects import selectors, services
from qifu.projects.models import Document, DocumentCategory
from qifu.projects.tests.conftest import EXE, JPG, PDF, PNG, office_file, upload

pytestmark = pytest.mark.django_db

DOCX = office_file("word/document.xml")
XLSX = office_file("xl/workbook.xml")


def put(project, by, name, content, category=DocumentCategory.APPROVAL, **kwargs):
    return services.document_upload(
        by=by, project=project, upload=upload(name, content), category=category, **kwargs
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("立项批复.pdf", PDF, "application/pdf"),
        (
            "投资协议.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "投资进度.xlsx",
            XLSX,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("现场.JPG", JPG, "image/jpeg"),
        ("现场.png", PNG, "image/png"),
    ],
)
def test_the_accepted_kinds(name, content, content_type, project, tcj_clerk) -> None:
    document = put(project, tcj_clerk, name, content)
    assert document.content_type == content_type
    assert document.size == len(content)
    assert document.file.read() == content
    assert AuditEvent.objects.filter(action="project_document.create").count() == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", EXE),  # a type not accepted
        ("批复.pdf", EXE),  # an executable named .pdf
        ("协议.docx", PDF),  # not a zip
        ("协议.docx", XLSX),  # a spreadsheet named .docx
        ("表.xlsx", b"PK\x03\x04 not really a zip"),
        ("旧版.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 16),  # old Word: not accepted
        ("空.pdf", b""),
        ("无扩展名", PDF),
    ],
)
def test_refused_files(name, content, project, tcj_clerk) -> None:
    with pytest.raises(ValidationError) as error:
        put(project, tcj_clerk, name, content)
    assert "upload" in error.value.message_dict
    assert not Document.objects.exists()


def test_a_file_over_10_mb_is_refused(project, tcj_clerk) -> None:
    big = PDF + b"0" * (10 * 1024 * 1024)
    with pytest.raises(ValidationError, match="10 MB"):
        put(project, tcj_clerk, "大文件.pdf", big)


def test_exactly_10_mb_is_accepted(project, tcj_clerk) -> None:
    content = PDF + b"0" * (10 * 1024 * 1024 - len(PDF))
    assert put(project, tcj_clerk, "规划图.pdf", content).size == 10 * 1024 * 1024


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\张三\\合同.pdf", "合同.pdf"),
        ("环评 批复<最终>;rm -rf.pdf", "环评 批复_最终_rm -rf.pdf"),
        (".pdf", "document.pdf"),
        ("立项批复.PDF", "立项批复.pdf"),
    ],
)
def test_names_are_made_safe(given, safe, project, tcj_clerk) -> None:
    document = put(project, tcj_clerk, given, PDF)
    assert document.name == safe
    assert ".." not in document.file.name
    assert document.file.name.startswith("projects/")


def test_a_long_name_keeps_its_extension() -> None:
    assert services.safe_name("批" * 300 + ".pdf") == "批" * 96 + ".pdf"


def test_the_category_is_checked(project, tcj_clerk) -> None:
    with pytest.raises(ValidationError):
        put(project, tcj_clerk, "a.pdf", PDF, category="secret")


def test_the_enterprise_adds_documents_that_are_never_internal(project, enterprise_user):
    document = put(project, enterprise_user, "营业执照.pdf", PDF, is_internal=True)
    assert document.is_internal is False
    with pytest.raises(PermissionDenied):
        put(project, enterprise_user, "纪要.pdf", PDF, category=DocumentCategory.MINUTES)


@pytest.mark.parametrize("who", ["zrj_clerk", "licun_clerk", "ruifeng_user", "outsider"])
def test_others_may_not_upload(who, request, project) -> None:
    with pytest.raises(PermissionDenied):
        put(project, request.getfixturevalue(who), "a.pdf", PDF)


def test_downloads_stay_inside_the_scope(
    project, tcj_clerk, enterprise_user, licun_clerk, ruifeng_user, outsider
) -> None:
    public = put(project, tcj_clerk, "施工许可证.pdf", PDF)
    internal = put(
        project, tcj_clerk, "调度纪要.pdf", PDF, category=DocumentCategory.MINUTES, is_internal=True
    )

    for user in (tcj_clerk, licun_clerk):
        assert selectors.document_get_for_user(user=user, pk=internal.pk) == internal
    assert selectors.document_get_for_user(user=enterprise_user, pk=public.pk) == public
    with pytest.raises(Http404):
        selectors.document_get_for_user(user=enterprise_user, pk=internal.pk)
    for user in (ruifeng_user, outsider):
        for document in (public, internal):
            with pytest.raises(Http404):
                selectors.document_get_for_user(user=user, pk=document.pk)
    with pytest.raises(Http404):
        selectors.document_get_for_user(user=tcj_clerk, pk="x")
    assert list(selectors.documents_for_user(user=enterprise_user, project=project)) == [public]
    assert set(selectors.documents_for_user(user=tcj_clerk, project=project)) == {
        public,
        internal,
    }
