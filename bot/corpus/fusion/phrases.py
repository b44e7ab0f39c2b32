"""What a few tokens form: an object, a time phrase, a verb agreeing with the noun before it.

Questions about a short window of tokens that the gap test (`clause.py`) and the detectors ask; none of
them opens a clause itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.corpus.fusion.tokens import Token, finite_3sg, in_lexicon, is_name, is_subject
from bot.corpus.fusion.words import (
    ADVERBS,
    CAUSATIVE,
    CONJUNCTIONS,
    DETERMINERS,
    DITRANSITIVE,
    EVERY_NEXT,
    FUNCTION_WORDS,
    INTRODUCERS,
    IRREGULAR_PAST,
    OBJECT_CLAUSE,
    OBJECT_START,
    PERIODS,
    PERSONAL_OBJECTS,
    PLURAL,
    PLURAL_HEADS,
    PREPOSITIONS,
    QUANTIFIERS,
    REFLEXIVES,
    SUPERLATIVE_ADVERBS,
)


def after_bare_name(tokens: Sequence[Token], i: int) -> bool:
    """tokens[i] is a name that no verb with two objects or a clause governs ("gives Mia the ring")."""
    if not is_name(tokens[i]) or not i or tokens[i - 1].ends_clause:
        return False
    before = tokens[i - 1].word
    return not any(in_lexicon(before, lexicon) for lexicon in (DITRANSITIVE, CAUSATIVE, INTRODUCERS, OBJECT_CLAUSE))


def agrees(toks: Sequence[Token], j: int) -> bool:
    """toks[j] is a plain word that agrees as a finite verb with the noun before it."""
    word, head = toks[j].word, toks[j - 1]
    if not word.isalpha() or toks[j].raw[:1].isupper() or word in FUNCTION_WORDS or word.endswith("ing"):
        return False
    plural = head.word.endswith("s") and not head.word.endswith("ss") or head.word in PLURAL_HEADS
    past = word in IRREGULAR_PAST or word.endswith("ed")
    return past or (not finite_3sg(word) if plural else finite_3sg(word))


def opens_object(toks: Sequence[Token], k: int) -> bool:
    """Whether toks[k:] open a noun phrase object: "the door", "him", "Mia", "most of", "that trust"."""
    first = toks[k]
    following = toks[k + 1] if k + 1 < len(toks) else None
    if first.word in REFLEXIVES:  # "the intimacy they allow themselves" may still have its gap
        return following is not None
    if first.word in OBJECT_START or is_name(first):
        return True
    if first.word in QUANTIFIERS:
        return following is not None and following.word == "of"
    if first.word != "that" or following is None or first.ends_clause:
        return False
    # A demonstrative before a plain noun that ends the phrase ("exploit that trust with…"), not a
    # relative or complement ("the thing that ever happened", "that he knows").
    plain = following.word.isalpha() and following.raw[:1].islower() and not (
        is_subject(following) or following.word in DETERMINERS or following.word in ADVERBS
        or following.word.endswith("ly"))
    after = toks[k + 2] if k + 2 < len(toks) else None
    return plain and (following.ends_clause or after is None or after.word in PREPOSITIONS | CONJUNCTIONS)


def unknown_verb_with_object(toks: Sequence[Token], j: int) -> bool:
    """toks[j] agrees with the noun before it as a finite verb and an object follows it.

    Any verb, not only the listed ones: "the Kims exploit that trust", "the witch takes most of her
    name".  A plural head takes a base form, a singular one an -s form; the past fits both.  "the
    most/best" after the verb is an adverb ("the film the critics love the most"), not an object.
    """
    if j + 1 >= len(toks) or toks[j - 1].ends_clause or toks[j].opens or toks[j + 1].opens:
        return False
    head, word, after = toks[j - 1], toks[j].word, toks[j + 1]
    if not word.isalpha() or word in PREPOSITIONS | DETERMINERS | CONJUNCTIONS | ADVERBS | QUANTIFIERS:
        return False
    plural = head.word.endswith("s") and not head.word.endswith("ss") or head.word in PLURAL
    past = word in IRREGULAR_PAST or word.endswith("ed")
    agrees = past or (not finite_3sg(word) if plural else finite_3sg(word))
    if not agrees or word.endswith("ing"):
        return False
    if after.word == "the" and j + 2 < len(toks) and toks[j + 2].word in SUPERLATIVE_ADVERBS:
        return False
    return opens_object(toks, j + 1)


def object_closes(tokens: Sequence[Token], i: int) -> bool:
    """ "…did not push him the court wants…": an object pronoun that ends its clause.

    After verbs with two objects or a clause ("gives him the ring", "tells him the film is…",
    "lets him go") the pronoun does not end anything.
    """
    before = tokens[i - 1] if i else None
    if tokens[i].word not in PERSONAL_OBJECTS or before is None or before.ends_clause or not before.word.isalpha():
        return False
    return not any(in_lexicon(before.word, lexicon) for lexicon in (DITRANSITIVE, CAUSATIVE, INTRODUCERS, OBJECT_CLAUSE))


def time_phrase_ends(tokens: Sequence[Token], i: int) -> bool:
    """Whether a head noun ends a time phrase ("at night", "every morning") instead of heading a relative.

    "the night she arrives" is a relative; "…at night he cries", "…every morning Takashi turns up"
    close the clause before.  "every time he drives" stays a subordinate clause.
    """
    before = tokens[i - 1].word if i else ""
    if before in PREPOSITIONS:
        return True
    if tokens[i].word not in PERIODS:
        return False
    # "for a week Nora introduces him": an indefinite duration is no head for a relative clause
    # ("on the day she arrives" is).
    indefinite = before in ("a", "one") and i > 1 and tokens[i - 2].word in PREPOSITIONS
    return before in EVERY_NEXT or indefinite
