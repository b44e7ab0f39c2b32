"""Third QA pass: several servers at once, moderator-role life cycle, channel types, missing channel
permissions, odd autocomplete input, /quote with every filter, and the CLI's `backup` promise.

Not repeated from tests/test_acceptance_blackbox.py and tests/test_edge_cases.py. Genuine bot bugs are
``xfail(strict=True)`` with a ``BUG:`` reason until fixed; all are fixed now and kept as regression tests.
"""

from __future__ import annotations

import re
import sqlite3

import discord
import pytest
from conftest import WHIPLASH_REVIEW, assert_no_pings, db, message_payloads, msgs, table_digest
from simcord import ChannelHandle, OptionError

REVIEW = WHIPLASH_REVIEW
NEW_CYCLE = "new cycle"


# ----------------------------------------------------------------------------------------- helpers




def embed_text(embed: discord.Embed) -> str:
    parts = [embed.title or "", embed.description or ""]
    parts += [f"{f.name}\n{f.value}" for f in embed.fields]
    if embed.footer and embed.footer.text:
        parts.append(embed.footer.text)
    return "\n".join(parts)


def text_of(result) -> str:
    return "\n".join((m.content or "") + "\n" + "\n".join(embed_text(e) for e in m.embeds) for m in msgs(result))


def private_reply(result, *needles: str) -> str:
    """The reply exists, is ephemeral only, and mentions every needle (case-insensitive)."""
    replies = msgs(result)
    assert replies, "no reply at all"
    assert all(m.ephemeral for m in replies), f"a reply was public: {text_of(result)[:300]}"
    text = text_of(result)
    for needle in needles:
        assert needle.casefold() in text.casefold(), f"{needle!r} not in {text[:400]!r}"
    return text


def public_reply(result) -> str:
    replies = msgs(result)
    assert replies and not replies[0].ephemeral, f"expected a public reply: {text_of(result)[:300]}"
    return text_of(result)


def bot_posts(world, channel) -> list[discord.Message]:
    me = world.bot.user.id
    return [m for m in channel.history()
            if m.author.id == me and not m.flags.ephemeral
            and m.type in (discord.MessageType.default, discord.MessageType.chat_input_command)]


def handle(world, channel_model) -> ChannelHandle:
    return ChannelHandle(world.env, world.guild, channel_model)


def make_thread(world, parent, name: str = "side-chat") -> ChannelHandle:
    return handle(world, world.env.backend.create_thread(parent.id, name, world.alice.id))


class Other:
    """A second server using the same bot at the same time: #general, a moderator and a member."""

    def __init__(self, world) -> None:
        env = world.env
        self.guild = env.create_guild(name="Other Club")
        self.channel = self.guild.create_text_channel("general")
        mods = self.guild.create_role("Other mods", permissions=discord.Permissions(manage_guild=True))
        self.mod = self.guild.add_member(env.create_user("othermod"), roles=[mods])
        self.carol = self.guild.add_member(env.create_user("carol"))


@pytest.fixture
def other(world) -> Other:
    return Other(world)


# ===================================================================== several servers at once


async def test_rotation_of_one_server_never_consumes_another_servers(world, other, settings):
    """N /discuss theme:nostalgia in server 1 exhausts server 1's cycle only; server 2 starts fresh."""
    n = db(settings, "SELECT count(DISTINCT passage_id) FROM passage_themes WHERE theme = 'nostalgia'")[0][0]
    assert n >= 2
    for i in range(n):
        r = await world.alice.slash(world.channel, "discuss", theme="nostalgia")
        assert NEW_CYCLE not in private_reply(r, "Nostalgia"), f"cycle restarted early at {i + 1}/{n}"

    # Server 2 has used nothing yet: its first prompt is cycle 1, not a restart.
    r = await other.carol.slash(other.channel, "discuss", theme="nostalgia")
    assert NEW_CYCLE not in private_reply(r, "Nostalgia")
    # And server 2's use does not count against server 1: server 1's N+1th is its own restart.
    r = await world.alice.slash(world.channel, "discuss", theme="nostalgia")
    assert NEW_CYCLE in private_reply(r)

    rows = db(settings, "SELECT guild_id, cycle, passage_id FROM posted_prompts WHERE theme = 'nostalgia'")
    g1 = [(c, p) for g, c, p in rows if g == world.guild.id]
    g2 = [(c, p) for g, c, p in rows if g == other.guild.id]
    assert len({p for c, p in g1 if c == 1}) == n and [c for c, _ in g1].count(2) == 1
    assert [c for c, _ in g2] == [1]
    # Each server's prompt went to its own channel, with its own thread.
    assert len(bot_posts(world, other.channel)) == 1 and len(other.channel.threads) == 1
    assert len(bot_posts(world, world.channel)) == n + 1


