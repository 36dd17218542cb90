"""The visit questionnaire: versioned so that old answers keep their meaning, answers checked by
the kind of question, red flags derived from the answers, required answers only on completion."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.visits import services
from qifu.visits.models import Questionnaire, QuestionnaireVersion, RedFlag, RedFlagSource
from qifu.visits.tests.conftest import CALM_ANSWERS

pytestmark = pytest.mark.django_db

V2_QUESTIONS: list[dict[str, Any]] = [
    {
        "code": "output_outlook",
        "text": "今年产值预计比上年",
        "kind": "choice",
        "choices": ["增长", "持平", "下降"],
        "required": True,
        "flag": "sales_drop",
        "flag_values": ["下降"],
    },
    {
        "code": "headcount_change",
        "text": "职工人数比年初增减",
        "kind": "number",
        "unit": "人",
        "flag": "layoffs",
        "flag_below": "2",
    },
]


@pytest.fixture
def v1() -> QuestionnaireVersion:
    # the seeded questionnaire, version 1, published by the migration
    return QuestionnaireVersion.objects.get(questionnaire__code="visit", number=1)


@pytest.fixture
def v2(sysadmin, v1) -> QuestionnaireVersion:
    """Version 2, published: the outlook has three options and a new number question."""
    version = services.questionnaire_version_create(
        by=sysadmin, questionnaire=v1.questionnaire, questions=V2_QUESTIONS, note="简化"
    )
    return services.questionnaire_version_publish(by=sysadmin, version=version)


def answers(**changes: Any) -> dict[str, Any]:
    return {**CALM_ANSWERS, **changes}


def flags(visit: Any) -> list[tuple[str, str]]:
    return sorted((f.kind, f.source) for f in RedFlag.objects.filter(visit=visit))


# --- versions -------------------------------------------------------------------------------------


def test_a_new_visit_is_answered_on_the_latest_published_version(record, licun_clerk, tianlu, v1):
    assert record(licun_clerk, [tianlu]).questionnaire == v1


def test_a_visit_keeps_its_version_after_a_new_version_is_published(
    record, sysadmin, licun_clerk, tianlu, v1
) -> None:
    visit = record(licun_clerk, [tianlu], answers=answers(output_outlook="大幅下降"))
    version2 = services.questionnaire_version_create(
        by=sysadmin, questionnaire=v1.questionnaire, questions=V2_QUESTIONS
    )
    services.questionnaire_version_publish(by=sysadmin, version=version2)
    assert services.current_questionnaire() == version2
    # corrected later, the old visit is still read and checked against version 1
    visit, _created = services.visit_save(
        by=licun_clerk,
        visit=visit,
        data=services.VisitInput(
            date=visit.date,
            enterprises=[tianlu],
            officials=[licun_clerk],
            notes="补充记录",
            answers=answers(output_outlook="大幅下降"),
        ),
        complete=True,
    )
    visit.refresh_from_db()
    assert visit.questionnaire == v1
    assert visit.answers["output_outlook"] == "大幅下降"  # an option version 2 does not have
    assert {q.code for q in v1.questions.all()} >= set(visit.answers)
    # a question only version 2 has is unknown to the old visit
    with pytest.raises(ValidationError):
        services.visit_save(
            by=licun_clerk,
            visit=visit,
            data=services.VisitInput(
                date=visit.date,
                enterprises=[tianlu],
                officials=[licun_clerk],
                notes="补充记录",
                answers=answers(headcount_change=5),
            ),
            complete=True,
        )
    # and a new visit is answered on version 2
    new = record(licun_clerk, [tianlu], answers={"output_outlook": "持平"})
    assert new.questionnaire == version2


def test_an_unpublished_version_is_not_used(record, sysadmin, licun_clerk, tianlu, v1) -> None:
    services.questionnaire_version_create(
        by=sysadmin, questionnaire=v1.questionnaire, questions=V2_QUESTIONS
    )
    assert services.current_questionnaire() == v1
    assert record(licun_clerk, [tianlu]).questionnaire == v1


def test_a_published_version_cannot_be_published_again(sysadmin, v1) -> None:
    with pytest.raises(services.TransitionError):
        services.questionnaire_version_publish(by=sysadmin, version=v1)


def test_a_published_version_is_never_changed_by_a_new_one(sysadmin, v1, v2) -> None:
    assert v2.number == 2
    output = v1.questions.get(code="output_outlook")
    assert output.choices == ["明显增长", "基本持平", "小幅下降", "大幅下降"]
    assert v1.questions.count() == 14
    assert v2.questions.count() == 2


def test_only_one_unpublished_version_at_a_time(sysadmin, v1) -> None:
    services.questionnaire_version_create(
        by=sysadmin, questionnaire=v1.questionnaire, questions=V2_QUESTIONS
    )
    with pytest.raises(services.TransitionError):
        services.questionnaire_version_create(
            by=sysadmin, questionnaire=v1.questionnaire, questions=V2_QUESTIONS
        )


@pytest.mark.parametrize("who", ["leader", "licun_clerk", "enterprise_user"])
def test_only_the_system_admin_keeps_the_questionnaire(request, who, v1) -> None:
    with pytest.raises(PermissionDenied):
        services.questionnaire_version_create(
            by=request.getfixturevalue(who), questionnaire=v1.questionnaire, questions=V2_QUESTIONS
        )


@pytest.mark.parametrize(
    "question",
    [
        {"code": "a", "text": "选择", "kind": "choice", "choices": []},
        {"code": "a", "text": "文字", "kind": "text", "flag": "other"},
        {"code": "a", "text": "数字", "kind": "number", "flag": "layoffs"},
        {"code": "a", "text": "选择", "kind": "choice", "choices": ["甲"], "flag": "other"},
        {"code": "a", "text": "种类", "kind": "essay"},
    ],
)
def test_a_question_that_cannot_work_is_refused(sysadmin, question) -> None:
    questionnaire = Questionnaire.objects.create(code="finance", name="金融机构走访问卷")
    with pytest.raises(ValidationError):
        services.questionnaire_version_create(
            by=sysadmin, questionnaire=questionnaire, questions=[question]
        )
    assert not questionnaire.versions.exists()


def test_a_question_code_is_used_once_per_version(sysadmin) -> None:
    questionnaire = Questionnaire.objects.create(code="finance", name="金融机构走访问卷")
    question = {"code": "a", "text": "问题", "kind": "text"}
    with pytest.raises(ValidationError):
        services.questionnaire_version_create(
            by=sysadmin, questionnaire=questionnaire, questions=[question, question]
        )


# --- answers checked by kind ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "given", "stored"),
    [
        ("relocation", "no", False),
        ("relocation", "否", False),
        ("relocation", True, True),
        ("relocation", "YES", True),
        ("output_outlook", "小幅下降", "小幅下降"),
        ("sales_change", "-12.5", -12.5),
        ("employees", "1,200", 1200),
        ("employees", 85, 85),
        ("policy_needs", "  研发费用加计扣除  ", "研发费用加计扣除"),
    ],
)
def test_answers_are_stored_typed(v1, code, given, stored) -> None:
    cleaned = services.clean_answers(v1, answers(**{code: given}), complete=True)
    assert cleaned[code] == stored
    assert type(cleaned[code]) is type(stored)


@pytest.mark.parametrize(
    ("code", "given"),
    [
        ("relocation", "maybe"),
        ("output_outlook", "翻番"),
        ("sales_change", "三成"),
        ("employees", "nan"),
        ("employees", "1e20"),
        ("recruitment", "x" * 2001),
    ],
)
def test_an_answer_of_the_wrong_kind_is_refused_on_completion(v1, code, given) -> None:
    with pytest.raises(ValidationError) as error:
        services.clean_answers(v1, answers(**{code: given}), complete=True)
    assert "answers" in error.value.message_dict


def test_a_draft_keeps_the_answers_that_can_be_kept(v1) -> None:
    cleaned = services.clean_answers(
        v1, {"relocation": "maybe", "employees": "120"}, complete=False
    )
    assert cleaned == {"employees": 120}


def test_an_unknown_question_is_refused_even_in_a_draft(v1) -> None:
    with pytest.raises(ValidationError):
        services.clean_answers(v1, {"no_such_question": "x"}, complete=False)


def test_answers_must_be_given_by_question(v1) -> None:
    with pytest.raises(ValidationError):
        services.clean_answers(v1, ["是"], complete=False)  # type: ignore[arg-type]


# --- required answers -----------------------------------------------------------------------------


def test_required_answers_are_asked_only_when_the_visit_is_completed(
    record, licun_clerk, tianlu
) -> None:
    draft = record(licun_clerk, [tianlu], answers={}, complete=False)
    assert draft.answers == {}
    with pytest.raises(ValidationError) as error:
        record(licun_clerk, [tianlu], answers={"employees": 12})
    assert len(error.value.message_dict["answers"]) == 2  # the outlook and relocation


def test_at_a_symposium_no_answer_is_required(record, licun_clerk, tianlu, licun_key) -> None:
    visit = record(licun_clerk, [tianlu, licun_key], kind="symposium", answers={})
    assert visit.status == "final"


# --- red flags from the answers -------------------------------------------------------------------


def test_a_yes_raises_its_red_flag(record, licun_clerk, tianlu) -> None:
    visit = record(licun_clerk, [tianlu], answers=answers(relocation="yes", layoffs="是"))
    assert flags(visit) == [
        ("layoffs", RedFlagSource.QUESTIONNAIRE),
        ("relocation", RedFlagSource.QUESTIONNAIRE),
    ]
    note = RedFlag.objects.get(visit=visit, kind="relocation").note
    assert note.startswith("有无外迁、减产或关停意向：")


def test_a_no_raises_nothing(record, licun_clerk, tianlu) -> None:
    visit = record(licun_clerk, [tianlu], answers=answers(relocation="no", layoffs="no"))
    assert flags(visit) == []


def test_a_choice_raises_its_red_flag_only_for_the_flagged_options(
    record, licun_clerk, tianlu
) -> None:
    assert flags(record(licun_clerk, [tianlu], answers=answers(financing="有缺口"))) == []
    visit = record(licun_clerk, [tianlu], answers=answers(financing="非常紧张"))
    assert flags(visit) == [("financing", RedFlagSource.QUESTIONNAIRE)]


def test_a_number_raises_its_red_flag_below_the_threshold(record, licun_clerk, tianlu) -> None:
    assert flags(record(licun_clerk, [tianlu], answers=answers(sales_change=-20))) == []
    visit = record(licun_clerk, [tianlu], answers=answers(sales_change="-20.5"))
    assert flags(visit) == [("sales_drop", RedFlagSource.QUESTIONNAIRE)]
    assert RedFlag.objects.get(visit=visit).note == "前三季度销售收入同比增减：-20.5%"


def test_a_number_in_the_note_is_shown_as_a_number(v2) -> None:
    found = services.derived_flags(v2, {"output_outlook": "持平", "headcount_change": 1})
    assert found == [("layoffs", "职工人数比年初增减：1人")]


def test_two_answers_raising_the_same_flag_make_one_flag(record, licun_clerk, tianlu) -> None:
    visit = record(
        licun_clerk, [tianlu], answers=answers(output_outlook="大幅下降", sales_change=-40)
    )
    assert flags(visit) == [("sales_drop", RedFlagSource.QUESTIONNAIRE)]


def test_a_draft_raises_no_flag_from_its_answers(record, licun_clerk, tianlu) -> None:
    visit = record(licun_clerk, [tianlu], answers=answers(relocation="yes"), complete=False)
    assert flags(visit) == []
    visit, _created = services.visit_save(
        by=licun_clerk,
        visit=visit,
        data=services.VisitInput(
            date=visit.date,
            enterprises=[tianlu],
            officials=[licun_clerk],
            notes="完成记录",
            answers=answers(relocation="yes"),
        ),
        complete=True,
    )
    assert flags(visit) == [("relocation", RedFlagSource.QUESTIONNAIRE)]


def test_the_officials_own_flag_wins_over_the_derived_one(record, licun_clerk, tianlu) -> None:
    visit = record(
        licun_clerk,
        [tianlu],
        answers=answers(relocation="yes"),
        red_flags=[(tianlu, "relocation", "拟迁往胶州")],
    )
    flag = RedFlag.objects.get(visit=visit)
    assert (flag.source, flag.note) == (RedFlagSource.OFFICIAL, "拟迁往胶州")


def test_at_a_symposium_answers_raise_no_flag(record, licun_clerk, tianlu, licun_key) -> None:
    visit = record(
        licun_clerk, [tianlu, licun_key], kind="symposium", answers={"relocation": "yes"}
    )
    assert flags(visit) == []
