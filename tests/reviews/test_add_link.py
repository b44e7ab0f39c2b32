"""/review add-link through simcord: a loopback review site, the private preview, Save / Edit details /
Cancel, duplicates, restarts, refusals (members, hostile links) with nothing stored."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
import socket
import unicodedata

import pytest
from lxml import html as lxml_html

from bot import Settings
from tests.helpers import (
    REVIEW_PAGES,
    assert_ephemeral_reply,
    assert_no_pings,
    burst,
    buttons,
    check_all_payloads,
    least_loop_gap,
    message_payloads,
    msgs,
    table_digest,
)

LABELS = {k: v for k, v in json.loads((REVIEW_PAGES / "labels.json").read_text(encoding="utf-8")).items()
          if not k.startswith("_")}


@pytest.fixture
def settings(settings, review_site) -> Settings:
    """The bot's fetcher may reach the loopback review site, nothing else private; a short timeout. On the
    conftest's database (SQLite, or PostgreSQL under FILMBOT_TEST_DATABASE)."""
    return dataclasses.replace(settings, fetch_allow=review_site.allow, fetch_timeout=3.0)


@pytest.fixture(autouse=True)
def _patient(world):
    world.env.settle_timeout = 60.0  # the first extraction forks the worker and imports trafilatura


def _norm(text: str) -> str:
    return re.sub(r"\W+", "", unicodedata.normalize("NFKC", text).casefold())


def labelled(name: str) -> tuple[list[str], list[str]]:
    """(article paragraphs, furniture texts) of a page, from its XPath labels."""
    label = LABELS[name]
    path = REVIEW_PAGES / f"{name}.html"
    tree = lxml_html.fromstring(path.read_bytes())
    article = [" ".join(p.text_content().split()) for p in tree.xpath(label["article"])]
    junk = [" ".join(e.text_content().split()) for xp in label["junk"] for e in tree.xpath(xp)]
    return article, [j for j in junk if len(j) >= 20]


async def add_link(world, url: str, who=None, **options):
    return await (who or world.mod).slash(world.channel, "review add-link", url=url, **options)


def preview_message(result):
    return msgs(result)[-1]


async def save(world, result, who=None):
    message = preview_message(result)
    assert [b["label"] for b in buttons(message)] == ["Save", "Edit details", "Cancel"]
    return await (who or world.mod).click(message, label="Save")


async def test_newspaper_page_previews_privately_then_saves_and_is_quotable_at_once(world, review_site):
    """Preview shows critic, outlet, date, film, counts, themes, first passage; Save stores it, audited."""
    url = review_site.url("/page/newspaper")
    result = await add_link(world, url)
    text = assert_ephemeral_reply(result, "Preview", "Maria Lopez", "The Daily Frame", "2014-10-16",
                                  "Whiplash", "quotable", "Themes found", "First quotable passage")
    assert world.count("reviews", "url = ?", url) == 0, "nothing is stored before Save"
    saved = await save(world, result)
    assert "Added review" in msgs(saved)[-1].content
    ((review_id, critic, outlet, published, fetched_at, key, film),) = world.q(
        "SELECT r.id, critic, outlet, published, fetched_at, url_key, f.title FROM reviews r"
        " JOIN films f ON f.id = r.film_id WHERE url = ?", url)
    assert (critic, outlet, published, film) == ("Maria Lopez", "The Daily Frame", "2014-10-16", "Whiplash")
    assert fetched_at and key and "There are films about music" in text
    assert world.count("audit_log", "target_id = ? AND action = 'add-link'", review_id) == 1
    quote = await world.alice.slash(world.channel, "quote", film="Whiplash")
    assert f"Review #{review_id}" in quote.response.embeds[0].footer.text
    assert world.count("review_drafts") == 0
    check_all_payloads(world.env)
    assert_no_pings(world.env)


