"""Tokens and what one token may be: a name, a subject, a finite verb, a verb's base forms.

Whitespace tokens with their punctuation noted (`Token`); "it's" becomes "it" + "'s". Every rule in
this package reads the same tuple (cached), and asks these questions of single tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.corpus.fusion.words import (
    ADVERBS,
    AUX,
    BE,
    CONTRACTED,
    DETERMINERS,
    FUNCTION_WORDS,
    IRREGULAR_PAST,
    IRREGULAR_PLURALS,
    NOMINATIVE,
    TIME_AFTER,
    TIME_NOUNS,
)

_CLAUSE_END = ",;:.!?—–)”\"…"


@dataclass(frozen=True)
class Token:
    word: str  # lower case, outer punctuation stripped
    raw: str
    ends_clause: bool  # trailing punctuation (comma, dash, stop...)
    opens: bool  # leading quote or bracket


@lru_cache(maxsize=8)  # run_on and object_fusion read the same passage one after the other
def tokenize(text: str) -> tuple[Token, ...]:
    """Whitespace tokens with their punctuation noted; "it's" becomes "it" + "'s"."""
    out: list[Token] = []
    for raw in text.split():
        word = raw.strip("\"“”‘’'()[]{},;:.!?—–…*_").lower().replace("’", "'")
        ends, opens = raw[-1] in _CLAUSE_END, raw[0] in "\"“‘'([—–"
        head, apostrophe, tail = word.partition("'")
        if apostrophe and head in CONTRACTED and tail in ("s", "re", "m", "ll", "d", "ve"):
            out += [Token(head, raw, False, opens), Token("'" + tail, raw, ends, False)]
        else:
            out.append(Token(word, raw, ends, opens))
    return tuple(out)


@lru_cache(maxsize=4096)  # a review repeats its verbs; bounded, so hostile input cannot grow it
def stems(word: str) -> tuple[str, ...]:
    """Candidate base forms of a verb form ("cares" -> care, "cried" -> cry)."""
    forms = [word]
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("d", ""), ("ing", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            forms.append(word[: -len(suffix)] + repl)
    return tuple(forms)


def in_lexicon(word: str, lexicon: frozenset[str]) -> bool:
    """Whether any base form of `word` is in `lexicon`."""
    return any(stem in lexicon for stem in stems(word))


def finite_3sg(word: str) -> bool:
    """A verb form that agrees with he/she/it or a singular noun: -s, -ed, past, be/have/modal."""
    if word in BE or word in AUX or word in IRREGULAR_PAST:
        return True
    if word.endswith("ed") and len(word) > 3:
        return True
    return word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")) and len(word) > 2


def is_subject(token: Token) -> bool:
    """A subject pronoun or a name."""
    return token.word in NOMINATIVE or is_name(token)


def is_name(token: Token) -> bool:
    """A capitalised word inside a sentence, not "I" and not a possessive ("Mia’s" is no subject)."""
    raw = token.raw.lstrip("\"“‘'([")
    return raw[:1].isupper() and token.word not in ("i", "i'm", "i've", "i'd", "i'll") and not (
        token.word.endswith(("'s", "s'")))


def looks_finite(tokens: Sequence[Token], i: int) -> bool:
    """A token that may be the verb of the clause before a fusion point ("keeps", "dances")."""
    word = tokens[i].word
    if word in _SURE_VERBS:
        return True
    if word in FUNCTION_WORDS:
        return False
    if word in TIME_NOUNS and i + 1 < len(tokens) and tokens[i + 1].word in TIME_AFTER:
        return False  # "and years later Sebastian owns a club": a time phrase, not a verb
    before = tokens[i - 1] if i else None
    if before is not None and _lower_case_after_name(before, tokens[i]):
        return True  # "Nora and Hae Sung sit": a lower-case word after a name
    after_determiner = before is not None and (before.word in DETERMINERS or before.word.endswith("'s"))
    return not after_determiner and (word.endswith("ed") or finite_3sg(word))


_SURE_VERBS = BE | AUX | IRREGULAR_PAST


def _lower_case_after_name(before: Token, token: Token) -> bool:
    raw = token.raw.lstrip("\"“‘'([")
    return before.raw[:1].isupper() and before.word not in FUNCTION_WORDS and (
        raw[:1].islower() and not before.ends_clause)


def is_plural(token: Token) -> bool:
    return (token.word.endswith("s") and not token.word.endswith("ss")) or token.word in IRREGULAR_PLURALS


def finite_after(tokens: Sequence[Token], k: int, head: Token | None = None) -> tuple[int, bool] | None:
    """(index, adverb before it) of a finite verb at tokens[k] after optional adverbs, agreeing with `head`."""
    j, adverb = k, False
    while j < len(tokens) and j - k < 2 and (tokens[j].word in ADVERBS or tokens[j].word.endswith("ly")) and (
            tokens[j].raw[:1].islower()):
        j, adverb = j + 1, True
    if j >= len(tokens) or tokens[j].opens or not tokens[j].raw[:1].islower():
        return None
    word = tokens[j].word
    if not word.isalpha() or word in FUNCTION_WORDS or word in TIME_NOUNS or word.endswith("ing"):
        return None
    if head is not None and is_plural(head):
        return (j, adverb) if not finite_3sg(word) or word.endswith("ed") or word in IRREGULAR_PAST else None
    return (j, adverb) if finite_3sg(word) else None
