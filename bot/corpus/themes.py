"""Discussion themes: which apply to a film, and tagging passages with them.

Tagging is deliberately precise rather than generous: a passage shown under
"The ending" that is really about a different film, or that only uses the
idiom "in the end", makes the bot look clueless in front of a film club.

Loading lives in themes_load.py, the data model in themes_model.py; both are
re-exported here so `from bot.corpus.themes import Theme, load_themes` works.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from bot.corpus.film_refs import DEIXIS, names_another_film, title_anchor
from bot.corpus.literals import lowered_for_literals, may_match
from bot.corpus.roll_call import without_roll_calls
from bot.corpus.themes_load import load_themes
from bot.corpus.themes_model import (
    DEFAULT_THRESHOLD,
    Extension,
    Film,
    Theme,
    ThemeSet,
    fold_quotes,
    normalise_title,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "Film",
    "Theme",
    "ThemeSet",
    "cast_names",
    "contrast_side",
    "fold_quotes",
    "is_about_other_film",
    "load_themes",
    "tag_bound",
    "tag_passage",
    "theme_for_film",
    "theme_score",
    "themes_for_film",
    "with_cast",
]


def _extend(theme: Theme, ext: Extension) -> Theme:
    """A generic theme plus one film's additions (its phrases and questions come on top)."""
    assert theme.templates is not None
    t = theme.templates
    poll = ext.poll or (t.poll_question, t.poll_answers)
    templates = dataclasses.replace(
        t,
        questions=ext.questions + t.questions,
        debate_question=ext.debate_question or t.debate_question,
        poll_question=poll[0],
        poll_answers=poll[1],
    )
    requires = theme.requires
    if ext.requires is not None and requires is not None:
        requires = re.compile(f"(?:{requires.pattern})|(?:{ext.requires.pattern})", re.IGNORECASE)
    return dataclasses.replace(
        theme,
        patterns=theme.patterns + ext.patterns,
        description=ext.description or theme.description,
        requires=requires,
        templates=templates,
    )


def _bind(theme: Theme, film: Film | None, title: str | None) -> Theme:
    """Attach the film's anchors and comparisons, so other films' passages can be told apart."""
    own = title_anchor(film.title if film else title)
    anchors = (film.anchors if film else ()) + ((own,) if own else ()) + (DEIXIS,)
    return dataclasses.replace(
        theme,
        anchors=anchors,
        other_films=film.other_films if film else (),
        film_title=film.title if film else title,
    )


def themes_for_film(all_themes: dict[str, Theme], title: str | None, year: int | None = None) -> dict[str, Theme]:
    """The themes that apply to one film: generic ones (with its additions) and its own.

    title None = film unknown: the generic themes only.  Cached per film on a ThemeSet.
    """
    cache_key = (normalise_title(title or ""), year)
    bound = getattr(all_themes, "bound", None)
    if bound is not None and cache_key in bound:
        return bound[cache_key]
    film = all_themes.film(title, year) if isinstance(all_themes, ThemeSet) else None
    out: dict[str, Theme] = {}
    for key, theme in all_themes.items():
        if theme.film is not None and (film is None or theme.film != film.key):
            continue  # another film's own theme (jazz is La La Land's)
        if film is not None and key in film.extensions:
            theme = _extend(theme, film.extensions[key])
        out[key] = _bind(theme, film, title)
    if bound is not None:
        bound[cache_key] = out
    return out


def is_about_other_film(text: str, theme: Theme) -> bool:
    """True when the text names another film and nothing of this one."""
    folded = fold_quotes(text)
    names_other = any(p.search(folded) for p in theme.other_films) or names_another_film(text, theme.film_title)
    return names_other and not any(p.search(folded) for p in theme.anchors)


@lru_cache(maxsize=256)
def _any_phrase(patterns: tuple[tuple[re.Pattern[str], float], ...]) -> re.Pattern[str]:
    """One alternation of a theme's phrases: a single search rules out most passages at once."""
    return re.compile("|".join(f"(?:{p.pattern})" for p, _ in patterns), re.IGNORECASE)