async def test_a_film_picked_from_the_autocomplete_list_is_that_film_not_a_new_one(world, review_site):
    """Suspiria (1977) and its remake reviewed; the moderator picks the remake from `film:`'s list (the choice's
    value is `film:<id>`): the review is the remake's, no film called "film:3" appears in the catalogue."""
    for year in (1977, 2018):
        text = (f"Suspiria ({year}) is a dance-academy horror film with a howling score and wild colours. The"
                f" performances are fierce, and the {year} cut is a strange, cold nightmare from end to end.")
        await world.mod.slash(world.channel, "review add", film="Suspiria", year=year, file=("s.txt", text.encode()))
    choices = await world.mod.autocomplete(world.channel, "review add-link", "film", "susp")
    remake = next(c["value"] for c in choices if c["name"].startswith("Suspiria (2018)"))
    result = await add_link(world, review_site.url("/text"), film=remake)
    assert "Suspiria (2018)" in preview_message(result).content, preview_message(result).content
    await save(world, result)
    assert world.q("SELECT f.title, f.year FROM reviews r JOIN films f ON f.id = r.film_id WHERE r.url_key IS NOT NULL"
                   ) == [("Suspiria", 2018)]
    assert world.count("films", "title LIKE 'film:%'") == 0


async def test_a_page_naming_a_title_two_catalogued_films_share_is_not_guessed(world, review_site):
    """Whiplash of 2013 (the short) and of 2014 reviewed: the newspaper page ('Whiplash', no year) is not filed
    under the first of them; the moderator is asked to say which with film:, and that is what is saved."""
    for year in (2013, 2014):
        text = (f"Whiplash ({year}) is a film about a drummer and his teacher, loud and fierce. The jazz of the"
                f" {year} cut is electric from the first bar to the last.")
        await world.mod.slash(world.channel, "review add", film="Whiplash", year=year, file=("w.txt", text.encode()))
    asked = await add_link(world, review_site.url("/page/newspaper"))
    assert_ephemeral_reply(asked, "Whiplash (2013), Whiplash (2014)", "film:")
    assert world.count("review_drafts") == 0
    await save(world, await add_link(world, review_site.url("/page/newspaper"), film="Whiplash (2014)"))
    assert world.q("SELECT f.year FROM reviews r JOIN films f ON f.id = r.film_id WHERE r.url_key IS NOT NULL"
                   ) == [(2014,)]


async def test_preview_hides_a_first_passage_the_text_rules_hide(world, review_site):
    """The preview's first quotable passage is a reveal ("framed for the murder of his own team", no spoiler theme):
    it is behind spoiler bars, as every quote of it will be, and counted among the spoiler passages."""
    result = await add_link(world, review_site.url("/page/reveal"))
    text = preview_message(result).content
    assert "framed for the murder" in text, text
    assert "framed for the murder" not in re.sub(r"\|\|.*?\|\|", "", text, flags=re.DOTALL), text
    assert "spoiler passages: 0" not in text


@pytest.mark.parametrize("name", sorted(LABELS))
async def test_stored_passages_hold_the_article_and_none_of_the_page_furniture(world, review_site, name):
    """Per-page labels: ≥ 95 % of the article's paragraphs stored, no nav/ads/captions/promos/comments;
    the page's own critic, outlet and date kept, and the right film found."""
    label = LABELS[name]
    result = await add_link(world, review_site.url(f"/page/{name}"))
    await save(world, result)
    ((review_id, critic, outlet, published, film, year),) = world.q(
        "SELECT r.id, critic, outlet, published, f.title, f.year FROM reviews r JOIN films f ON f.id = r.film_id"
        " WHERE r.url_key IS NOT NULL")
    stored = _norm(" ".join(row[0] for row in world.q(
        "SELECT text FROM passages WHERE review_id = ? ORDER BY ordinal", review_id)))
    article, junk = labelled(name)
    held = [p for p in article if _norm(p) in stored]
    assert len(held) >= 0.95 * len(article), [p[:60] for p in article if p not in held]
    assert [j[:60] for j in junk if _norm(j) in stored] == []
    assert (critic, outlet, published) == (label["critic"], label["outlet"], label["date"])
    assert (film, year) == (label["film"], label["year"])


async def test_gzip_redirect_chain_and_plain_text_pages_are_read(world, review_site):
    """A gzip page, a page three redirects away (stored under its final URL) and a text/plain review."""
    for path, film in (("/page/newspaper?gz=1", "Whiplash"), ("/hop/3", "La La Land"), ("/text", "Paterson")):
        options = {"film": film} if path == "/text" else {}
        result = await add_link(world, review_site.url(path), **options)
        assert "Preview" in preview_message(result).content, preview_message(result).content
        await save(world, result)
    urls = {row[0] for row in world.q("SELECT url FROM reviews WHERE url_key IS NOT NULL")}
    assert review_site.url("/hop/0") in urls and review_site.url("/text") in urls
    assert world.q("SELECT critic FROM reviews WHERE url = ?", review_site.url("/text"))[0][0] is None


