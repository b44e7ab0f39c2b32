"""Option text is cleaned at the boundary: lone surrogates can't reach SQLite."""

from __future__ import annotations

import pytest

from bot.core.inputs import ON_OFF, chosen_number, one_of, scrub, scrub_options, suggest
from bot.core.refusals import UserError


def test_lone_surrogates_become_replacement_characters():
    """A lone surrogate is replaced; valid text, emoji included, is untouched."""
    assert scrub("a\ud800b") == "a\ufffdb"
    assert scrub("🎬 La La Land") == "🎬 La La Land"


def test_nested_subcommand_options_are_cleaned():
    """String values inside subcommand groups are cleaned; other types are left alone."""
    options = [{"type": 1, "name": "create", "options": [
        {"type": 3, "name": "question", "value": "\udfffQ"}, {"type": 4, "name": "hours", "value": 3},
    ]}]
    scrub_options(options)
    assert options[0]["options"][0]["value"] == "\ufffdQ" and options[0]["options"][1]["value"] == 3


async def test_poll_with_lone_surrogate_is_stored(world):
    """A poll question carrying a lone surrogate is posted and stored, not an error."""
    result = await world.alice.slash(
        world.channel, "poll create", question="\ud800lone", options="A | B", anonymous=True
    )
    assert not world.env.errors
    assert await world.bot.store.db.fetchval("SELECT question FROM polls") == "\ufffdlone"
    assert result.response is not None


def test_a_fixed_value_option_takes_its_values_in_any_case():
    """`one_of` reads " ON " as "on" and refuses anything else with the command's own message."""
    assert one_of(" ON ", ON_OFF, "Say `on` or `off`.") == "on"
    with pytest.raises(UserError, match="Say `on` or `off`"):
        one_of("yes", ON_OFF, "Say `on` or `off`.")
    assert [c.value for c in suggest(ON_OFF)] == ["on", "off"]


def test_a_menu_value_is_a_number_only_in_ascii_digits():
    """'²' passes str.isdigit() and fails int(); other scripts' digits, signs, nothing and 10+ digits are no number."""
    assert chosen_number(["3"]) == 3 and chosen_number(["12", "1"]) == 12
    for values in (["²"], ["٣"], ["１"], ["-1"], [""], [], [" 1"], ["9" * 10]):
        assert chosen_number(values) is None, values
