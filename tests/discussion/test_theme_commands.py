"""/theme list, /theme question add|remove, /passage tag|untag: moderators own themes, in SQLite."""

from __future__ import annotations

from bot.corpus.bundle import import_bundled
from tests.helpers import (
    FOOTER,
    World,
    assert_ephemeral_reply,
    discuss_and_get_prompt,
    embed_of,
    film_theme,
    grant_hidden_commands,
    msgs,
    prompt_question,
    rows,
    table_digest,
    text_of,
)

NEW_QUESTION = "Would {film} still work if the last scene were cut?"


def prompt_questions(world: World) -> list[str]:
    found = []
    for m in world.bot_messages():
        if m.embeds and (m.embeds[0].title or "").startswith(("💬 Discuss", "⚖️ Debate")):
            found.append(prompt_question(m.embeds[0].description))
    return found


async def test_theme_list_shows_counts_and_questions_for_a_film(world: World, settings):
    """/theme list film:La La Land shows its themes (jazz too), counts and their questions naming the film."""
    text = text_of(await world.alice.slash(world.channel, "theme list", film="La La Land"))
    (count,) = rows(settings, "SELECT count(*) FROM passage_themes t JOIN passages p ON p.id = t.passage_id"
                              " WHERE theme = 'jazz' AND p.quotable = 1")[0]  # every passage is tagged; quotable counted
    assert f"(`jazz`): {count} passages" in text
    assert film_theme(world.bot, "ending").questions_for("La La Land")[0][:60] in text


async def test_a_refused_question_is_quoted_back_to_paste_again(world: World, settings):
    """A question too long for /theme question add comes back in the refusal (clipped), nothing stored."""
    before = table_digest(settings)
    typed = "Why does the last song matter so much? " * 8  # 312 characters, over 300
    r = await world.mod.slash(world.channel, "theme question add", theme="music", question=typed)
    said = text_of(r)
    assert r.ephemeral and "5 to 300 characters" in said
    assert "**question:** " + typed.strip() in said
    assert table_digest(settings) == before


async def test_added_question_is_asked_and_hidden_bundled_ones_never_are(world: World, settings):
    """After add + hiding every bundled ending question, /discuss asks only the moderator's question."""
    r = await world.mod.slash(world.channel, "theme question add", theme="ending", question=NEW_QUESTION)
    assert_ephemeral_reply(r, "Added")
    lala = film_theme(world.bot, "ending")
    for question in lala.questions_for("La La Land"):
        r = await world.mod.slash(world.channel, "theme question remove", theme="ending", question=question,
                                  film="La La Land")
        assert "no longer ask" in text_of(r), text_of(r)
    for _ in range(3):
        await world.alice.slash(world.channel, "discuss", theme="ending", film="La La Land")
    assert set(prompt_questions(world)) == {"Would La La Land still work if the last scene were cut?"}
    assert rows(settings, "SELECT count(*) FROM audit_log WHERE action LIKE 'theme.question.%'") == [
        (1 + len(lala.questions_for("La La Land")),)
    ]
    listed = text_of(await world.alice.slash(world.channel, "theme list", film="La La Land"))
    assert "➕ ||Would {film} still work" in listed and "~~||" in listed  # an ending question stays hidden


async def test_theme_list_footer_names_the_real_commands(world: World):
    """/theme list's footer names /theme question add and /theme question remove, not "add|remove"."""
    listed = await world.alice.slash(world.channel, "theme list")
    footer = embed_of(msgs(listed)[0]).footer.text
    assert footer.endswith("Moderators change them with /theme question add and /theme question remove."), footer


async def test_removing_an_added_question_deletes_it(world: World, settings):
    """remove of a moderator's own question deletes it; an unknown question is refused."""
    await world.mod.slash(world.channel, "theme question add", theme="nostalgia", question="Is {film} sentimental?")
    r = await world.mod.slash(world.channel, "theme question remove", theme="nostalgia", question="is {FILM} sentimental?")
    assert "Removed" in text_of(r)
    assert rows(settings, "SELECT count(*) FROM theme_questions") == [(0,)]
    r = await world.mod.slash(world.channel, "theme question remove", theme="nostalgia", question="Never asked?")
    assert "no such question" in text_of(r)


async def test_discuss_names_its_passage_as_quote_does_and_passage_takes_the_old_forms_too(world: World, settings):
    """/discuss's footer names its passage "Review #N · passage M", as /quote's does; /passage takes that, and the
    footers moderators may still have from before ("review #N, passage M"), and answers in the same form."""
    _, (prompt,) = await discuss_and_get_prompt(world, world.alice, theme="music")
    footer = embed_of(prompt).footer.text
    review, ordinal = (int(x) for x in FOOTER.search(footer).groups())
    assert footer == f"Reply in the thread · Review #{review} · passage {ordinal}", footer
    [(pid,)] = rows(settings, "SELECT id FROM passages WHERE review_id = ? AND ordinal = ?", (review, ordinal - 1))
    for typed in (f"review #{review}, passage {ordinal}", f"Review #{review} · passage {ordinal}"):
        r = await world.mod.slash(world.channel, "passage tag", passage=typed, theme="music")
        assert_ephemeral_reply(r, f"Review #{review} · passage {ordinal} is now tagged **")
    hidden = await world.mod.slash(world.channel, "passage hide", passage=f"review #{review}, passage {ordinal}")
    assert f"Review #{review} · passage {ordinal}" in text_of(hidden)
    assert rows(settings, "SELECT count(*) FROM passage_marks WHERE passage_id = ? AND hidden = 1", (pid,)) == [(1,)]