@pytest.mark.parametrize(("page", "declared", "needle"), [
    ("latin1", "utf-8", "Élodie Marchand"),  # a Windows-1252 page declared UTF-8: was "�Lodie", "g�ant"
    ("blog", "iso-8859-1", "Chazelle’s craft"),  # a UTF-8 page declared Latin-1: was "Chazelleâ\x80\x99s"
])
async def test_a_page_whose_header_declares_the_wrong_charset_is_read_in_its_real_one(
    world, review_site, page, declared, needle
):
    """A Content-Type charset that does not match the bytes: the preview and the stored passages hold the
    page's real text, no replacement character and no mojibake."""
    result = await add_link(world, review_site.url(f"/page/{page}?charset={declared}"))
    assert needle in preview_message(result).content
    await save(world, result)
    stored = " ".join(text for (text,) in world.q("SELECT text FROM passages"))
    stored += " ".join(str(c) for (c,) in world.q("SELECT critic FROM reviews WHERE url_key IS NOT NULL"))
    assert "\ufffd" not in stored and "â\x80" not in stored and "Ã" not in stored
    assert not world.env.errors


@pytest.mark.parametrize(("path", "needle"), [
    ("/status/429?retry=120", "try again in 2 min"),
    ("/status/429", "try again later"),
    ("/status/503?retry=30", "try again in 30 s"),
    ("/status/429?retry=%C2%B2", "try again later"),  # '²': a digit to str.isdigit, not to int()
    ("/status/429?retry=" + "9" * 40, "try again later"),  # was 'in 2777777777777777715244717318223167488 h'
    ("/status/500", "having trouble (HTTP 500)"),
    ("/status/502", "having trouble (HTTP 502)"),
])
async def test_a_busy_or_failing_site_is_named_with_when_to_try_again(world, review_site, path, needle):
    """429 (with or without Retry-After) and 5xx: one private line saying so and when to try again, not
    'there is no page to read'; nothing stored, no draft."""
    before = table_digest(world.db_path)
    result = await add_link(world, review_site.url(path))
    text = assert_ephemeral_reply(result, needle, "nothing was stored")
    assert "\n" not in text.strip() and table_digest(world.db_path) == before
    assert not world.env.errors


