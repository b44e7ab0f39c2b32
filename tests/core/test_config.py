"""/config: moderators set the moderator role, time zone and log channel."""

from __future__ import annotations

from tests.helpers import table_digest


async def test_moderator_sets_timezone(world):
    """A Manage Server member sets a valid IANA zone."""
    result = await world.mod.slash(world.channel, "config timezone", zone="Europe/Paris")
    assert result.ephemeral and "Europe/Paris" in result.response.content
    settings = await world.bot.store.guilds.get(world.guild.id)
    assert settings.timezone == "Europe/Paris"


async def test_bad_timezone_is_named_with_an_example(world):
    """An unknown zone is refused, naming the value and an example."""
    result = await world.mod.slash(world.channel, "config timezone", zone="Mars/Olympus")
    assert result.ephemeral and "Mars/Olympus" in result.response.content
    assert "Europe/Paris" in result.response.content


async def test_member_cannot_change_settings(world, settings):
    """A plain member is refused and nothing is written."""
    before = table_digest(settings)
    result = await world.alice.slash(world.channel, "config timezone", zone="Europe/Paris")
    assert result.ephemeral and "moderators" in result.response.content.lower()
    assert table_digest(settings) == before


async def test_role_holder_counts_as_moderator(world):
    """A member holding the configured moderator role may change settings."""
    role = world.guild.create_role("Club staff")
    await world.mod.slash(world.channel, "config moderator-role", role=role)
    staff = world.guild.add_member(world.env.create_user("staff"), roles=[role])
    result = await staff.slash(world.channel, "config timezone", zone="Asia/Tokyo")
    assert "Asia/Tokyo" in result.response.content


async def test_config_show_lists_every_setting(world):
    """/config show names watchlist approval, digest hours and the reminder role beside the rest."""
    shown = (await world.alice.slash(world.channel, "config show")).response.content
    assert "**Watchlist approval:** off" in shown and "**Thread digests:** 24 hours after a prompt" in shown
    assert "**Film-night reminder role:** none" in shown
    fans = world.guild.create_role("Film fans")
    await world.mod.slash(world.channel, "config watchlist-approval", state="on")
    set_hours = await world.mod.slash(world.channel, "config digest-hours", hours=1)
    assert set_hours.response.content == "Thread digests come 1 hour after a prompt."
    await world.mod.slash(world.channel, "filmnight reminder-role", role=fans)
    shown = (await world.alice.slash(world.channel, "config show")).response.content
    assert "**Watchlist approval:** on" in shown and "**Thread digests:** 1 hour after a prompt" in shown
    assert f"**Film-night reminder role:** <@&{fans.id}>" in shown


async def test_timezone_abbreviations_are_refused_with_the_place_to_name(world, settings):
    """EST, PST, CET, EET, MST, HST, EST5EDT: refused (no summer time, host-dependent), naming the IANA place."""
    before = table_digest(settings)
    for typed, place in [("EST", "America/New_York"), ("pst", "America/Los_Angeles"), ("CET", "Europe/Paris"),
                         ("EET", "Europe/Athens"), ("MST", "America/Denver"), ("HST", "Pacific/Honolulu"),
                         ("EST5EDT", "America/New_York")]:
        result = await world.mod.slash(world.channel, "config timezone", zone=typed)
        assert result.ephemeral and f"`{place}`" in result.response.content, result.response.content
        assert "abbreviation" in result.response.content
    refused = await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="09:00", timezone="EST")
    assert refused.ephemeral and "`America/New_York`" in refused.response.content
    assert table_digest(settings) == before
    assert (await world.mod.autocomplete(world.channel, "config timezone", "zone", "EST"))[0]["value"] == "America/New_York"
    ok = await world.mod.slash(world.channel, "config timezone", zone="Etc/GMT+5")  # a fixed offset, said as one
    assert "Etc/GMT+5" in ok.response.content


