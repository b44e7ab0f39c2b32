"""QA pass 5: editing data/themes.toml and data/manifest.toml as an operator, Unicode names and text, CLI.

Every test works on a copy of the repo's data/ folder (never the real one), restarts as a new bot
object on the same database, and looks at what a member or moderator would see.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot import Settings, create_bot
from bot.config import DEFAULT_DATA_DIR

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def rows(db: Path, sql: str, params=()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def text_of(result) -> str:
    message = result.response if result.response is not None else result.followups[-1]
    parts = [message.content or ""]
    for embed in message.embeds:
        parts += [embed.title or "", embed.description or "", embed.footer.text or ""]
        parts += [f"{f.name} {f.value}" for f in embed.fields]
    return "\n".join(parts)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target, ignore=shutil.ignore_patterns("*.db", "*.db-*"))
    return target


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
    match = re.search(rf"\(`{re.escape(key)}`\): (\d+) passages", text_of(result))
    assert match, text_of(result)
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


# ------------------------------------------------------------------------------------------ themes.toml


async def test_new_theme_in_themes_toml_retags_after_restart_and_keeps_passage_ids(world, settings, data_copy, restart):
    """A theme added to themes.toml shows in /themes with passages after a restart; passage ids unchanged."""
    before = rows(settings.database, "SELECT id, review_id, ordinal, text FROM passages ORDER BY id")
    first = await world.mod.slash(world.channel, "themes")
    assert "stargazing" not in text_of(first)
    themes_file = data_copy / "themes.toml"
    themes_file.write_text(themes_file.read_text(encoding="utf-8") + NEW_THEME, encoding="utf-8")
    await restart(data_copy)
    shown = await world.mod.slash(world.channel, "themes")
    assert theme_count(shown, "stargazing") > 0
    after = rows(settings.database, "SELECT id, review_id, ordinal, text FROM passages ORDER BY id")
    assert after == before
    quote = await world.alice.slash(world.channel, "quote", theme="stargazing")
    assert not quote.ephemeral and "Stargazing" in text_of(quote), text_of(quote)


async def test_added_phrase_raises_existing_theme_count(world, settings, data_copy, restart):
    """A new weight-2 phrase on an existing theme tags more passages after a restart."""
    old = theme_count(await world.mod.slash(world.channel, "themes"), "los-angeles")
    toml = (data_copy / "themes.toml").read_text(encoding="utf-8")
    start = toml.index("[films.la-la-land.themes.los-angeles]")
    at = toml.index("phrases = [", start) + len("phrases = [")
    toml = toml[:at] + "\n  { pattern = '\\b(city|hollywood)\\b', weight = 5 }," + toml[at:]
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


# ---------------------------------------------------------------------------------------- manifest.toml


def set_manifest_field(data_dir: Path, file_stem: str, field: str, value: str) -> None:
    path = data_dir / "manifest.toml"
    toml = path.read_text(encoding="utf-8")
    start = toml.index(file_stem)
    at = toml.index(f'{field} = ""', start)
    toml = toml[:at] + f'{field} = "{value}"' + toml[at + len(f'{field} = ""'):]
    path.write_text(toml, encoding="utf-8")


def drop_manifest_entry(data_dir: Path, file_stem: str) -> None:
    path = data_dir / "manifest.toml"
    blocks = path.read_text(encoding="utf-8").split("[[review]]")
    kept = [b for b in blocks if file_stem not in b]
    assert len(kept) == len(blocks) - 1
    path.write_text("[[review]]".join(kept), encoding="utf-8")


def seed(settings, n: int) -> tuple[int, str]:
    return rows(settings.database, "SELECT id, source_key FROM reviews WHERE source='bundled' ORDER BY id")[n]


async def test_manifest_critic_becomes_quotable_and_replaces_unattributed_label(world, settings, data_copy, restart):
    """Setting a seed's critic in manifest.toml: /quote critic: works and its Unattributed label is gone."""
    review_id, key = seed(settings, 0)
    critics = text_of(await world.mod.slash(world.channel, "critics"))
    assert f"Unattributed review #{review_id}" in critics
    set_manifest_field(data_copy, Path(key).stem, "critic", "Manohla Dargis")
    await restart(data_copy)
    quote = await world.alice.slash(world.channel, "quote", critic="Manohla Dargis")
    assert "Manohla Dargis" in text_of(quote) and f"#{review_id}" in text_of(quote)
    critics = text_of(await world.mod.slash(world.channel, "critics"))
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
    critics = text_of(await world.mod.slash(world.channel, "critics"))
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
    assert "Mod Chosen" in text_of(quote)
    missing = await world.alice.slash(world.channel, "quote", critic="Manifest Name")
    assert missing.ephemeral


