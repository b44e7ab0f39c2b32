"""What a discussion prompt looks like: pure functions, shared by /discuss, /debate and schedules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import discord

from bot.core.render import FILM_CLUB_COLOUR
from bot.core.spoilers import spoiler_thread_name, theme_text
from bot.core.text import (
    EMBED_DESCRIPTION_MAX,
    SPOILER_WARNING,
    THREAD_NAME_MAX,
    attribution_line,
    clip,
    film_label,
    inert,
    quote_block,
)
from bot.corpus import Theme
from bot.corpus.passage import Quote, is_spoiler
from bot.corpus.themes import theme_for_film
from bot.corpus.themes_model import render as fill_film
from bot.discussion.question import debate_question

QUESTION_MAX = 300
DISCUSS_EXCERPT_MAX = 1800
DEBATE_EXCERPT_MAX = 1400  # two excerpts + question + attributions stay under the 4096 description


@dataclass(frozen=True)
class RenderedPrompt:
    content: str
    embed: discord.Embed
    thread_name: str
    question: str


def is_hidden(quote: Quote, theme: Theme, themes: dict[str, Theme]) -> bool:
    """Behind spoiler tags: a prompt on a spoiler theme, or a quote that is a spoiler on its own."""
    return theme.spoiler or is_spoiler(quote, themes)


@dataclass(frozen=True)
class QuestionEdits:
    """A server's moderator edits to a theme's questions: extra ones ({film} allowed), hidden ones."""

    added: tuple[str, ...] = ()
    removed: frozenset[str] = frozenset()  # casefolded, as written or as shown


def quotes_film(quotes: Sequence[Quote]) -> tuple[str | None, int | None]:
    """The film every quote is about, or (None, None) when they differ (a debate across films)."""
    films = {(q.film_title, q.film_year) for q in quotes}
    return films.pop() if len(films) == 1 else (None, None)


def question_choices(
    theme: Theme, title: str | None, year: int | None, kind: str,
    themes: dict[str, Theme] | None = None, edits: QuestionEdits = QuestionEdits(),
) -> list[str]:
    """The questions a prompt may ask: the film's own (or the generic templates) naming the film, minus
    the hidden ones, plus the moderators' — never another film's characters."""
    bound = (theme_for_film(themes, theme.key, title, year, bind=False) or theme) if themes is not None else theme
    asked = [bound.debate_question_for(title)] if kind == "debate" else list(bound.questions_for(title))
    templates = bound.templates
    written = ([templates.debate_question] if kind == "debate" else list(templates.questions)) if templates else asked
    kept = [q for q, t in zip(asked, written, strict=False)
            if q.casefold() not in edits.removed and t.casefold() not in edits.removed]
    added = [fill_film(q, title) for q in edits.added]
    if kind == "debate":
        return kept or added or asked
    return kept + added or asked


def prompt_question(
    theme: Theme, quotes: Sequence[Quote], kind: str,
    themes: dict[str, Theme] | None = None, edits: QuestionEdits = QuestionEdits(),
) -> str:
    """The debate question, or one of the theme's open questions (varies with the passage, stably),
    naming the quotes' film."""
    title, year = quotes_film(quotes)
    options = question_choices(theme, title, year, kind, themes, edits)
    return options[sum(q.passage_id for q in quotes) % len(options)]


def thread_name(theme: Theme, question: str, film_title: str | None = None, hidden: bool = False) -> str:
    """The question, within Discord's 100 characters. A thread name cannot be hidden: a spoiler theme's
    thread names only the film and the theme; a hidden excerpt on another theme puts the warning first."""
    if theme.spoiler:
        return spoiler_thread_name(film_title, theme.name)
    name = " ".join(question.split())
    return clip(f"{SPOILER_WARNING}: {name}" if hidden else name, THREAD_NAME_MAX)


def _excerpt(quote: Quote, hidden: bool, limit: int) -> str:
    film = film_label(quote.film_title, quote.film_year)
    line = attribution_line(quote.attribution, quote.outlet, film, quote.published)
    return quote_block(quote.text, hidden=hidden, limit=limit) + "\n" + line


def _shared_film(quotes: Sequence[Quote]) -> str | None:
    """The film both excerpts are about, if they are about the same one."""
    titles = {q.film_title for q in quotes if q.film_title}
    return titles.pop() if len(titles) == 1 else None


def _debate_wording(theme: Theme, disagree: bool) -> tuple[str, tuple[str, str], str]:
    """(title, excerpt labels, the one closing instruction) of a debate or of two takes."""
    if disagree:
        return (
            f"⚖️ Debate: {theme.name}",
            ("**One critic:**", "**Another critic:**"),
            "Take a side in the thread.",
        )
    return (
        f"🔍 Two takes on {theme.name}",
        ("**One take:**", "**Another take:**"),
        (
            "No two excerpts on this theme take opposite sides yet, so here are the two most different"
            " views. Say where you stand in the thread."
        ),
    )