async def test_config_show_names_the_log_channel_to_moderators_only(world):
    """The moderators' log channel is named in /config show to a moderator, never to a member (private either way)."""
    log = world.guild.create_text_channel("mod-log")
    await world.mod.slash(world.channel, "config log-channel", channel=log)
    member = await world.alice.slash(world.channel, "config show")
    assert member.ephemeral and "Log channel" not in member.response.content
    assert str(log.id) not in member.response.content and "**Time zone:**" in member.response.content
    moderator = await world.mod.slash(world.channel, "config show")
    assert moderator.ephemeral and f"**Log channel:** <#{log.id}>" in moderator.response.content


async def test_config_show_names_the_command_that_changes_each_setting(world):
    """Every line of /config show ends with the command that changes it; the zone in code, "(default)" outside."""
    shown = (await world.mod.slash(world.channel, "config show")).response.content
    assert "**Moderator role:** none: Manage Server only (`/config moderator-role`)" in shown, shown
    assert "**Time zone:** `UTC` (default) (`/config timezone`)" in shown, shown
    assert "**Log channel:** none (`/config log-channel`)" in shown, shown


async def test_watchlist_approval_says_where_suggestions_now_wait(world):
    """On without a log channel: only /watchlist pending, and the way to get posts too; with one: both; off: at once."""
    said = (await world.mod.slash(world.channel, "config watchlist-approval", state="on")).response.content
    assert said == ("Watchlist approval is on: members' `/watchlist add` suggestions now wait for **Approve** or"
                    " **Reject** in `/watchlist pending` (set `/config log-channel` to have each one posted there"
                    " as well)."), said
    log = world.guild.create_text_channel("mod-log")
    await world.mod.slash(world.channel, "config log-channel", channel=log)
    said = (await world.mod.slash(world.channel, "config watchlist-approval", state="on")).response.content
    assert f"**Reject** in <#{log.id}> and in `/watchlist pending`." in said, said
    said = (await world.mod.slash(world.channel, "config watchlist-approval", state="off")).response.content
    assert said == "Watchlist approval is off: members' new `/watchlist add` suggestions go on the watchlist at once."


async def test_on_off_and_digest_hours_refusals_quote_the_value_and_the_way_to_type_it(world, settings):
    """"yes" and 200 are refused naming what was typed and a command that works; nothing is written."""
    before = table_digest(settings)
    yes = await world.mod.slash(world.channel, "config watchlist-approval", state="yes")
    assert yes.ephemeral and yes.response.content.startswith("“yes” is neither `on` nor `off`:"), yes.response.content
    assert "`/config watchlist-approval state:on`" in yes.response.content
    consent = await world.alice.slash(world.channel, "rate consent", state="yes")
    assert "“yes” is neither `on` nor `off`: `/rate consent state:on`" in consent.response.content
    hours = await world.mod.slash(world.channel, "config digest-hours", hours=200)
    assert hours.ephemeral and hours.response.content == (
        "200 is not a digest time I can use: give 1 to 168 hours after a prompt (e.g. `/config digest-hours"
        " hours:24`), or 0 to turn thread digests off.")
    assert table_digest(settings) == before


async def test_a_hostile_on_off_value_is_quoted_back_inert_clipped_and_in_reading_order(world, settings):
    """An RTL override typed into state: would turn the rest of the refusal around ("” is neither `on` nor
    `off`" read backwards): it is dropped, like every invisible; @everyone, ||, markdown and NUL stay text,
    10k characters are clipped, and nothing is written."""
    before = table_digest(settings)
    for command, member in (("config watchlist-approval", world.mod), ("rate consent", world.alice)):
        for value in ("\u202eno", "@everyone ||**x**||\x00 `y`", "x" * 10_000, "\u2066@here\u2069"):
            reply = await member.slash(world.channel, command, state=value)
            said = reply.response.content
            assert reply.ephemeral and "is neither `on` nor `off`" in said, said
            assert not any(mark in said for mark in "\u202e\u2066\u2069\x00"), repr(said[:80])
            assert "@everyone" not in said and "@here" not in said and "||" not in said, said
            assert len(said) < 400, len(said)
    assert table_digest(settings) == before