async def test_untag_stays_removed_after_forced_reimport_and_restart(world: World, settings):
    """/passage untag takes a wrong tag off; neither `import --force` nor a restart brings it back."""
    quoted = await world.alice.slash(world.channel, "quote", theme="ending")
    footer = embed_of(msgs(quoted)[0]).footer.text
    review, ordinal = (int(x) for x in FOOTER.search(footer).groups())
    [(pid,)] = rows(settings, "SELECT id FROM passages WHERE review_id = ? AND ordinal = ?", (review, ordinal - 1))
    tagged = "SELECT count(*) FROM passage_themes WHERE passage_id = ? AND theme = 'ending'"
    r = await world.mod.slash(world.channel, "passage untag", passage=footer, theme="ending")
    assert_ephemeral_reply(r, f"Review #{review} · passage {ordinal} is no longer tagged **The ending**.")
    assert rows(settings, tagged, (pid,)) == [(0,)]
    await world.env.restart_bot()
    bot = world.bot
    await import_bundled(bot.store, settings.data_dir, bot.themes, settings.themes_file, force=True)
    assert rows(settings, tagged, (pid,)) == [(0,)]
    assert rows(settings, "SELECT actor_id, action FROM audit_log WHERE target_id = ? AND target_type = 'passage'",
                (pid,)) == [(world.mod.id, "passage.untag")]
    await world.mod.slash(world.channel, "passage tag", passage=f"{review}/{ordinal}", theme="ending")
    await world.env.restart_bot()
    await import_bundled(world.bot.store, settings.data_dir, world.bot.themes, settings.themes_file, force=True)
    assert rows(settings, tagged, (pid,)) == [(1,)]


async def test_tag_adds_a_theme_the_tagger_missed_and_quote_finds_it(world: World, settings):
    """/passage tag puts a theme on a passage; /quote on that theme can now return it."""
    [(pid, review, ordinal)] = rows(
        settings,
        "SELECT p.id, p.review_id, p.ordinal FROM passages p WHERE p.quotable = 1 AND NOT EXISTS"
        " (SELECT 1 FROM passage_themes t WHERE t.passage_id = p.id AND t.theme = 'look') ORDER BY p.id LIMIT 1",
    )
    r = await world.mod.slash(world.channel, "passage tag", passage=f"Review #{review} · passage {ordinal + 1}",
                              theme="look")
    assert_ephemeral_reply(r, "now tagged")
    assert rows(settings, "SELECT score FROM passage_themes WHERE passage_id = ? AND theme = 'look'", (pid,))


async def test_passage_tag_refuses_another_films_theme(world: World, settings):
    """La La Land's own theme cannot be put on another film's passage."""
    await world.mod.slash(world.channel, "review add", film="Whiplash (2014)",
                          file=("w.txt", b"Whiplash is a loud, precise film about a drummer and his teacher."))
    [(review,)] = rows(settings, "SELECT id FROM reviews WHERE source = 'moderator'")
    before = table_digest(settings)
    r = await world.mod.slash(world.channel, "passage tag", passage=f"{review}/1", theme="jazz")
    assert "no theme called" in text_of(r).casefold() and table_digest(settings) == before


async def test_remove_autocompletes_the_themes_questions(world: World):
    """/theme question remove offers the theme's questions as shown, and added ones."""
    await world.mod.slash(world.channel, "theme question add", theme="look", question="Is {film} too pretty?")
    choices = await world.mod.autocomplete(world.channel, "theme question remove", "question", "", theme="look")
    values = [c["value"] for c in choices]
    assert "Is {film} too pretty?" in values and world.bot.themes["look"].questions[0] in values


