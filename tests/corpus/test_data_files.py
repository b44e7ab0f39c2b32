"""themes.toml and manifest.toml edits picked up on restart without losing ids or moderator work."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot import Settings, create_bot
from tests.helpers import drop_manifest_entry, last_reply_text, rows


@pytest.fixture
async def restart(world, settings):
    """`await restart(data_dir)`: close the old bot's store, start a new bot object on the same database."""
    made = []

    async def go(data_dir: Path):
        old = world.bot
        await old.scheduler.stop()
        await old.close_store()
        new = create_bot(Settings(database=settings.database, data_dir=data_dir))
        made.append(new)
        await world.env.restart_bot(new)
        return new

    yield go
    for bot in made:
        await bot.close_store()


def theme_count(result, key: str) -> int:
    match = re.search(rf"\(`{re.escape(key)}`\): (\d+) passages", last_reply_text(result))
    assert match, last_reply_text(result)
    return int(match.group(1))


NEW_THEME = """
[themes.stargazing]
name = "Stargazing"
description = "The planetarium and the stars."
spoiler = false
phrases = [ { pattern = '\\bgriffith\\b', weight = 2 }, { pattern = '\\bobservatory\\b', weight = 2 } ]
questions = ["Why the observatory?", "What do the stars mean here?"]
debate_question = "Is the planetarium scene the best in the film?"
contrasts = [["star*", "sky"], ["ground", "street*"]]
"""


def set_manifest_field(data_dir: Path, file_stem: str, field: str, value: str) -> None:
    path = data_dir / "manifest.toml"
    toml = path.read_text(encoding="utf-8")
    start = toml.index(file_stem)
    at = toml.index(f'{field} = ""', start)
    toml = toml[:at] + f'{field} = "{value}"' + toml[at + len(f'{field} = ""'):]
    path.write_text(toml, encoding="utf-8")


def seed(settings, n: int) -> tuple[int, str]:
    return rows(settings.database, "SELECT id, source_key FROM reviews WHERE source='bundled' ORDER BY id")[n]


async def test_new_theme_in_themes_toml_retags_after_restart_and_keeps_passage_ids(world, settings, data_copy, restart):
    """A theme added to themes.toml shows in /themes with passages after a restart; passage ids unchanged."""
    before = rows(settings.database, "SELECT id, review_id, ordinal, text FROM passages ORDER BY id")
    first = await world.mod.slash(world.channel, "themes")
    assert "stargazing" not in last_reply_text(first)
    themes_file = data_copy / "themes.toml"
    themes_file.write_text(themes_file.read_text(encoding="utf-8") + NEW_THEME, encoding="utf-8")
    await restart(data_copy)
    shown = await world.mod.slash(world.channel, "themes")
    assert theme_count(shown, "stargazing") > 0
    after = rows(settings.database, "SELECT id, review_id, ordinal, text FROM passages ORDER BY id")
    assert after == before
    quote = await world.alice.slash(world.channel, "quote", theme="stargazing")
    assert not quote.ephemeral and "Stargazing" in last_reply_text(quote), last_reply_text(quote)


async def test_added_phrase_raises_existing_theme_count(world, settings, data_copy, restart):
    """A new weight-2 phrase on an existing theme tags more passages after a restart."""
    old = theme_count(await world.mod.slash(world.channel, "themes"), "los-angeles")
    toml = (data_copy / "themes.toml").read_text(encoding="utf-8")
    start = toml.index("[films.la-la-land.themes.los-angeles]")
    at = toml.index("phrases = [", start) + len("phrases = [")
    toml = toml[:at] + "\n  { pattern = '\\b(city|hollywood|backlot|observatory)\\b', weight = 5 }," + toml[at:]
    (data_copy / "themes.toml").write_text(toml, encoding="utf-8")
    ids_before = rows(settings.database, "SELECT id FROM passages ORDER BY id")
    await restart(data_copy)
    new = theme_count(await world.mod.slash(world.channel, "themes"), "los-angeles")
    assert new > old
    assert rows(settings.database, "SELECT id FROM passages ORDER BY id") == ids_before