async def test_rotation_without_theme_is_per_server(world, other, settings):
    """`/discuss` with no theme follows each server's own rotation: server 2 starts where server 1 started."""
    first = await world.alice.slash(world.channel, "discuss")
    second = await world.alice.slash(world.channel, "discuss")
    theme_of = re.compile(r"on \*\*(.+?)\*\*")
    t1 = theme_of.search(private_reply(first))[1]
    t2 = theme_of.search(private_reply(second))[1]
    assert t1 != t2, "the server rotation moved on to another theme"
    r = await other.carol.slash(other.channel, "discuss")
    assert theme_of.search(private_reply(r))[1] == t1, "server 2 was moved along by server 1's prompts"


async def test_polls_are_seen_and_closed_only_in_their_own_server(world, other, settings):
    await world.alice.slash(world.channel, "poll create", question="Native in one?", options="a|b|c")
    await world.alice.slash(world.channel, "poll create", question="Buttons in one?", options="a|b",
                            anonymous=True)
    await other.carol.slash(other.channel, "poll create", question="Two's own?", options="x|y")
    ids = dict(db(settings, "SELECT question, id FROM polls"))
    one_native, one_buttons, two = ids["Native in one?"], ids["Buttons in one?"], ids["Two's own?"]

    listed2 = private_reply(await other.carol.slash(other.channel, "poll list"))
    assert "Two's own?" in listed2 and "in one?" not in listed2
    listed1 = private_reply(await world.bob.slash(world.channel, "poll list"))
    assert "Native in one?" in listed1 and "Buttons in one?" in listed1 and "Two's own?" not in listed1

    choices = await other.mod.autocomplete(other.channel, "poll close", "poll", "")
    assert [c["value"] for c in choices] == [str(two)]
    choices = await other.mod.autocomplete(other.channel, "poll results", "poll", str(one_native))
    assert choices == []

    before = table_digest(settings.database)
    posted_before = len(message_payloads(world.env))
    for poll_id in (one_native, one_buttons):
        # Even a moderator (Manage Server) of server 2 cannot see or close server 1's polls.
        private_reply(await other.mod.slash(other.channel, "poll results", poll=str(poll_id)), "no poll")
        private_reply(await other.mod.slash(other.channel, "poll close", poll=f"#{poll_id}"), "no poll")
    assert table_digest(settings.database) == before, "a refused cross-server close changed the database"
    assert not any(m.embeds and "Results" in (m.embeds[0].title or "") for m in bot_posts(world, world.channel))
    assert len(message_payloads(world.env)) == posted_before + 4  # the four refusals, nothing else

    # Server 2 can close its own.
    r = await other.mod.slash(other.channel, "poll close", poll=str(two))
    private_reply(r, f"Closed poll #{two}")
    assert db(settings, "SELECT count(*) FROM polls WHERE closed_at IS NULL")[0][0] == 2


