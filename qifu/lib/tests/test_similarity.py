"""qifu.lib.similarity: character n-gram TF-IDF, which ranks Chinese text without word breaks."""

from __future__ import annotations

from qifu.lib.similarity import grams, join, most_similar

APPEALS = [
    (1, "厂房土地证办不下来 我公司厂房建成多年，一直没有土地证，无法抵押贷款"),
    (2, "房产证办理难 新建办公楼验收后房产证迟迟办不下来"),
    (3, "融资难 企业扩大生产需要贷款500万元，银行授信不足"),
    (4, "招工难 缺少数控机床操作工和电工"),
    (5, "用电增容 新生产线需要增加变压器容量"),
    (6, "高新技术企业认定 希望了解高企认定的条件和补贴政策"),
    (7, "土地证与房产证不一致 土地证面积和房产证面积对不上，需要更正"),
]


def keys(text: str, **options) -> list[int]:
    return [m.key for m in most_similar(text, APPEALS, **options)]


def test_chinese_is_cut_into_characters_and_pairs_of_characters() -> None:
    found = grams("土地证")

    assert found == {"土": 1, "地": 1, "证": 1, "土地": 1, "地证": 1}


def test_common_function_words_are_not_counted_alone() -> None:
    assert "的" not in grams("企业的土地")
    assert "的土" in grams("企业的土地")  # pairs keep them, so phrases stay intact


def test_latin_words_and_numbers_are_kept_whole_and_lower_cased() -> None:
    found = grams("ERP系统 500万")

    assert found["erp"] == 1
    assert found["500"] == 1
    assert "系统" in found


def test_punctuation_and_spaces_break_the_text_into_runs() -> None:
    assert grams("土地证！房产证") == grams("土地证 房产证")
    assert "证房" not in grams("土地证，房产证")


def test_an_empty_text_has_no_grams_and_no_matches() -> None:
    assert grams("") == {}
    assert grams(None) == {}  # type: ignore[arg-type]
    assert most_similar("", APPEALS) == []
    assert most_similar("！？", APPEALS) == []
    assert most_similar("土地证", []) == []


def test_land_certificates_match_the_land_and_property_appeals_above_financing() -> None:
    ranked = keys("土地证", threshold=0.0)

    assert set(ranked[:2]) == {1, 7}  # both say 土地证
    assert ranked[2] == 2  # 房产证: a certificate too
    assert 3 not in ranked[:3]  # 融资 below them, if at all
    assert keys("土地证") == ranked[:2]  # above the threshold: the two land certificates


def test_a_written_sentence_about_land_finds_the_land_and_property_appeals() -> None:
    ranked = keys("厂房土地证办不下来")

    assert ranked[0] == 1
    assert set(ranked[:3]) == {1, 2, 7}  # 土地证, and 房产证 办不下来
    assert 3 not in ranked


def test_a_longer_text_about_land_ranks_the_land_appeals_first() -> None:
    ranked = keys("我们厂的土地证和房产证一直没办下来，影响了贷款")

    assert set(ranked[:3]) == {1, 2, 7}


def test_financing_finds_the_financing_appeal_first() -> None:
    assert keys("银行贷款融资困难")[0] == 3


def test_an_unrelated_text_finds_nothing_above_the_threshold() -> None:
    assert keys("食堂饭菜口味") == []


def test_at_most_the_limit_is_returned_best_first() -> None:
    found = most_similar("土地证 房产证 贷款 厂房", APPEALS, limit=2)

    assert len(found) == 2
    assert found[0].score >= found[1].score


def test_the_five_most_similar_by_default() -> None:
    many = [(n, f"土地证问题{n}号 厂房土地证") for n in range(10)]

    assert len(most_similar("厂房土地证", many)) == 5


def test_a_small_pool_of_appeals_all_on_the_same_subject_is_still_found() -> None:
    # every candidate says 厂房土地证: those grams must still count
    pool = [(1, "厂房土地证办不下来"), (2, "厂房的土地证")]

    assert {m.key for m in most_similar("厂房土地证", pool)} == {1, 2}
    assert [m.key for m in most_similar("土地证", [(1, "土地证")])] == [1]


def test_scores_are_between_0_and_1_and_an_identical_text_scores_highest() -> None:
    found = most_similar(APPEALS[3][1], APPEALS, threshold=0.0)

    assert found[0].key == 4
    assert all(0 <= m.score <= 1.0001 for m in found)


def test_a_higher_threshold_keeps_only_close_matches() -> None:
    loose = keys("土地证面积不对", threshold=0.05)
    strict = keys("土地证面积不对", threshold=0.4)

    assert set(strict) <= set(loose)
    assert strict[:1] == [7]


def test_join_skips_empty_parts() -> None:
    assert join(["土地证", "", "房产证"]) == "土地证 房产证"