def render_prompt(
    theme: Theme,
    quotes: Sequence[Quote],
    *,
    kind: str,
    themes: dict[str, Theme],
    mention_role_id: int | None = None,
    disagree: bool = True,
    edits: QuestionEdits = QuestionEdits(),
    film_name: str | None = None,
) -> RenderedPrompt:
    """Message content, embed and thread name for a prompt on `theme` quoting `quotes` (1, or 2 to debate).

    `film_name`: how a spoiler theme's thread names the film, when not by its title alone (another film the
    server knows has the same title: "Home (1987)", so members waiting for Home (2024) know it is not theirs).

    A debate whose excerpts do not take opposite sides (`disagree=False`) is offered as "two takes".
    """
    question = prompt_question(theme, quotes, kind, themes, edits)
    if kind == "debate":
        question = debate_question(question, [q.text for q in quotes], _shared_film(quotes), disagree=disagree)
    hidden = [is_hidden(q, theme, themes) for q in quotes]
    # A spoiler theme's question and description are spoilers too: behind tags, outside the bold.
    shown_question = f"**{inert(question, QUESTION_MAX)}**" if not theme.spoiler else theme_text(question, theme, QUESTION_MAX)
    if kind == "debate":
        title, labels, close = _debate_wording(theme, disagree)
        excerpts = [
            f"{label}\n{_excerpt(q, h, DEBATE_EXCERPT_MAX)}"
            for label, q, h in zip(labels, quotes, hidden, strict=False)
        ]
        description = "\n\n".join([*excerpts, f"{shown_question}\n{close}"])
    else:
        title = f"💬 Discuss: {theme.name}"
        description = f"{shown_question}\n\n{_excerpt(quotes[0], hidden[0], DISCUSS_EXCERPT_MAX)}"
    # The embed title is the one heading (a /discuss or /debate prompt alike): content only pings a role.
    content = f"<@&{mention_role_id}>" if mention_role_id is not None else ""
    embed = discord.Embed(
        title=clip(title, 256),
        description=clip(description, EMBED_DESCRIPTION_MAX),
        colour=FILM_CLUB_COLOUR,
        url=(quotes[0].url or None) if kind != "debate" else None,
    )
    embed.add_field(name="Theme", value=theme_text(theme.description, theme, 1024), inline=False)
    if any(hidden):
        embed.add_field(name=SPOILER_WARNING, value="Spoiler-tagged excerpt: click it to reveal.")
    reviews = ", ".join(q.ref for q in quotes)  # each as /quote's footer names it, to paste into /passage
    embed.set_footer(text=clip(f"Reply in the thread · {reviews}", 2048))
    return RenderedPrompt(
        content=content,
        embed=embed,
        thread_name=thread_name(theme, question, film_name or quotes_film(quotes)[0], any(hidden)),
        question=question,
    )


def render_open_prompt(
    theme: Theme,
    title: str,
    year: int | None,
    *,
    themes: dict[str, Theme],
    pick: int,
    mention_role_id: int | None = None,
    edits: QuestionEdits = QuestionEdits(),
    film_name: str | None = None,
    reviewed: bool = False,
) -> RenderedPrompt:
    """A prompt for a film no critic passage speaks to yet: the theme's generic question naming the film,
    no excerpt (the club speaks first). `pick` chooses among the questions, stably; `film_name` as in
    `render_prompt`. `reviewed`: the film has critics' passages, none on a theme, so the prompt must not say
    no critic reviewed it."""
    options = question_choices(theme, title, year, "discuss", themes, edits)
    question = options[pick % len(options)]
    film = film_label(title, year)
    # A spoiler theme's question and description are spoilers too (as in render_prompt): behind tags.
    shown_question = f"**{inert(question, QUESTION_MAX)}**" if not theme.spoiler else theme_text(question, theme, QUESTION_MAX)
    missing = (f"The critics' reviews of *{inert(film, 150)}* here say nothing on this theme yet" if reviewed
               else f"No critic review of *{inert(film, 150)}* here yet")
    description = f"{shown_question}\n\n{missing}: the club speaks first."
    embed = discord.Embed(
        title=clip(f"💬 Discuss: {theme.name}", 256), description=clip(description, EMBED_DESCRIPTION_MAX),
        colour=FILM_CLUB_COLOUR,
    )
    embed.add_field(name="Theme", value=theme_text(theme.description, theme, 1024), inline=False)
    embed.set_footer(text="Reply in the thread")
    content = f"<@&{mention_role_id}>" if mention_role_id is not None else ""
    return RenderedPrompt(content=content, embed=embed, thread_name=thread_name(theme, question, film_name or title),
                          question=question)
