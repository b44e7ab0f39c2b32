"""Accents, case, CJK and RTL text in films, critics and reviews."""

from __future__ import annotations

import pytest

from tests.helpers import last_reply_text, rows

AMELIE = (
    "Amélie is a whimsical film about a shy waitress at a Montmartre café who decides to fix other "
    "people's lives. Audrey Tautou plays her with a sly, luminous stillness.\n\n"
    "The film ends with a bicycle ride through Paris, and the ending feels earned rather than sugary. "
    "Jean-Pierre Jeunet fills every frame with saturated greens and reds.\n"
)


CJK = (
    "这部电影讲述了一个害羞的女服务员的故事。她决定改变身边人的生活，结局非常温暖。"
    "导演用鲜艳的色彩填满了每一个画面，让巴黎看起来像一个童话。音乐也非常动人，令人难忘。\n"
)


RTL = (
    "هذا الفيلم يحكي قصة نادلة خجولة في مقهى صغير في باريس. تقرر أن تغير حياة الناس من حولها بطرق صغيرة ولطيفة. "
    "النهاية دافئة ومؤثرة جدا، والألوان زاهية في كل مشهد من مشاهد الفيلم.\n"
)


async def add(world, film, critic, text, name="review.txt", **extra):
    return await world.mod.slash(
        world.channel, "review add", film=film, critic=critic, file=(name, text.encode("utf-8")), **extra
    )


async def test_accented_film_and_critic_quotable(world, settings):
    """Amélie by "Zoë Ÿ 🎬": /quote film:Amélie and film:amélie find it; critic:"Zoë Ÿ 🎬" too."""
    added = await add(world, "Amélie", "Zoë Ÿ 🎬", AMELIE, year=2001)
    assert "#" in last_reply_text(added), last_reply_text(added)
    for film in ("Amélie", "amélie", "Amélie (2001)"):
        quote = await world.alice.slash(world.channel, "quote", film=film)
        assert not quote.ephemeral and "Amélie" in last_reply_text(quote), (film, last_reply_text(quote))
    quote = await world.alice.slash(world.channel, "quote", critic="Zoë Ÿ 🎬")
    assert not quote.ephemeral and "Zoë Ÿ 🎬" in last_reply_text(quote), last_reply_text(quote)


async def test_non_ascii_case_is_ignored_in_film_and_critic(world):
    """/quote film:AMÉLIE and critic:"zoë ÿ 🎬" find Amélie by Zoë Ÿ 🎬 (case ignored beyond ASCII)."""
    await add(world, "Amélie", "Zoë Ÿ 🎬", AMELIE, year=2001)
    quote = await world.alice.slash(world.channel, "quote", film="AMÉLIE")
    assert not quote.ephemeral, last_reply_text(quote)
    quote = await world.alice.slash(world.channel, "quote", critic="zoë ÿ 🎬")
    assert not quote.ephemeral, last_reply_text(quote)


async def test_film_title_differing_in_non_ascii_case_is_the_same_film(world, settings):
    """A title without a year that differs only in É/é uses the existing film, as README promises."""
    await add(world, "École", "First", AMELIE, year=2001)
    await add(world, "ÉCOLE", "Second", AMELIE.replace("whimsical", "charming").replace("shy", "timid"))
    films = rows(settings.database, "SELECT title FROM films WHERE title LIKE '%cole%'")
    assert len(films) == 1, films


async def test_autocomplete_finds_accented_names_by_prefix(world):
    """Typing "amé" (or "AMÉ") suggests Amélie; typing "zo" suggests Zoë."""
    await add(world, "Amélie", "Zoë Ÿ 🎬", AMELIE, year=2001)
    for typed in ("amé", "AMÉ"):
        films = await world.alice.autocomplete(world.channel, "quote", "film", typed)
        assert any("Amélie" in c["name"] for c in films), (typed, films)
    critics = await world.alice.autocomplete(world.channel, "quote", "critic", "zo")
    assert any("Zoë Ÿ 🎬" == c["value"] for c in critics), critics


async def test_about_ignores_diacritics_and_search_stems(world):
    """/quote about:cafe finds "café"; /search query:ending finds "ends"."""
    await add(world, "Amélie", "Zoë Ÿ", AMELIE, year=2001)
    quote = await world.alice.slash(world.channel, "quote", film="Amélie", about="cafe")
    assert not quote.ephemeral and "café" in last_reply_text(quote), last_reply_text(quote)
    found = await world.alice.slash(world.channel, "search", query="bicycle ending")
    assert "bicycle" in last_reply_text(found).lower(), last_reply_text(found)
    found = await world.alice.slash(world.channel, "search", query="montmartre cafe")
    assert "café" in last_reply_text(found), last_reply_text(found)


@pytest.mark.parametrize("body", [CJK, RTL], ids=["cjk", "rtl"])
async def test_cjk_and_rtl_reviews_are_segmented_or_refused_clearly(world, settings, body):
    """A Chinese or Arabic review is cut into passages at its own sentence punctuation."""
    result = await add(world, "Amélie", "Critique", body, year=2001)
    reply = last_reply_text(result)
    got = rows(settings.database, "SELECT p.text FROM passages p JOIN reviews r ON r.id = p.review_id"
               " WHERE r.critic = 'Critique'")
    assert got, reply
    # Passages are 1-3 whole sentences ending at the script's own sentence punctuation.
    assert all(t.rstrip().endswith((".", "。", "！", "？")) for (t,) in got), got
    assert all(t.count(".") + t.count("。") + t.count("！") + t.count("？") <= 3 for (t,) in got), got


async def test_cjk_without_sentence_punctuation_is_refused_with_reason(world, settings):
    """A review with no sentence punctuation at all is either cut or refused with a reason, never silent."""
    body = "这是一部关于梦想和爱情的电影 " * 30
    result = await add(world, "Amélie", "NoPunct", body, year=2001)
    stored = rows(settings.database, "SELECT count(*) FROM reviews WHERE critic = 'NoPunct'")[0][0]
    if not stored:
        assert result.ephemeral and "passage" in last_reply_text(result).lower(), last_reply_text(result)