async def test_passage_autocomplete_by_review_and_by_words_hides_spoilers(world: World, settings):
    """Moderators find a passage by its review number or by words in it; spoilers never show in clear."""
    [(review,)] = rows(settings, "SELECT MIN(review_id) FROM passages WHERE quotable = 1")
    quotable = rows(settings, "SELECT ordinal FROM passages WHERE review_id = ? AND quotable = 1 ORDER BY ordinal",
                    (review,))
    choices = await world.mod.autocomplete(world.channel, "passage tag", "passage", f"Review #{review}")
    assert [c["value"] for c in choices] == [f"{review}/{o + 1}" for (o,) in quotable][:25]
    assert all(c["name"].startswith(f"Review #{review} · passage ") and len(c["name"]) <= 100 for c in choices)
    # A passage with a spoiler theme or a spoiler reason (its text gives the ending away), or from a review marked
    # spoiler, is offered as [spoiler], never its words.
    spoilers = {key for key, theme in world.bot.themes.items() if theme.spoiler}
    hidden = {f"{r}/{o + 1}" for r, o, t, whole, reason in rows(
        settings, "SELECT p.review_id, p.ordinal, t.theme, r.spoiler, p.spoiler_reason FROM passages p JOIN reviews r"
        " ON r.id = p.review_id LEFT JOIN passage_themes t ON t.passage_id = p.id"
    ) if t in spoilers or whole or reason is not None}
    by_words = await world.mod.autocomplete(world.channel, "passage untag", "passage", "ending")
    assert by_words, "the seed reviews talk about the ending"
    for choice in choices + by_words:
        assert ("[spoiler]" in choice["name"]) == (choice["value"] in hidden), choice
    # The value is accepted as typed by /passage tag.
    r = await world.mod.slash(world.channel, "passage tag", passage=choices[0]["value"], theme="look")
    assert_ephemeral_reply(r, "tagged")
    # Members cannot use /passage, so they get no suggestions at all: Discord hides it from them, and when a
    # server shows it to them anyway (Integrations), the bot's own check still gives them nothing.
    assert "passage tag" not in world.alice.available_commands(world.channel)
    grant_hidden_commands(world, world.alice)
    assert await world.alice.autocomplete(world.channel, "passage tag", "passage", f"{review}") == []


async def test_question_added_after_prompts_is_asked_by_the_next_one(world: World):
    """Edits read into memory stay exact: a question added after the server's first prompts is asked next."""
    for _ in range(2):
        await world.alice.slash(world.channel, "discuss", theme="ending", film="La La Land")
    assert "Would La La Land still work if the last scene were cut?" not in prompt_questions(world)
    await world.mod.slash(world.channel, "theme question add", theme="ending", question=NEW_QUESTION)
    for question in film_theme(world.bot, "ending").questions_for("La La Land"):
        await world.mod.slash(world.channel, "theme question remove", theme="ending", question=question,
                              film="La La Land")
    await world.alice.slash(world.channel, "discuss", theme="ending", film="La La Land")
    asked = prompt_questions(world)
    assert len(asked) == 3 and asked.count("Would La La Land still work if the last scene were cut?") == 1


async def test_a_theme_list_too_long_for_one_message_never_cuts_a_spoiler_question_open(world: World):
    """25 long questions added to the ending (a spoiler theme) overflow /theme list: it is cut between lines
    and says so; no question is left with its opening || and no closing one (Discord would show it in clear)."""
    for i in range(25):
        question = f"Question {i:02d}: when the lovers part in the last scene, " + "does the epilogue betray them? " * 8
        await world.mod.slash(world.channel, "theme question add", theme="ending", question=question[:290])
    listed = await world.alice.slash(world.channel, "theme list", film="La La Land")
    assert listed.ephemeral
    description = embed_of(listed.response).description
    assert "more lines that do not fit" in description and len(description) <= 4000
    assert [line for line in description.splitlines() if line.count("||") % 2] == []


async def test_the_held_films_own_spoiler_question_is_held_back_in_the_list_of_every_film(world: World):
    """A moderator's ending question for La La Land only, while its screening is upcoming: `/theme list` without a
    film holds it back as `/theme list film:La La Land` does (not even behind spoiler bars); others' still show."""
    held, other = "Did the dance in {film} cost Mia her dream?", "Is the last shot of {film} a happy one at all?"
    await world.mod.slash(world.channel, "watchlist add", film="Whiplash", year=2014)
    await world.mod.slash(world.channel, "theme question add", theme="ending", question=held, film="La La Land")
    await world.mod.slash(world.channel, "theme question add", theme="ending", question=other, film="Whiplash (2014)")
    await world.mod.slash(world.channel, "filmnight schedule", film="La La Land", when="2026-01-05 20:00", where="x")
    for who in (world.alice, world.mod):
        listed = text_of(await who.slash(world.channel, "theme list"))
        assert "cost Mia her dream" not in listed and "held back until the screening ends" in listed, listed
        assert "||Is the last shot of {film} a happy one at all?|| *(only Whiplash (2014))*" in listed


async def test_a_question_with_spoiler_bars_under_a_theme_asked_in_clear_is_refused(world, settings):
    """`||…||` in a question added to a theme without spoilers: refused privately, nothing stored (its prompt's
    thread would have been named 'Who saw ||the ghost twist|| coming in {film}?': the spoiler in clear)."""
    before = table_digest(settings)
    r = await world.mod.slash(world.channel, "theme question add", theme="music",
                              question="Who saw ||the ghost twist|| coming in {film}?")
    assert r.ephemeral and "spoiler bars" in text_of(r) and "ghost" not in text_of(r), text_of(r)
    assert table_digest(settings) == before
    kept = await world.mod.slash(world.channel, "theme question add", theme="ending",
                                 question="Who saw ||the ghost twist|| coming in {film}?")
    assert "Added a question" in text_of(kept)