async def test_schedules_are_managed_only_in_their_own_server(world, other, settings):
    r = await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="09:00")
    private_reply(r, "Schedule set")
    (schedule_id,) = db(settings, "SELECT id FROM schedules")[0]

    before = table_digest(settings.database)
    for command in ("pause", "resume", "remove", "skip", "test"):
        r = await other.mod.slash(other.channel, f"schedule {command}", id=schedule_id)
        private_reply(r, f"no schedule #{schedule_id} on this server")
    private_reply(await other.carol.slash(other.channel, "schedule list"), "No schedules yet")
    assert table_digest(settings.database) == before
    assert bot_posts(world, world.channel) == [] and bot_posts(world, other.channel) == []

    # Server 1's schedule still lists and pauses normally.
    private_reply(await world.alice.slash(world.channel, "schedule list"), f"#{schedule_id}")
    private_reply(await world.mod.slash(world.channel, "schedule pause", id=schedule_id), "paused")


async def test_config_of_one_server_does_not_apply_to_another(world, other, settings):
    env = world.env
    staff = world.guild.create_role("Film Club Staff")
    both = env.create_user("both")  # a member of both servers
    in_one = world.guild.add_member(both, roles=[staff])
    in_two = other.guild.add_member(both)

    private_reply(await world.mod.slash(world.channel, "config moderator-role", role=staff), "Moderator role set")
    private_reply(await world.mod.slash(world.channel, "config timezone", zone="Europe/Paris"), "Europe/Paris")

    shown = private_reply(await other.carol.slash(other.channel, "config show"))
    assert "none (Manage Server only)" in shown and "UTC (default)" in shown and "Paris" not in shown

    # The staff role makes `both` a moderator in server 1 only.
    private_reply(await in_one.slash(world.channel, "schedule set", channel=world.channel, time="21:00"), "Schedule set")
    before = table_digest(settings.database)
    r = await in_two.slash(other.channel, "schedule set", channel=other.channel, time="21:00")
    private_reply(r, "Only moderators")
    assert table_digest(settings.database) == before

    # Server 2's schedules default to its own zone (UTC), server 1's to Europe/Paris.
    r = await other.mod.slash(other.channel, "schedule set", channel=other.channel, time="21:00")
    assert "(UTC)" in private_reply(r, "Schedule set")
    assert dict(db(settings, "SELECT guild_id, timezone FROM schedules")) == {
        world.guild.id: "Europe/Paris", other.guild.id: "UTC"}


async def test_review_corpus_and_its_history_are_shared_by_every_server(world, other, settings):
    """Observed design: reviews are one corpus for all servers, so a review added in server 1 is quotable in
    server 2 and `/review history` in server 2 lists it. Settings and schedule changes stay out of it."""
    r = await world.mod.slash(world.channel, "review add", film="Whiplash", year=2014, critic="Jane Doe",
                              file=("whiplash.txt", REVIEW.encode()))
    review_id = int(re.search(r"#(\d+)", private_reply(r, "Added review"))[1])
    await world.mod.slash(world.channel, "config timezone", zone="Europe/Paris")
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="09:00")

    assert "Jane Doe" in public_reply(await other.carol.slash(other.channel, "quote", critic="Jane Doe"))
    history = private_reply(await other.mod.slash(other.channel, "review history"), f"#{review_id}")
    assert "add" in history and "config" not in history and "schedule" not in history
    # Nobody is pinged by the actor mention of a moderator from another server.
    assert_no_pings(world.env)
    # Plain members of server 2 still cannot read it.
    private_reply(await other.carol.slash(other.channel, "review history"), "Only moderators")


# ===================================================================== moderator role life cycle


async def _staff(world):
    staff = world.guild.create_role("Film Club Staff")
    world.env.backend.add_member_role(world.guild.id, world.alice.id, staff.id)
    private_reply(await world.mod.slash(world.channel, "config moderator-role", role=staff), "Moderator role set")
    return staff


async def test_member_whose_moderator_role_was_removed_is_refused_next_time(world, settings):
    await _staff(world)
    r = await world.alice.slash(world.channel, "schedule set", channel=world.channel, time="09:00")
    private_reply(r, "Schedule set")
    staff_id = db(settings, "SELECT moderator_role_id FROM guild_settings")[0][0]
    world.env.backend.remove_member_role(world.guild.id, world.alice.id, staff_id)

    before = table_digest(settings.database)
    private_reply(await world.alice.slash(world.channel, "schedule pause", id=1), "Only moderators")
    private_reply(await world.alice.slash(world.channel, "config timezone", zone="Asia/Tokyo"), "Only moderators")
    assert table_digest(settings.database) == before