@lru_cache(maxsize=4096)
def _title_baits(title: str, theme: Theme) -> re.Pattern[str] | None:
    """The film's title as a pattern when the title itself would count for the theme (a film called
    *Nostalgia*, *The End*, *Last Night in Soho*), else None. For a theme that weighs actors' names, always:
    a title is two capitalised words as often as an actor is ("Rear Window was superb" is the film)."""
    anchor = title_anchor(title)
    if anchor is None or not theme.patterns:
        return None
    baits = (theme.cast_weight > 0 or theme.cued(title)
             or _any_phrase(theme.patterns).search(fold_quotes(title)) is not None)
    return anchor if baits else None


def theme_score(text: str, theme: Theme) -> float:
    """Sum of the weights of the distinct phrases found (each counts once).

    The film's own title is read as "the film" when it holds the theme's words: "Nostalgia is a rough
    sit" is about the film called Nostalgia, not about nostalgia.
    """
    if theme.film_title and (title := _title_baits(theme.film_title, theme)) is not None:
        text = title.sub("the film", text)
    folded = fold_quotes(text)
    # No cue word means a score of 0 whatever the weights: skip the per-phrase searches (every passage is
    # tagged, refused ones included). The phrases are then searched one by one: with cues as broad as the
    # generic themes' now, one alternation of them all first cost more than it saved (~0.5 ms a passage).
    if not theme.patterns or not theme.cued(text):
        return 0.0
    actors = _actors_named(folded, theme.cast)
    lowered = lowered_for_literals(folded)  # a phrase whose every match needs a word the passage lacks: not searched
    found = [weight for pattern, weight in theme.patterns
             if may_match(pattern.pattern, lowered) and pattern.search(folded)]
    if not (found or actors):
        return 0.0
    if theme.this_film_only and is_about_other_film(text, theme):
        return 0.0
    return round(sum(found) + theme.cast_weight * actors, 2)


CAST_COUNTED = 2  # most actors a passage's score counts: two named side by side is a comparison of the acting


def _actors_named(folded: str, cast: re.Pattern[str] | None) -> int:
    """How many different actors of the review's cast the passage names (up to CAST_COUNTED): critics name the
    actors to talk about the acting ("Coburn was forty-five. Kristofferson was thirty-seven."), the story goes
    by the characters' names."""
    if cast is None:
        return 0
    return min(CAST_COUNTED, len({match.group(0) for match in cast.finditer(folded)}))


def tag_passage(
    text: str, themes: dict[str, Theme], film: str | None = None, year: int | None = None
) -> dict[str, float]:
    """Theme key -> score for every theme (of those applying to `film`) reaching its threshold."""
    return tag_bound(text, themes_for_film(themes, film, year))


def tag_bound(text: str, applying: dict[str, Theme]) -> dict[str, float]:
    """tag_passage for themes already picked by themes_for_film (no second filtering). A roll call of crafts with
    one stock verdict ("The music, visuals, and acting are all on point.") is not scored (roll_call.py)."""
    text = without_roll_calls(text)
    scores = {key: theme_score(text, theme) for key, theme in applying.items()}
    return {key: score for key, score in scores.items() if score >= applying[key].threshold}


@lru_cache(maxsize=256)
def _word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """'joy*' matches joy, joyful, joyous; 'pain' matches only pain."""
    parts = [re.escape(w.rstrip("*")) + (r"\w*" if w.endswith("*") else "") for w in words]
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE)


def contrast_side(text: str, theme: Theme) -> int:
    """-1 if the wording leans to contrasts[0], +1 to contrasts[1], 0 if neither/tied."""
    folded = fold_quotes(text)
    first = len(_word_pattern(theme.contrasts[0]).findall(folded))
    second = len(_word_pattern(theme.contrasts[1]).findall(folded))
    return (second > first) - (first > second)


ONE_THEME_CACHE = 8192  # entries of ThemeSet.bound_one


def theme_for_film(
    all_themes: dict[str, Theme], key: str, title: str | None, year: int | None = None, *, bind: bool = True
) -> Theme | None:
    """`themes_for_film(all_themes, title, year).get(key)`, binding that one theme only (a prompt needs
    one). Cached per film and theme on a ThemeSet.

    bind=False: the film's extension applied but not its anchors, enough for the film's questions. A
    prompt asks only that, and binding compiles the film's title into a pattern (~0.2 ms a film).
    """
    film_key = (normalise_title(title or ""), year)
    bound = getattr(all_themes, "bound", None)
    if bound is not None and film_key in bound:
        return bound[film_key].get(key)
    cache = getattr(all_themes, "bound_one", None)
    cache_key = (*film_key, key, bind)
    if cache is not None and cache_key in cache:
        return cache[cache_key]
    film = all_themes.film(title, year) if isinstance(all_themes, ThemeSet) else None
    theme = all_themes.get(key)
    result = None
    if theme is not None and not (theme.film is not None and (film is None or theme.film != film.key)):
        if film is not None and key in film.extensions:
            theme = _extend(theme, film.extensions[key])
        result = _bind(theme, film, title) if bind else theme
    if cache is not None:
        if len(cache) >= ONE_THEME_CACHE:  # a club's films are few; a bot serving thousands stays bounded
            cache.clear()
        cache[cache_key] = result
    return result


