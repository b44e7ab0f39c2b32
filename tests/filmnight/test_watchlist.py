"""/watchlist through simcord: suggestions, support, approval, removal, imports (all or nothing)."""

from __future__ import annotations

from tests.helpers import assert_no_pings, msgs, table_digest
from tests.helpers import rows as db


def text(result) -> str:
    return "\n".join((m.content or "") + "".join(e.description or "" for e in m.embeds) for m in msgs(result))


async def test_add_support_list_and_remove(world, settings):
    r = await world.alice.slash(world.channel, "watchlist add", film="Whiplash", year=2014, note="Drums! @everyone")
    assert r.ephemeral and "Added **Whiplash (2014)**" in text(r)
    await world.bob.slash(world.channel, "watchlist add", film="Paterson (2016)")
    again = await world.bob.slash(world.channel, "watchlist add", film="whiplash", year=2014)
    # Issue 24: adding a listed film backs it (20 members adding at once = one entry, 20 supporters).
    assert "already on the watchlist" in text(again) and "you now back it (2 in all)" in text(again)
    # The same film record reviews use: one row in films, title matched without case.
    assert db(settings, "SELECT count(*) FROM films WHERE title = 'Whiplash' COLLATE NOCASE") == [(1,)]
    assert "support" in text(await world.bob.slash(world.channel, "watchlist support", film="Paterson"))
    assert "You now support" in text(await world.alice.slash(world.channel, "watchlist support", film="Paterson (2016)"))
    twice = await world.alice.slash(world.channel, "watchlist support", film="Paterson")
    assert "already support" in text(twice)
    await world.mod.slash(world.channel, "watchlist support", film="Paterson")
    listed = await world.alice.slash(world.channel, "watchlist list")
    body = listed.response.embeds[0].description
    assert body.index("Paterson") < body.index("Whiplash") and "@\u200beveryone" in body
    refused = await world.bob.slash(world.channel, "watchlist remove", film="Whiplash")
    assert refused.ephemeral and "Only the member who suggested" in text(refused)
    assert "Removed" in text(await world.mod.slash(world.channel, "watchlist remove", film="Whiplash"))
    assert db(settings, "SELECT count(*) FROM audit_log WHERE action = 'watchlist.remove'") == [(1,)]
    assert_no_pings(world.env)


async def test_a_refused_note_is_quoted_back_to_paste_again(world, settings):
    """A note over 300 characters is refused with the note below the reason; nothing is added."""
    note = "Watch it for the drumming, @everyone. " * 9
    r = await world.alice.slash(world.channel, "watchlist add", film="Whiplash", year=2014, note=note)
    said = text(r)
    assert r.ephemeral and "under 300 characters" in said
    assert "**note:** Watch it for the drumming, @\u200beveryone." in said
    assert db(settings, "SELECT count(*) FROM watchlist") == [(0,)]
    assert_no_pings(world.env)


async def test_list_pages_survive_restart(world, settings):
    for n in range(23):
        await world.mod.slash(world.channel, "watchlist add", film=f"Film number {n}")
    listed = await world.alice.slash(world.channel, "watchlist list")
    assert "Page 1 of 3" in listed.response.embeds[0].footer.text
    await world.env.restart_bot()
    nxt = await world.alice.click(listed.response, label="Next ▶")
    assert "Page 2 of 3" in nxt.response.embeds[0].footer.text
    assert "11. Film number 10" in nxt.response.embeds[0].description


async def test_approval_buttons_in_log_channel(world, settings):
    log = world.guild.create_text_channel("mod-log")
    await world.mod.slash(world.channel, "config log-channel", channel=log)
    refused = await world.alice.slash(world.channel, "config watchlist-approval", state="on")
    assert refused.ephemeral and "Only moderators" in text(refused)
    await world.mod.slash(world.channel, "config watchlist-approval", state="on")
    r = await world.alice.slash(world.channel, "watchlist add", film="Aftersun", year=2022)
    assert "a moderator will approve" in text(r)
    assert db(settings, "SELECT status FROM watchlist") == [("pending",)]
    (pending,) = [m for m in log.history() if m.embeds]
    bob_try = await world.bob.click(pending, label="Approve")
    assert bob_try.ephemeral and "Only moderators" in text(bob_try)
    await world.env.restart_bot()
    await world.mod.click(pending, label="Approve")
    assert db(settings, "SELECT status FROM watchlist") == [("active",)]
    assert db(settings, "SELECT count(*) FROM audit_log WHERE action = 'watchlist.approve'") == [(1,)]