async def test_deleted_moderator_role_grants_nothing(world, settings):
    staff = await _staff(world)
    world.env.backend.delete_role(world.guild.id, staff.id)
    before = table_digest(settings.database)
    r = await world.alice.slash(world.channel, "schedule set", channel=world.channel, time="09:00")
    private_reply(r, "Only moderators")
    assert table_digest(settings.database) == before
    # Manage Server still works, and can clear the stale setting.
    private_reply(await world.mod.slash(world.channel, "config moderator-role"), "cleared")
    assert db(settings, "SELECT moderator_role_id FROM guild_settings") == [(None,)]


async def test_config_moderator_role_without_role_clears_it_and_is_audited(world, settings):
    await _staff(world)
    private_reply(await world.mod.slash(world.channel, "config moderator-role"), "Moderator role cleared")
    shown = private_reply(await world.bob.slash(world.channel, "config show"))
    assert "none (Manage Server only)" in shown
    before = table_digest(settings.database)
    r = await world.alice.slash(world.channel, "schedule set", channel=world.channel, time="09:00")
    private_reply(r, "Only moderators")
    assert table_digest(settings.database) == before
    audits = db(settings, "SELECT action, actor_id FROM audit_log WHERE action = 'config'")
    assert audits == [("config", world.mod.id), ("config", world.mod.id)]


async def test_everyone_cannot_be_made_the_moderator_role(world, settings):
    r = await world.mod.slash(world.channel, "config moderator-role", role=world.guild.default_role)
    before = table_digest(settings.database)
    r = await world.bob.slash(world.channel, "schedule set", channel=world.channel, time="09:00")
    private_reply(r, "Only moderators")
    assert table_digest(settings.database) == before


# ===================================================================== channel types


@pytest.mark.parametrize("where", ["thread", "forum post", "voice", "stage"])
@pytest.mark.parametrize("command", ["discuss", "debate"])
async def test_prompts_outside_a_text_channel_are_refused_and_use_nothing(world, settings, where, command):
    env, guild = world.env, world.guild
    if where == "thread":
        channel = make_thread(world, world.channel)
    elif where == "forum post":
        channel = make_thread(world, guild.create_forum_channel("reviews-forum"), "post")
    elif where == "voice":
        channel = guild.create_voice_channel("screening-room")
    else:
        channel = guild.create_stage_channel("stage")
    before = table_digest(settings.database)
    sent_before = len(message_payloads(env))
    r = await world.alice.slash(channel, command, theme="ending")
    private_reply(r, "text channel")
    assert table_digest(settings.database) == before
    assert len(message_payloads(env)) == sent_before + 1  # only the refusal
    assert not env.errors


async def test_prompt_in_an_announcement_channel_works(world, settings):
    news = world.guild.create_news_channel("announcements")
    private_reply(await world.alice.slash(news, "discuss", theme="ending"), "Started a discussion")
    assert len(bot_posts(world, news)) == 1 and len(news.threads) == 1


@pytest.mark.parametrize("kind", ["thread", "forum", "voice", "stage", "category"])
@pytest.mark.parametrize("command,options", [
    ("schedule set", {"time": "09:00"}),
    ("config log-channel", {}),
])
async def test_channel_options_only_accept_text_and_announcement_channels(world, settings, kind, command, options):
    """Discord's picker never offers other channel types: the options declare channel_types [text, news],
    which simcord enforces like Discord does. Nothing reaches the bot, nothing is stored."""
    guild = world.guild
    channel = {
        "thread": lambda: make_thread(world, world.channel),
        "forum": lambda: guild.create_forum_channel("forum"),
        "voice": lambda: guild.create_voice_channel("voice"),
        "stage": lambda: guild.create_stage_channel("stage"),
        "category": lambda: guild.create_category("Films"),
    }[kind]()
    before = table_digest(settings.database)
    with pytest.raises(OptionError, match=r"only allows channel types \[0, 5\]"):
        await world.mod.slash(world.channel, command, channel=channel, **options)
    assert table_digest(settings.database) == before


