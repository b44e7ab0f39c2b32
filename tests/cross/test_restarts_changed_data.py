"""Components clicked after a new-process restart whose data changed meanwhile (a poll deleted, a review removed
with the passages a flag queue or a quote's buttons point at, a screening cancelled): a clear private answer,
nothing changed, nothing unhandled."""

from __future__ import annotations

from tests.cross.test_restarts import fresh  # noqa: F401 (the fixture)
from tests.helpers import passage_id_of, rows, table_digest, text_of, write


def review_of(settings, message) -> int:
    passage = passage_id_of(settings, message)
    return int(rows(settings, "SELECT review_id FROM passages WHERE id = ?", (passage,))[0][0])


async def remove_review(world, review: int) -> None:
    asked = await world.mod.slash(world.channel, "review remove", review=str(review))
    done = await world.mod.click(asked.response, label=f"Remove review #{review}")
    assert f"Removed review #{review}" in text_of(done), text_of(done)


def private(result) -> str:
    said = text_of(result)
    assert result.acknowledged and result.ephemeral, said
    assert said.strip(), "a clear answer"
    return said


async def test_a_vote_on_a_deleted_poll_after_a_restart_is_answered_privately(world, settings, fresh):  # noqa: F811
    created = await world.alice.slash(world.channel, "poll create", question="Ending?", options="Happy | Sad",
                                      anonymous=True)
    write(settings, "DELETE FROM polls")
    await fresh()
    before = table_digest(settings)
    answer = await world.bob.click(created.response, label="Happy")
    assert "no longer" in private(answer).lower(), text_of(answer)
    assert table_digest(settings) == before
    assert not world.env.errors


async def test_the_flag_queue_after_its_passage_was_removed_answers_privately(world, settings, fresh):  # noqa: F811
    quoted = await world.alice.slash(world.channel, "quote", about="Griffith Observatory")
    asked = await world.alice.click(quoted.response, label="Flag")
    await world.alice.click(asked.response, label="Wrong film")
    shown = await world.mod.slash(world.channel, "passage flagged")
    await remove_review(world, review_of(settings, quoted.response))
    await fresh()
    for label in ("Hide 1", "Keep 1"):
        before = table_digest(settings)
        clicked = await world.mod.click(shown.response, label=label)
        said = text_of(clicked)
        assert clicked.acknowledged and said.strip(), label
        assert "went wrong" not in said.lower(), said
        assert table_digest(settings) == before, f"{label}: {said}"
    assert not world.env.errors


async def test_quote_buttons_after_their_review_was_removed_answer_clearly(world, settings, fresh):  # noqa: F811
    quoted = await world.alice.slash(world.channel, "quote", about="Griffith Observatory")
    await remove_review(world, review_of(settings, quoted.response))
    await fresh()
    before = table_digest(settings)
    context = await world.bob.click(quoted.response, label="More context")
    assert "went wrong" not in private(context).lower(), text_of(context)
    again = await world.bob.click(quoted.response, label="Another")
    said = text_of(again)
    assert again.acknowledged and said.strip() and "went wrong" not in said.lower(), said
    flag = await world.bob.click(quoted.response, label="Flag")
    assert "went wrong" not in private(flag).lower(), text_of(flag)
    assert table_digest(settings) == before
    assert not world.env.errors


async def test_a_flag_reason_after_its_passage_was_removed_stores_nothing(world, settings, fresh):  # noqa: F811
    quoted = await world.alice.slash(world.channel, "quote", about="Griffith Observatory")
    asked = await world.alice.click(quoted.response, label="Flag")
    await remove_review(world, review_of(settings, quoted.response))
    await fresh()
    before = table_digest(settings)
    done = await world.alice.click(asked.response, label="Wrong film")
    assert "went wrong" not in private(done).lower(), text_of(done)
    assert table_digest(settings) == before
    assert not world.env.errors


async def test_a_ballot_on_a_deleted_pick_after_a_restart_is_answered_privately(world, settings, fresh):  # noqa: F811
    for film in ("Heat", "Ran", "Alien"):
        await world.mod.slash(world.channel, "watchlist add", film=film)
    opened = await world.mod.slash(world.channel, "filmnight pick", candidates=3, hours=2, method="ranked")
    [ballot] = [m for m in world.bot_messages(world.channel) if m.components]
    write(settings, "DELETE FROM filmnight_picks")
    await fresh()
    before = table_digest(settings)
    answer = await world.alice.select(ballot, ["2"])
    assert "no longer" in private(answer).lower(), text_of(answer)
    assert table_digest(settings) == before, text_of(opened)
    assert not world.env.errors