# ---------------------------------------------------------------------------------------------- Unicode

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
    assert "#" in text_of(added), text_of(added)
    for film in ("Amélie", "amélie", "Amélie (2001)"):
        quote = await world.alice.slash(world.channel, "quote", film=film)
        assert not quote.ephemeral and "Amélie" in text_of(quote), (film, text_of(quote))
    quote = await world.alice.slash(world.channel, "quote", critic="Zoë Ÿ 🎬")
    assert not quote.ephemeral and "Zoë Ÿ 🎬" in text_of(quote), text_of(quote)


async def test_non_ascii_case_is_ignored_in_film_and_critic(world):
    """/quote film:AMÉLIE and critic:"zoë ÿ 🎬" find Amélie by Zoë Ÿ 🎬 (case ignored beyond ASCII)."""
    await add(world, "Amélie", "Zoë Ÿ 🎬", AMELIE, year=2001)
    quote = await world.alice.slash(world.channel, "quote", film="AMÉLIE")
    assert not quote.ephemeral, text_of(quote)
    quote = await world.alice.slash(world.channel, "quote", critic="zoë ÿ 🎬")
    assert not quote.ephemeral, text_of(quote)


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
    assert not quote.ephemeral and "café" in text_of(quote), text_of(quote)
    found = await world.alice.slash(world.channel, "search", query="bicycle ending")
    assert "bicycle" in text_of(found).lower(), text_of(found)
    found = await world.alice.slash(world.channel, "search", query="montmartre cafe")
    assert "café" in text_of(found), text_of(found)


@pytest.mark.parametrize("body", [CJK, RTL], ids=["cjk", "rtl"])
async def test_cjk_and_rtl_reviews_are_segmented_or_refused_clearly(world, settings, body):
    """A Chinese or Arabic review is cut into passages at its own sentence punctuation."""
    result = await add(world, "Amélie", "Critique", body, year=2001)
    reply = text_of(result)
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
        assert result.ephemeral and "passage" in text_of(result).lower(), text_of(result)


# -------------------------------------------------------------------------------------------------- CLI


def cli(*args, env_extra=None, exe=(PY, "-m", "bot")):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FILMBOT_", "DISCORD_"))}
    env.update(env_extra or {})
    return subprocess.run([*exe, *args], check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def totals(out: str) -> tuple[int, int]:
    match = re.search(r"(\d+) reviews, (\d+) passages in total", out)
    assert match, out
    return int(match.group(1)), int(match.group(2))


def test_cli_import_force_rederives_without_duplicates(tmp_path, data_copy):
    """`import`, then `import --force`: same totals; `--env-file /dev/null` + FILMBOT_DATA_DIR honoured."""
    db = tmp_path / "cli.db"
    env = {"FILMBOT_DATA_DIR": str(data_copy)}
    first = cli("--env-file", "/dev/null", "import", "--database", str(db), env_extra=env)
    assert first.returncode == 0, first.stderr
    second = cli("--env-file", "/dev/null", "import", "--database", str(db), "--force", env_extra=env)
    assert second.returncode == 0, second.stderr
    assert totals(first.stdout) == totals(second.stdout)
    assert rows(db, "SELECT count(*) FROM (SELECT body_hash FROM reviews GROUP BY body_hash HAVING count(*) > 1)") == [(0,)]
    # the copied manifest is the one used: drop one review and import again
    key = rows(db, "SELECT source_key FROM reviews ORDER BY id")[0][0]
    drop_manifest_entry(data_copy, Path(key).stem)
    third = cli("--env-file", "/dev/null", "import", "--database", str(db), env_extra=env)
    assert third.returncode == 0, third.stderr
    assert totals(third.stdout)[0] == totals(first.stdout)[0] - 1


def test_cli_module_and_console_script_share_help():
    """`python -m bot --help` and `filmbot --help` print the same thing."""
    script = Path(PY).with_name("filmbot")
    if not script.exists():
        pytest.skip("filmbot console script not installed")
    module = cli("--help")
    console = cli("--help", exe=(str(script),))
    assert module.returncode == console.returncode == 0
    assert module.stdout.replace("__main__.py", "filmbot") == console.stdout