async def test_schedule_in_an_announcement_channel_is_accepted(world, settings):
    news = world.guild.create_news_channel("announcements")
    r = await world.mod.slash(world.channel, "schedule set", channel=news, time="09:00")
    private_reply(r, "Schedule set")
    assert db(settings, "SELECT channel_id FROM schedules") == [(news.id,)]


# ===================================================================== missing channel permissions


def _muted_channel(world):
    """The bot may read but neither send nor embed links here."""
    return world.guild.create_text_channel("muted", overwrites={
        world.guild.me: discord.PermissionOverwrite(send_messages=False, embed_links=False)})


async def test_quote_is_an_interaction_reply_so_it_works_without_send_messages(world, settings):
    """On Discord an interaction reply needs no Send Messages; simcord models that (the callback route
    is not permission-gated) and does not model Embed Links at all, so only the first part is tested."""
    muted = _muted_channel(world)
    r = await world.alice.slash(muted, "quote", theme="jazz")
    assert "Jazz" in public_reply(r)
    assert not world.env.errors
    assert not [q for q in world.env.http_requests if q.method == "POST" and q.path.endswith(f"/channels/{muted.id}/messages")]


async def test_prompt_without_send_messages_names_the_permission(world, settings):
    muted = _muted_channel(world)
    before = table_digest(settings.database)
    private_reply(await world.alice.slash(muted, "discuss"), "Send Messages")
    assert table_digest(settings.database) == before and bot_posts(world, muted) == []


async def test_poll_without_send_messages_is_refused_since_its_results_could_never_be_posted(world, settings):
    muted = _muted_channel(world)
    private_reply(await world.alice.slash(muted, "poll create", question="Best?", options="a|b", anonymous=True),
                  "Send Messages")
    assert bot_posts(world, muted) == []
    assert db(settings, "SELECT count(*) FROM polls")[0][0] == 0


async def test_closing_a_poll_where_the_bot_cannot_post_does_not_claim_results_were_posted(world, settings):
    await world.alice.slash(world.channel, "poll create", question="Best?", options="a|b", anonymous=True)
    # The bot loses Send Messages after the poll was created (creation in such a channel is refused).
    await world.bot.get_channel(world.channel.id).set_permissions(
        world.bot.get_guild(world.guild.id).me, send_messages=False, embed_links=False)
    r = await world.alice.slash(world.channel, "poll close", poll="1")
    results_posted = db(settings, "SELECT results_message_id FROM polls")[0][0] is not None
    assert results_posted or "results are posted" not in text_of(r), text_of(r)


# ===================================================================== autocomplete with odd input

ODD_INPUTS = [
    "🎬🍿🎷",  # emoji
    "👩‍👩‍👧‍👦 family",  # ZWJ sequence
    "x" * 100,  # Discord's longest option value
    "Le " * 33 + "!",  # 100 characters of words
    "\u202eLand La La",  # RTL override
    "   ",  # only spaces
    "%_'\"\\*",  # LIKE wildcards, quotes, backslash, FTS star
    "#",
    "@everyone <@&1>",
]


async def test_every_autocomplete_survives_odd_typing(world, settings):
    env = world.env
    await world.alice.slash(world.channel, "poll create", question="🎬 Which film? " + "y" * 80, options="a|b",
                            anonymous=True)
    targets = []
    for command in world.bot.tree.walk_commands():
        if isinstance(command, discord.app_commands.Command):
            targets += [(command.qualified_name, p.name) for p in command.parameters if p.autocomplete]
    assert len(targets) >= 20, targets
    for name, option in targets:
        for typed in ODD_INPUTS:
            # Also with an odd film already filled in, since theme autocompletes read it.
            filled = {"film": typed} if option == "theme" and name in {"quote", "discuss", "debate"} else {}
            choices = await world.mod.autocomplete(world.channel, name, option, typed, **filled)
            assert len(choices) <= 25, (name, option, typed)
            for choice in choices:
                assert 1 <= len(choice["name"]) <= 100 and 1 <= len(str(choice["value"])) <= 100, choice
    assert not env.errors, env.errors[:3]