# An actor's name as reviews print it: "Paul Newman", "Kristin Scott Thomas", "Richard E. Grant",
# "Robert De Niro", "Catherine O'Hara", "Benoît Magimel".
_NAME_WORD = r"(?:[A-ZÀ-Þ][a-zß-ÿ]+(?:['’-][A-ZÀ-Þ]?[a-zß-ÿ]+)?|[A-Z][a-z]?[A-Z][a-z]+|[A-Z]\.)"
_FULL_NAME = rf"{_NAME_WORD}(?: (?:de |De |van |von |del |da |di |le |La )?{_NAME_WORD}){{1,3}}"
# Where a review names a film's actors: "(Kristin Scott Thomas)" after a role, "Isabelle Huppert plays
# Erika", "played by Simon Pegg", "starring Paul Newman", "the actress Sheila Vand".
_CAST = re.compile(
    rf"\(({_FULL_NAME})\)"
    rf"|\b({_FULL_NAME}),? (?:plays|played|co-stars|stars|portrays|voices)\b(?! by\b)"
    rf"|\b(?:played|portrayed|voiced) by ({_FULL_NAME})"
    rf"|\b(?:starring|actor|actress) ({_FULL_NAME})"
    # "Burt Lancaster as Swede", "Edmond O'Brien as the insurance agent": a full name given a part
    rf"|\b({_FULL_NAME}),? as (?:the |a |an |young |old |older )?(?:[a-z-]+ ){{0,2}}?(?:[A-Z][a-z]+|[a-z]+ (?:agent|detective|mother|father|wife|husband|son|daughter|brother|sister|girl|boy|man|woman|villain|hero|cop|killer|priest|teacher))\b"
)


_INTRO_VERB = r"(?:plays|played|co-stars|stars|portrays|voices)"


def cast_names(text: str) -> tuple[tuple[str, str], ...]:
    """(given names, surname) of the actors a review names as cast, in order of first mention, once each:
    "Kristin Scott Thomas" -> ("Kristin Scott", "Thomas")."""
    names: dict[str, str] = {}
    for match in _CAST.finditer(fold_quotes(text)):
        *given, surname = next(group for group in match.groups() if group).split()
        if len(surname) > 2 and not surname.endswith("."):
            names.setdefault(surname, " ".join(given))
    return tuple((given, surname) for surname, given in names.items())


def _mention(given: str, surname: str) -> str:
    """The surname on its own, as critics write about the acting ("Huppert is extraordinary"), not where
    the review introduces the actor ("Isabelle Huppert plays Erika", "(Paul Newman)", "played by…")."""
    return rf"(?<!{re.escape(given)} )\b{re.escape(surname)}\b(?!\)|,? {_INTRO_VERB}\b)"


def with_cast(applying: dict[str, Theme], text: str) -> dict[str, Theme]:
    """The themes for one review whose themes weigh actors' names (cast_weight > 0) count a mention of
    an actor the review itself names, as La La Land's own section counts "Stone" and "Gosling": a critic
    who has said "Isabelle Huppert plays Erika" and then writes "Huppert alone is worth the price of
    admission" is talking about her performance. Names the theme already counts are left to it."""
    weighted = {key: theme for key, theme in applying.items() if theme.cast_weight > 0}
    if not weighted:
        return applying
    names = cast_names(text)
    if not names:
        return applying
    out = dict(applying)
    for key, theme in weighted.items():
        phrases = _any_phrase(theme.patterns)
        mine = [_mention(given, surname) for given, surname in names if not phrases.search(surname)]
        if mine:  # case-sensitive: "Stone" the actress, not "stone"
            out[key] = dataclasses.replace(theme, cast=re.compile("|".join(mine)))
    return out