async def test_decided_suggestion_in_the_log_channel_no_longer_awaits_approval(world):
    """Approving or rejecting edits the log message's title to the verdict and disables the buttons."""
    log = world.guild.create_text_channel("mod-log")
    await world.mod.slash(world.channel, "config log-channel", channel=log)
    await world.mod.slash(world.channel, "config watchlist-approval", state="on")
    await world.alice.slash(world.channel, "watchlist add", film="Aftersun", year=2022)
    await world.bob.slash(world.channel, "watchlist add", film="Tár", year=2022)
    aftersun, tar = sorted((m for m in log.history() if m.embeds), key=lambda m: m.id)
    await world.mod.click(aftersun, label="Approve")
    await world.mod.click(tar, label="Reject")
    titles = {m.id: m.embeds[0].title for m in log.history() if m.embeds}
    assert titles == {aftersun.id: "Watchlist suggestion approved ✅", tar.id: "Watchlist suggestion rejected ❌"}
    assert "Aftersun (2022)" in next(m for m in log.history() if m.id == aftersun.id).embeds[0].description


async def test_watchlist_of_one_film_counts_in_plain_english(world):
    """One film with no one backing it reads "1 film" and "0 supporters", not "1 films" and "0 support"."""
    await world.alice.slash(world.channel, "watchlist add", film="Whiplash", year=2014)
    embed = (await world.alice.slash(world.channel, "watchlist list")).response.embeds[0]
    assert "· 1 film ·" in embed.footer.text
    assert " support ·" not in embed.description and "supporter" in embed.description


CSV = (
    "Date,Name,Year,Letterboxd URI\n"
    "2024-01-02,Past Lives,2023,https://boxd.it/a\n"
    "2024-01-03,\"Crouching Tiger, Hidden Dragon\",2000,https://boxd.it/b\n"
    "2024-01-04,Past Lives,2023,https://boxd.it/a\n"
)


async def test_import_letterboxd_and_plain_all_or_nothing(world, settings):
    await world.mod.slash(world.channel, "watchlist add", film="Past Lives", year=2023)
    denied = await world.alice.slash(world.channel, "watchlist import", file=("w.csv", CSV.encode()))
    assert denied.ephemeral and "Only moderators" in text(denied)
    done = await world.mod.slash(world.channel, "watchlist import", file=("w.csv", CSV.encode()))
    assert "1 added, 2 duplicates, 0 rejected" in text(done)
    plain = await world.mod.slash(world.channel, "watchlist import", file=("w.txt", b"Tampopo\nYi Yi (2000)\n"))
    assert "2 added" in text(plain)
    before = table_digest(settings)
    for bad, why in (
        (b"Fine film\n=cmd|' /C calc'!A0\n", "formula"),
        ("Café".encode("latin-1"), "not UTF-8"),
        ("\n".join(f"Film {n}" for n in range(10_000)).encode(), "limited to"),
        (b"", "no films"),
    ):
        result = await world.mod.slash(world.channel, "watchlist import", file=("bad.txt", bad))
        assert result.ephemeral and why in text(result), text(result)
    assert table_digest(settings) == before


async def test_a_note_keeps_the_members_spoiler_bars_hidden(world):
    """A note's own `||…||` stays a spoiler in /watchlist list and in the moderators' approval (it was escaped,
    so the words the member hid showed in clear); an unclosed `||` hides the rest; the rest stays escaped."""
    log = world.guild.create_text_channel("mod-log")
    await world.mod.slash(world.channel, "config log-channel", channel=log)
    await world.mod.slash(world.channel, "config watchlist-approval", state="on")
    await world.mod.slash(world.channel, "watchlist add", film="Whiplash", note="The **drums** ||he was dead all along||")
    await world.mod.slash(world.channel, "watchlist add", film="Paterson", note="Quiet, then ||the notebook is lost")
    await world.alice.slash(world.channel, "watchlist add", film="Arrival", note="Wait for ||the daughter||, really")
    body = (await world.alice.slash(world.channel, "watchlist list")).response.embeds[0].description
    assert "The \\*\\*drums\\*\\* ||he was dead all along||" in body
    assert "Quiet, then ||the notebook is lost||" in body
    (pending,) = [m for m in log.history() if m.embeds]
    assert "> Wait for ||the daughter||, really" in pending.embeds[0].description
    assert_no_pings(world.env)


async def test_a_note_of_invisible_characters_is_no_note(world, settings):
    """Zero-width spaces and bidi overrides are dropped from a note (as from takes): one made only of them was
    stored and listed as an empty line under the film."""
    await world.alice.slash(world.channel, "watchlist add", film="Whiplash", note="\u200b\u200b\ufeff\u202e")
    await world.bob.slash(world.channel, "watchlist add", film="Paterson", note="Quiet \u202eenil\u202c poems")
    assert [tuple(r) for r in db(settings, "SELECT note FROM watchlist ORDER BY id")] == [(None,), ("Quiet enil poems",)]


async def test_a_title_hiding_words_behind_spoiler_bars_is_refused(world, settings):
    """/watchlist add 'Se7en ||the head is in the box||': refused privately, nothing stored. It became a film
    whose title every film picker (and the watchlist, escaped) showed with the member's spoiler in clear."""
    before = table_digest(settings)
    r = await world.alice.slash(world.channel, "watchlist add", film="Se7en ||the head is in the box||")
    assert r.ephemeral and "spoiler bars" in text(r) and "head" not in text(r), text(r)
    assert table_digest(settings) == before
    choices = await world.bob.autocomplete(world.channel, "rate film", "film", "Se7en")
    assert not [c for c in choices if "head" in c["name"]]


