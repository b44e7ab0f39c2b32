"""Fuzzed options: every string option of every command, as a member and as a moderator."""

from __future__ import annotations

import os

import pytest
from tests.helpers import (
    build_template,
    check_modals,
    check_payload,
    leaf_commands,
    nasty_text,
    run_with_bot,
    string_options,
)
from tests.helpers import message_payloads
from hypothesis import HealthCheck, given, settings


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_template(tmp_path_factory.mktemp("fuzz") / "template.db")


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=nasty_text)
def test_every_string_option_survives_nasty_text(template, text):
    """No unhandled error, every reply acknowledged, within limits, pinging nobody."""

    async def scenario(world) -> None:
        commands = leaf_commands(world.env.bot.tree)
        assert commands
        for name, command in commands:
            base = world.defaults(command)
            if "__skip__" in base:
                continue
            for option in string_options(command):
                value = text if (text.strip() or not command.get_parameter(option).required) else "x"
                for actor in (world.member, world.mod):
                    result = await actor.slash(world.channel, name, **{**base, option: value})
                    assert result.acknowledged, f"/{name} {option}= left unanswered"
                    assert not world.env.errors, f"/{name} {option}={value[:40]!r}: {world.env.errors}"
        for body in message_payloads(world.env):
            check_payload(body)
        check_modals(world.env)

    run_with_bot(template, scenario)
