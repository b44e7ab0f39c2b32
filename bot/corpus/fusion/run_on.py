"""Two clauses fused where a scrape lost the punctuation between them (the `run_on` refusal).

"Nolan keeps explaining the rules he cares less about the feelings." reads as
one sentence to a machine and as nonsense to a person.  The same surface shape
is ordinary English when the second clause is a reduced relative with a gap
("the rules he cares about", "the film she made in 1999", "the road the wives
climb down"), so the test here is the gap: a new subject and finite verb right
after a content word, with no punctuation or conjunction between, is a run-on
only when the clause it opens is complete (its object or complement is there,
`clause.py`).  The new subject may be a pronoun, a name ("…his operating system
Samantha laughs at his jokes") or a short noun phrase with any verb that agrees
with it and takes an object ("…a recommendation the Kims exploit that trust").
Right after a verb there is no noun for a relative clause to hang on, so a name
and a second finite verb ("…every time he drives Misaki notices…") are two clauses.

Simple tokenisation and a few word lists; no regex over the text, one pass
over the tokens with a bounded look-ahead, so linear time on any input.  When
unsure the answer is "run-on": a refused quote costs less than a garbled one.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.corpus.fusion.clause import new_clause_at
from bot.corpus.fusion.phrases import object_closes, time_phrase_ends
from bot.corpus.fusion.tokens import Token, in_lexicon, is_name, looks_finite, tokenize
from bot.corpus.fusion.words import (
    CONJUNCTIONS,
    DEGREE_OR_AS,
    DETERMINERS,
    HEAD_NOUNS,
    INTRODUCERS,
    OBJECT_CLAUSE,
    PARTICLES,
    PREPOSITIONS,
)


def run_on(text: str) -> bool:
    """Whether a clause is fused onto a complete one with the punctuation lost (see module doc).

    One pass: after a clause that has its verb, a word that can close it (`can_close_clause`) and that
    introduces nothing (`introduces_nothing`) is a fusion point; the clause opened there decides
    (`clause.new_clause_at`). Punctuation, an opening quote or bracket and conjunctions start afresh.
    """
    tokens = tokenize(text)
    since_break, verb_seen = 0, False
    for i, token in enumerate(tokens[:-1]):
        if token.opens:
            since_break, verb_seen = 0, False
        since_break += 1
        # The clause before the fusion point has a verb: "In the end he wins" is fine.
        fusion = verb_seen and since_break >= 2 and can_close_clause(tokens, i) and introduces_nothing(tokens, i)
        if fusion and new_clause_at(tokens, i):
            return True
        verb_seen = verb_seen or looks_finite(tokens, i)
        if token.word in CONJUNCTIONS:  # "…, where Hoffman and Ross realise that escaping a life is…"
            since_break, verb_seen = 0, False
        if token.ends_clause:
            since_break, verb_seen = 0, False
    return False


def can_close_clause(tokens: Sequence[Token], i: int) -> bool:
    """tokens[i] may be the last word of a clause: no punctuation after it, no quote or bracket opening next,
    a word or number that is not a determiner, a preposition (particles excepted) or a possessive."""
    token = tokens[i]
    return (
        not token.ends_clause
        and not tokens[i + 1].opens
        and (token.word[:1].isalpha() or token.word[:1].isdigit())
        and (token.word not in PREPOSITIONS or token.word in PARTICLES)
        and token.word not in DETERMINERS
        and not token.word.endswith(("'s", "s'"))  # "James Stewart's Scottie": a possessive ends nothing
    )


def introduces_nothing(tokens: Sequence[Token], i: int) -> bool:
    """tokens[i] does not lead into the next clause: no verb taking a clause ("says", unless an object pronoun
    closes it), no name after a verb taking an object and a clause, no "the way"-type head noun (a time
    phrase excepted), nothing after "so"/"such"/"as"."""
    token = tokens[i]
    return (
        (not in_lexicon(token.word, INTRODUCERS) or object_closes(tokens, i))
        # "Colm tells Pádraic he doesn't like him": an object, then the clause the verb takes.
        and not (i and in_lexicon(tokens[i - 1].word, OBJECT_CLAUSE) and is_name(token))
        and not (token.word in HEAD_NOUNS and not time_phrase_ends(tokens, i))
        and not (i and tokens[i - 1].word in DEGREE_OR_AS)
    )