async def test_a_site_that_is_down_is_named_as_down(world, review_site):
    """Connection refused (nothing listening on the port): one private line saying the site is down and to
    try later; nothing stored."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    world.bot.settings = dataclasses.replace(world.bot.settings, fetch_allow=(f"127.0.0.1:{port}",))
    before = table_digest(world.db_path)
    result = await add_link(world, f"http://127.0.0.1:{port}/review")
    assert_ephemeral_reply(result, "site is down", "nothing was stored", "try again later")
    assert table_digest(world.db_path) == before and not world.env.errors


@pytest.mark.parametrize("query", ["film=%7C%7CThe%20twist%7C%7C", "film=%40everyone", "film_x=500&film=M"])
async def test_a_film_name_in_page_data_the_catalogue_would_refuse_is_not_taken(world, review_site, query):
    """A page whose structured data names the film `||The twist||`, `@everyone` or 500 characters: that name
    is not taken (it was: a film titled with spoiler bars; a refusal 'The film title is 500 characters long'
    of a title the moderator never typed); asked for `film:` instead, nothing stored."""
    before = table_digest(world.db_path)
    result = await add_link(world, review_site.url(f"/ld?{query}"))
    assert_ephemeral_reply(result, "I can't tell which film", "`film:`")
    assert table_digest(world.db_path) == before and not world.env.errors


async def test_same_article_twice_is_refused_as_already_in_the_corpus(world, review_site):
    """Tracking parameters, a trailing slash, a fragment or https do not make it a new article."""
    await save(world, await add_link(world, review_site.url("/page/blog")))
    before = table_digest(world.db_path)
    for variant in ("/page/blog/?utm_source=newsletter&fbclid=x#comments", "/page/blog?gclid=1"):
        result = await add_link(world, review_site.url(variant))
        assert_ephemeral_reply(result, "already in the corpus as review #")
    assert table_digest(world.db_path) == before


async def test_page_without_a_byline_is_stored_unattributed(world, review_site):
    """No author on the page: no critic invented (the text file's first line is not a byline)."""
    result = await add_link(world, review_site.url("/text"), film="Paterson (2016)")
    assert "none on the page" in preview_message(result).content
    await save(world, result)
    assert world.q("SELECT critic, outlet FROM reviews WHERE url_key IS NOT NULL") == [(None, None)]


async def test_edit_details_changes_what_is_saved(world, review_site):
    """Edit details: a new critic, outlet, date and film redraw the preview; Save stores them."""
    result = await add_link(world, review_site.url("/page/jsonld"))
    shown = await world.mod.click(preview_message(result), label="Edit details")
    assert shown.modal is not None and len(shown.modal["title"]) <= 45
    edited = await world.mod.submit_modal(shown, {
        "filmbot:review:linkedit:film": "Moonlight (2016)",
        "filmbot:review:linkedit:critic": "S. Okafor",
        "filmbot:review:linkedit:outlet": "",
        "filmbot:review:linkedit:date": "2016-10-22",
    })
    message = msgs(edited)[-1]
    assert "S. Okafor" in message.content and "Moonlight (2016)" in message.content
    await world.mod.click(message, label="Save")
    assert world.q("SELECT critic, outlet, published, f.title, f.year FROM reviews r JOIN films f"
                   " ON f.id = r.film_id WHERE url_key IS NOT NULL") == [
        ("S. Okafor", None, "2016-10-22", "Moonlight", 2016)]


async def test_cancel_stores_nothing_and_drops_the_preview(world, review_site):
    """Cancel: the buttons go, the draft (with its text) is deleted, no review is stored."""
    result = await add_link(world, review_site.url("/page/blog"))
    cancelled = await world.mod.click(preview_message(result), label="Cancel")
    assert "nothing was stored" in msgs(cancelled)[-1].content and not buttons(msgs(cancelled)[-1])
    assert world.count("reviews", "url_key IS NOT NULL") == 0 and world.count("review_drafts") == 0


async def test_save_and_cancel_pressed_at_once_never_say_nothing_was_stored_of_a_stored_review(world, review_site):
    """Save and Cancel of one preview at once: whichever wins, the other is told so; a Cancel that said
    "nothing was stored" stored nothing (it did: Save had read the draft before Cancel deleted it)."""
    message = preview_message(await add_link(world, review_site.url("/page/blog")))
    before = len(message_payloads(world.env))
    await burst(world.env, [lambda: world.mod.click(message, label="Save"),
                            lambda: world.mod.click(message, label="Cancel")])
    said = [body.get("content") or "" for body in message_payloads(world.env)[before:]]
    stored = world.count("reviews", "url_key IS NOT NULL")
    cancelled = any("Cancelled: nothing was stored." in text for text in said)
    assert stored == (0 if cancelled else 1), said
    assert any("already saved or cancelled" in text for text in said), said  # the loser is told
    assert world.count("review_drafts") == 0 and not world.env.errors


async def test_preview_buttons_survive_a_restart(world, review_site):
    """The preview's Save works after the bot restarts (the draft, text included, is in SQLite)."""
    result = await add_link(world, review_site.url("/page/blog"))
    message = preview_message(result)
    await world.env.restart_bot()
    await world.mod.click(message, label="Save")
    assert world.count("reviews", "url_key IS NOT NULL") == 1


async def test_member_is_refused_and_nothing_is_fetched(world, review_site):
    """Only moderators add reviews: a member's link is not even requested."""
    before, requests = table_digest(world.db_path), len(review_site.requests)
    result = await add_link(world, review_site.url("/page/blog?member=1"), who=world.alice)
    assert_ephemeral_reply(result, "Only moderators")
    assert table_digest(world.db_path) == before
    assert not any("member=1" in r["path"] for r in review_site.requests[requests:])


def hostile(site) -> list[tuple[str, str]]:
    to = site.url("/to?u=")
    return [
        (to + "http://127.0.0.1/", "loopback"),
        (to + "http://[::1]/", "loopback"),
        (to + "http://169.254.169.254/latest/meta-data/", "link-local"),
        (to + "http://0.0.0.0/", "unspecified"),
        (to + "http://2130706433/", "non-standard"),
        (f"http://localhost:{site.port}/page/blog", "resolves to"),
        (site.url("/big"), "larger than 2 MB"),
        (site.url("/bomb"), "larger than 2 MB"),
        (site.url("/drip"), "within 3 s"),
        (site.url("/image"), "not a web page"),
        (site.url("/hop/10"), "more than 5 times"),
        (site.url("/nested"), "no article text"),
        (site.url("/frontpage"), "not a review article"),
        (site.url("/page/paywall"), "paywalled"),
        ("http://user:pw@example.com/review", "password"),
        ("file:///etc/passwd", "Only http"),
        ("ftp://example.com/review.txt", "Only http"),
    ]


async def test_hostile_links_are_refused_with_one_line_nothing_stored_loop_never_stalls(world, review_site):
    """Each hostile link: one clear private line, no row written, no loop gap over 100 ms."""
    await add_link(world, review_site.url("/page/blog"))  # warm the worker: fork + import are not the case
    before = table_digest(world.db_path)
    for url, needle in hostile(review_site):
        gap, result = await least_loop_gap(lambda url=url: add_link(world, url))
        assert not isinstance(result, Exception), (url, result)
        text = assert_ephemeral_reply(result, needle)
        assert "\n" not in text.strip(), (url, text)
        assert table_digest(world.db_path) == before, url
        assert gap < 0.1, f"{url}: the event loop stalled for {gap * 1000:.0f} ms"


async def test_spoiler_review_preview_hides_its_first_passage(world, review_site):
    """spoiler:True: the preview's first quotable passage is behind spoiler tags, and so are its quotes."""
    result = await add_link(world, review_site.url("/page/blog"), spoiler=True)
    content = preview_message(result).content
    assert "> ||" in content and content.rstrip().endswith("||") and "marked as a spoiler" in content
    await save(world, result)
    assert world.q("SELECT spoiler FROM reviews WHERE url_key IS NOT NULL") == [(1,)]


async def test_a_save_that_takes_over_three_seconds_is_acknowledged_in_time(quick_ack, world, review_site,
                                                                            monkeypatch):
    """Save whose segmenting takes 3.2 s of real time (a 100 KB review on a loaded machine; here scaled down with
    ACK_AFTER by tests/conftest quick_ack): the click is acknowledged (deferred update) after ACK_AFTER instead of
    answered after Discord's 3 s; the preview then
    becomes 'Added review', the review is stored once."""
    import time

    from bot.reviews import link_views

    result = await add_link(world, review_site.url("/page/blog"))
    real = link_views.prepared

    async def slow(bot, draft):
        await asyncio.to_thread(time.sleep, quick_ack)
        return await real(bot, draft)

    monkeypatch.setattr(link_views, "prepared", slow)
    before = len(world.env.backend.http_requests)
    saved = await save(world, result)
    callbacks = [r.json["type"] for r in world.env.backend.http_requests[before:] if r.path.endswith("/callback")]
    assert callbacks == [6], callbacks
    [shown] = msgs(saved)
    assert shown.content.startswith("Added review") and not buttons(shown)
    assert world.count("reviews", "url_key IS NOT NULL") == 1 and world.count("review_drafts") == 0
    assert not world.env.errors


async def test_edit_details_that_take_over_three_seconds_are_acknowledged_in_time(quick_ack, world, review_site,
                                                                                  monkeypatch):
    """Edit details whose new preview takes 3.2 s of real time (scaled down, quick_ack): the form is acknowledged
    (deferred update) after ACK_AFTER; the preview is then redrawn with the new critic and still saves."""
    import time

    from bot.reviews import links

    result = await add_link(world, review_site.url("/page/jsonld"))
    shown = await world.mod.click(preview_message(result), label="Edit details")
    real = links.prepare

    def slow(*args):
        time.sleep(quick_ack)
        return real(*args)

    monkeypatch.setattr(links, "prepare", slow)
    before = len(world.env.backend.http_requests)
    edited = await world.mod.submit_modal(shown, {
        "filmbot:review:linkedit:film": "Moonlight (2016)", "filmbot:review:linkedit:critic": "S. Okafor",
        "filmbot:review:linkedit:outlet": "", "filmbot:review:linkedit:date": "2016-10-22",
    })
    callbacks = [r.json["type"] for r in world.env.backend.http_requests[before:] if r.path.endswith("/callback")]
    assert callbacks == [6], callbacks
    monkeypatch.setattr(links, "prepare", real)
    message = msgs(edited)[-1]
    assert "S. Okafor" in message.content
    await world.mod.click(message, label="Save")
    assert world.q("SELECT critic FROM reviews WHERE url_key IS NOT NULL") == [("S. Okafor",)]
    assert not world.env.errors


async def test_edit_details_whose_form_cannot_open_in_time_answers_privately(quick_ack, world, review_site,
                                                                             monkeypatch):
    """Edit details opens a form, which cannot follow a defer: a click whose draft read outlasts FORM_GIVE_UP (real
    time; here 0.4 s, tests/conftest quick_ack, Discord's limit being 3 s) is answered privately 'press the button again' in time, and the
    late form is not sent (bot/core/slow.acknowledged_component, expect_form). It opened the form late before."""
    import asyncio
    import time

    from bot.reviews import link_views

    result = await add_link(world, review_site.url("/page/jsonld"))
    real = link_views.load_draft

    async def slow_read(*args):
        await asyncio.to_thread(time.sleep, 0.7)
        return await real(*args)

    monkeypatch.setattr(link_views, "load_draft", slow_read)
    before = len(world.env.backend.http_requests)
    shown = await world.mod.click(preview_message(result), label="Edit details")
    callbacks = [r.json["type"] for r in world.env.backend.http_requests[before:] if r.path.endswith("/callback")]
    assert callbacks == [4] and shown.modal is None, callbacks
    assert shown.ephemeral and "press the button again" in (shown.response.content or "")
    assert not world.env.errors


async def test_preview_of_the_film_the_club_has_not_watched_yet_leaves_its_spoilers_out(world, review_site):
    """The club's screening of Mission: Impossible is upcoming: the preview of a review of it leaves the
    reveal out, not merely hidden (as /review show does), and says until when; Save still stores it whole."""
    await world.mod.slash(world.channel, "watchlist add", film="Mission: Impossible", year=1996)
    await world.mod.slash(world.channel, "filmnight schedule", film="Mission: Impossible (1996)",
                          when="2026-01-05 20:00", where="Club room")
    assert world.count("screenings", "status = 'scheduled'") == 1
    result = await add_link(world, review_site.url("/page/reveal"))
    text = preview_message(result).content
    assert "Mission: Impossible (1996)" in text and "held back until the screening ends" in text, text
    shown = await world.mod.click(preview_message(result), label="Edit details")
    edited = msgs(await world.mod.submit_modal(shown, {
        "filmbot:review:linkedit:film": "Mission: Impossible (1996)",
        "filmbot:review:linkedit:critic": "Ann Lee",
    }))[-1]
    assert "Ann Lee" in edited.content and "held back until the screening ends" in edited.content, edited.content
    sent = json.dumps(message_payloads(world.env), ensure_ascii=False)
    assert "framed for the murder" not in sent
    await save(world, result)
    assert world.count("passages", "text LIKE '%framed for the murder%'") == 1
    assert not world.env.errors


async def test_edit_details_keeps_a_long_film_title_whole(world, review_site):
    """A 150-character film (the catalogue's titles reach 200) picked for a link: Edit details' form holds its
    whole title, so saving the form unchanged keeps the review on that film, not on a film of a clipped title."""
    title = ("The Unbearably Long Night of the Drummers Who Never Slept Again, Told in Nine Movements by a Choir"
             " of the Morning After It All").ljust(150, "x")
    await world.alice.slash(world.channel, "watchlist add", film=title, year=2014)
    picked = (await world.mod.autocomplete(world.channel, "review add-link", "film", "The Unbearably"))[0]["value"]
    result = await add_link(world, review_site.url("/text"), film=picked)
    shown = await world.mod.click(preview_message(result), label="Edit details")
    fields = {c["custom_id"]: c for row in shown.modal["components"] for c in row["components"]}
    film_field = fields["filmbot:review:linkedit:film"]
    assert film_field["value"] == f"{title} (2014)" and film_field["max_length"] <= 4000
    edited = await world.mod.submit_modal(shown, {key: field.get("value") or "" for key, field in fields.items()})
    await world.mod.click(msgs(edited)[-1], label="Save")
    assert world.q("SELECT f.title FROM reviews r JOIN films f ON f.id = r.film_id WHERE r.url_key IS NOT NULL"
                   ) == [(title,)]
    assert world.count("films", "title LIKE 'The Unbearably%'") == 1
    check_all_payloads(world.env)