@pytest.mark.parametrize(
    "edit, needles",
    [
        (lambda t: t.replace("[films.la-la-land.themes.jazz]\n", "[films.la-la-land.themes.jazz]\nweigth = 3\n", 1),
         ["themes.toml", "jazz", "weigth"]),
        (lambda t: t + NEW_THEME.replace("\\bgriffith\\b", "(griffith"), ["themes.toml", "stargazing", "griffith"]),
        (lambda t: t + NEW_THEME.replace('spoiler = false\n', ''), ["themes.toml", "stargazing", "spoiler"]),
    ],
    ids=["unknown-field", "bad-regex", "missing-field"],
)
async def test_broken_themes_toml_refuses_to_start_naming_file_and_field(settings, data_copy, edit, needles):
    """A typo in themes.toml stops the bot at start with an error naming the file, theme and field."""
    path = data_copy / "themes.toml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    bot = create_bot(Settings(database=settings.database.with_name("broken.db"), data_dir=data_copy))
    try:
        with pytest.raises(Exception) as caught:
            await bot.setup_hook()
    finally:
        await bot.close_store()
    message = str(caught.value)
    for needle in needles:
        assert needle in message, message


async def test_manifest_critic_becomes_quotable_and_replaces_unattributed_label(world, settings, data_copy, restart):
    """Setting a seed's critic in manifest.toml: /quote critic: works and its Unattributed label is gone."""
    review_id, key = seed(settings, 0)
    critics = last_reply_text(await world.mod.slash(world.channel, "critics"))
    assert f"Unattributed review #{review_id}" in critics
    set_manifest_field(data_copy, Path(key).stem, "critic", "Manohla Dargis")
    await restart(data_copy)
    quote = await world.alice.slash(world.channel, "quote", critic="Manohla Dargis")
    assert "Manohla Dargis" in last_reply_text(quote) and f"#{review_id}" in last_reply_text(quote)
    critics = last_reply_text(await world.mod.slash(world.channel, "critics"))
    assert "Manohla Dargis" in critics and f"Unattributed review #{review_id}" not in critics
    assert rows(settings.database, "SELECT id FROM reviews WHERE source_key = ?", (key,)) == [(review_id,)]


async def test_review_removed_from_manifest_disappears(world, settings, data_copy, restart):
    """A [[review]] deleted from manifest.toml is gone after a restart, with its passages."""
    review_id, key = seed(settings, 1)
    total = rows(settings.database, "SELECT count(*) FROM reviews")[0][0]
    drop_manifest_entry(data_copy, Path(key).stem)
    await restart(data_copy)
    assert rows(settings.database, "SELECT count(*) FROM reviews")[0][0] == total - 1
    assert rows(settings.database, "SELECT count(*) FROM passages WHERE review_id = ?", (review_id,)) == [(0,)]
    quote = await world.alice.slash(world.channel, "quote", critic=f"Unattributed review #{review_id}")
    assert quote.ephemeral
    critics = last_reply_text(await world.mod.slash(world.channel, "critics"))
    assert f"Unattributed review #{review_id}" not in critics


async def test_moderator_edit_beats_later_manifest_critic(world, settings, data_copy, restart):
    """A moderator's /review edit of a seed's critic survives a manifest change for that review."""
    review_id, key = seed(settings, 2)
    await world.mod.slash(world.channel, "review edit", review=str(review_id), critic="Mod Chosen")
    set_manifest_field(data_copy, Path(key).stem, "critic", "Manifest Name")
    set_manifest_field(data_copy, Path(key).stem, "outlet", "Manifest Outlet")
    await restart(data_copy)
    assert rows(settings.database, "SELECT critic, attribution_locked FROM reviews WHERE id = ?", (review_id,)) == [
        ("Mod Chosen", 1)
    ]
    quote = await world.alice.slash(world.channel, "quote", critic="Mod Chosen")
    assert "Mod Chosen" in last_reply_text(quote)
    missing = await world.alice.slash(world.channel, "quote", critic="Manifest Name")
    assert missing.ephemeral