# ===================================================================== /quote filters


async def test_quote_with_every_filter_combined(world, settings):
    r = await world.alice.slash(world.channel, "quote", film="La La Land (2016)", critic="Unattributed review #2",
                                theme="ending", about="ending")
    text = public_reply(r)
    assert "Review #2 ·" in text and "The ending" in text and "||" in text  # review, theme, spoiler tags
    passage = re.search(r"\|\|(.+?)\|\|", text, re.DOTALL)[1]
    assert re.search(r"\bend", passage, re.IGNORECASE), passage  # FTS5 porter: `ending` matches `end`

    # The same four filters, one not matching: a private message naming every filter, nothing posted.
    posts = len(bot_posts(world, world.channel))
    r = await world.alice.slash(world.channel, "quote", film="La La Land", critic="Unattributed review #2",
                                theme="jazz", about="observatory zzzz")
    private_reply(r, "No quote matches", "La La Land", "Unattributed review #2", "jazz", "observatory")
    assert len(bot_posts(world, world.channel)) == posts
    assert_no_pings(world.env)


async def test_another_keeps_all_four_filters(world, settings):
    r = await world.alice.slash(world.channel, "quote", film="La La Land", critic="Unattributed review #3",
                                theme="ending", about="ending")
    public_reply(r)
    r2 = await world.alice.click(r.response, label="Another")
    text = text_of(r2)
    assert "Review #3 ·" in text or "No quote matches" in text
    assert not world.env.errors


async def test_critic_named_like_an_unattributed_label(world, settings):
    label = "Unattributed review #99"
    r = await world.mod.slash(world.channel, "review add", film="Whiplash", year=2014, critic=label,
                              file=("whiplash.txt", REVIEW.encode()))
    if db(settings, "SELECT count(*) FROM reviews WHERE critic = ?", (label,))[0][0] == 0:
        private_reply(r)  # refused, privately: an acceptable fix
        return
    offered = [c["value"] for c in await world.alice.autocomplete(world.channel, "quote", "critic", "#99")]
    assert offered == [label]
    assert "Whiplash" in public_reply(await world.alice.slash(world.channel, "quote", critic=label))


async def test_critic_label_of_a_seed_still_means_that_seed_when_a_critic_is_named_alike(world, settings):
    """Regression half of the bug above: the label keeps meaning the real unattributed review."""
    await world.mod.slash(world.channel, "review add", film="Whiplash", year=2014, critic="Unattributed review #2",
                          file=("whiplash.txt", REVIEW.encode()))
    for _ in range(3):
        text = public_reply(await world.alice.slash(world.channel, "quote", critic="Unattributed review #2"))
        assert "La La Land" in text and "Review #2 ·" in text


# ===================================================================== README: `filmbot backup`


def test_backup_of_a_missing_database_fails_instead_of_copying_an_empty_one(tmp_path, monkeypatch, capsys):
    from bot.__main__ import main

    missing = tmp_path / "never-created.db"
    env_file = tmp_path / "empty.env"
    env_file.write_text("")
    monkeypatch.setenv("FILMBOT_DATABASE", str(missing))
    code = main(["--env-file", str(env_file), "backup", str(tmp_path / "copy.db")])
    assert code != 0 and not missing.exists()


async def test_backup_copies_a_consistent_database(world, settings, tmp_path, monkeypatch):
    """README: `filmbot backup TARGET` copies the database safely, even while the bot runs (here it is open)."""
    from bot.__main__ import main

    env_file = tmp_path / "empty.env"
    env_file.write_text("")
    monkeypatch.setenv("FILMBOT_DATABASE", str(settings.database))
    target = tmp_path / "copy.db"
    assert main(["--env-file", str(env_file), "backup", str(target)]) == 0
    con = sqlite3.connect(target)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("SELECT count(*) FROM reviews").fetchone()[0] == 3
    finally:
        con.close()