async def test_an_import_rejection_is_escaped_once(world, settings):
    """A rejected row's reason reads as the refusal of that one row does: its member text escaped once (it was
    escaped again, so a year '-5' showed as '\\-5' and the `film:<id>` code as a backslash and a backtick)."""
    csv = b"Name,Year\nHeat,-5\nfilm:-1,2001\n"
    result = await world.mod.slash(world.channel, "watchlist import", file=("w.csv", csv))
    shown = text(result)
    assert "line 2: \u201c\\-5\u201d is not a film year" in shown, shown
    assert "(`film:<id>`)" in shown and "\\\\" not in shown, shown


async def test_an_import_with_a_cell_over_the_csv_limit_is_refused_clearly(world, settings):
    """A quote opened and never closed in a big Letterboxd file (the rest of the file one cell), one cell of
    140,000 characters, or a plain file of one 250,000-character line: a private refusal that says which line,
    nothing stored (Python's csv reader stops at 131,072 characters a cell: 'Something went wrong' before)."""
    before = table_digest(settings)
    header = b"Date,Name,Year,Letterboxd URI\n2020-01-01,Whiplash,2014,x\n"
    for bad, why in ((header + b'2020-01-01,"' + b"a" * 200_000 + b"\n", "line 3"),
                     (header + b'2020-01-01,"' + b"a" * 140_000 + b'",2020,x\n', "line 3"),
                     (b"x" * 250_000, "line 1")):
        result = await world.mod.slash(world.channel, "watchlist import", file=("big.csv", bad))
        assert result.ephemeral and why in text(result) and "Nothing was imported" in text(result), text(result)
        assert "went wrong" not in text(result)
    assert table_digest(settings) == before
    assert not world.env.errors, world.env.errors[:1]


async def test_a_suggestion_awaiting_approval_holds_back_its_notes_spoiler_of_the_gated_film(world, settings):
    """While a screening of La La Land waits, a suggestion of it in the moderators' log channel leaves out what
    the member hid behind `||` in the note (not merely hidden: not sent), saying until when; so does the edited
    message once approved. The note is stored whole."""
    log = world.guild.create_text_channel("mod-log")
    await world.mod.slash(world.channel, "config log-channel", channel=log)
    await world.mod.slash(world.channel, "config watchlist-approval", state="on")
    scheduled = await world.mod.slash(world.channel, "filmnight schedule", film="La La Land",
                                      when="2026-01-06 20:00", where="x")
    assert db(settings, "SELECT count(*) FROM screenings") == [(1,)], text(scheduled)
    removed = await world.mod.slash(world.channel, "watchlist remove", film="La La Land")  # scheduling listed it
    assert "Removed" in text(removed), text(removed)
    start = len(world.env.http_requests)
    r = await world.alice.slash(world.channel, "watchlist add", film="La La Land", note="Wow ||Mia leaves||")
    assert "a moderator will approve" in text(r)
    (pending,) = [m for m in log.history() if m.embeds]
    description = pending.embeds[0].description
    assert "Wow" in description and "held back" in description and "<t:" in description, description
    await world.mod.click(pending, label="Approve")
    decided = next(m for m in log.history() if m.id == pending.id).embeds[0]
    assert decided.title.startswith("Watchlist suggestion approved") and "held back" in decided.description
    assert not any("Mia leaves" in str(request) for request in world.env.http_requests[start:])
    assert db(settings, "SELECT note FROM watchlist") == [("Wow ||Mia leaves||",)]


async def test_a_pick_refused_for_too_few_films_points_at_suggestions_awaiting_approval(world, settings):
    """One film listed, two members' suggestions waiting: the refusal counts both and names /watchlist pending;
    with none waiting it says only how many films a pick needs. Nothing is stored either time."""
    await world.mod.slash(world.channel, "config watchlist-approval", state="on")
    await world.mod.slash(world.channel, "watchlist add", film="Hollow Pines", year=2019)
    before = table_digest(settings)
    refused = await world.mod.slash(world.channel, "filmnight pick")
    assert refused.ephemeral and refused.response.content == (
        "A pick needs at least 2 films on the watchlist, and it has 1. Add films with `/watchlist add` first.")
    assert table_digest(settings) == before
    await world.alice.slash(world.channel, "watchlist add", film="Whiplash", year=2014)
    await world.bob.slash(world.channel, "watchlist add", film="Arrival", year=2016)
    refused = await world.mod.slash(world.channel, "filmnight pick")
    assert refused.response.content == (
        "A pick needs at least 2 films on the watchlist, and it has 1 (2 suggestions still wait for approval:"
        " approve them in `/watchlist pending`). Add films with `/watchlist add` first.")
    assert db(settings, "SELECT count(*) FROM filmnight_picks")[0][0] == 0
