"""A name opening a clause that nothing introduces (`unintroduced_subject`, round 4 of the run-on rules).

"…every year of it Novak, twenty-four at the time, is asked…": a full stop was lost before the name.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.corpus.fusion.clause import Clause
from bot.corpus.fusion.phrases import object_closes, time_phrase_ends
from bot.corpus.fusion.tokens import Token, finite_after, in_lexicon, is_name, looks_finite, tokenize
from bot.corpus.fusion.words import (
    ADVERBS,
    AND_OR_BUT,
    BE,
    CONJUNCTIONS,
    DEGREE,
    DEGREE_OR_COMPARING,
    DETERMINERS,
    FUNCTION_WORDS,
    HEAD_NOUNS,
    INTERRUPTION_NOT,
    INTRODUCERS,
    NOMINATIVE,
    OBJECT_CLAUSE,
    PARTICLES,
    PREPOSITIONS,
    ROLE_NOUNS,
    SUBJECT_CLAUSE,
    SUBJECT_PRONOUNS,
    SUBORDINATORS,
    TIME_NOUNS,
)

# A comma or bracket interruption between a subject and its verb: at most this many words.
_MAX_INTERRUPTION = 8


def _interruption_end(tokens: Sequence[Token], k: int) -> int | None:
    """Index after a comma-delimited appositive or a bracketed aside opening at tokens[k].

    "Novak, twenty-four at the time, is…", "Fern, widowed and in her sixties, packs…", "Fern (widowed)
    packs…".  tokens[k - 1] is the name: it ends with the comma, or tokens[k] opens the bracket.
    """
    bracket = tokens[k].raw.startswith("(")
    if not bracket and not tokens[k - 1].raw.endswith(","):
        return None
    if tokens[k].word in INTERRUPTION_NOT:
        return None  # "Mia, who…", "Mia, and then…": a relative or a second clause, not an aside
    for j in range(k, min(len(tokens), k + _MAX_INTERRUPTION)):
        raw = tokens[j].raw.rstrip("”’\"'")
        if raw.endswith((".", "!", "?", ";", ":", "…")):
            return None
        if raw.endswith(")" if bracket else ","):
            return j + 1
    return None


def _clause_has_gap(tokens: Sequence[Token], verb_at: int) -> bool:
    """A transitive verb with nothing after it, or a stranded preposition: a relative clause's gap.

    "the town Fern, like everyone else, left behind in the end" keeps its gap ("left … behind" has no
    object of its own); only clear gaps count, so the check stays cheap and conservative.
    """
    clause = Clause(tokens, verb_at)
    rest = clause.toks[1:]
    return not rest or rest[-1].word in PREPOSITIONS and rest[-1].ends_clause


def _name_subject_at(tokens: Sequence[Token], k: int) -> int | None:
    """Index of the finite verb of a clause whose subject is the name (1–3 words) at tokens[k].

    An optional comma appositive or bracketed aside may sit between the name and the verb ("Jim
    Carrey, for once, is allowed").  None when no such verb follows.
    """
    n = 0
    if tokens[k].word in NOMINATIVE and tokens[k].word != "i" and not tokens[k].opens:
        n = 1  # "…at the sky he, for once, is allowed…": a subject pronoun, interrupted
    while k + n < len(tokens) and n < 3 and is_name(tokens[k + n]) and not tokens[k + n].opens:
        n += 1
        if tokens[k + n - 1].ends_clause:
            break
    if not n or k + n >= len(tokens) or tokens[k + n - 1].raw.endswith(("’s", "'s")):
        return None
    last = tokens[k + n - 1]
    after = k + n
    if last.ends_clause or tokens[after].opens:
        end = _interruption_end(tokens, after)
        if end is None or end >= len(tokens):
            return None
        after = end
    found = finite_after(tokens, after)  # a name is singular, whatever its last letter ("Denis keeps")
    return None if found is None else found[0]


def _may_end_clause(tokens: Sequence[Token], i: int) -> bool:
    """tokens[i] can be the last word of a complete clause rather than lead into a new one.

    Not punctuation-ended (that boundary is real), not a word that introduces or heads a clause
    ("says", "that", "the moment"), not a preposition, determiner or role noun ("the pianist Mia").
    """
    token = tokens[i]
    if token.ends_clause or not token.word.isalpha() or not token.raw[:1].islower():
        return False
    word = token.word
    if word in PREPOSITIONS and word not in PARTICLES or word in DETERMINERS | CONJUNCTIONS:
        return False
    if word in ROLE_NOUNS or word in DEGREE_OR_COMPARING or word.endswith(("'s", "s'")):
        return False
    if i and tokens[i - 1].word in DEGREE:
        return False  # "so quiet she can hear herself think": "that" left out after a degree
    if word in HEAD_NOUNS and not time_phrase_ends(tokens, i):
        return False
    if in_lexicon(word, INTRODUCERS) or in_lexicon(word, OBJECT_CLAUSE):
        return object_closes(tokens, i)  # "…every year of it Novak…": an object pronoun may end it
    return True


def _elliptical_be(tokens: Sequence[Token], i: int) -> bool:
    """ "…which they essentially are": a pronoun subject and a bare "be" that closes the clause."""
    if tokens[i].word not in BE or tokens[i].word.startswith("'"):
        return False
    j = i - 1
    while j >= 0 and i - j <= 3 and (tokens[j].word in ADVERBS or tokens[j].word.endswith("ly")):
        j -= 1
    return j >= 0 and tokens[j].word in SUBJECT_PRONOUNS and not tokens[j].ends_clause


def unintroduced_subject(text: str) -> bool:
    """A name that is the subject of a new clause nothing introduces: a full stop was lost before it.

    "…makes use of every year of it Novak, twenty-four at the time, is asked…", "…look up at the sky
    Jim Carrey, for once, is allowed…", "…had been discontinued Fern, widowed, packs…", "…which they
    essentially are Denis keeps Galoup…".  A clause needs something to open it: punctuation, a
    conjunction or relative, a verb of saying or thinking, "than"/"as".  Where the clause before
    already has its verb and ends on a word that can close it, a name followed (after an optional
    comma appositive or bracketed aside) by a finite verb starts a sentence the scrape fused on.

    Without an interruption the shape is also a reduced relative ("the family Michael swore he would
    never join", "the dorm Zuckerberg types in"), which run_on() decides by the clause's gap; here
    only the interrupted subject and a bare "be" that closes its clause ("they are Denis keeps") count,
    and a clause that visibly keeps its gap (a stranded preposition) is left alone.
    """
    tokens = tokenize(text)
    verb_seen = fronted = False
    for i, token in enumerate(tokens[:-1]):
        if _opens_fronted_clause(tokens, i):
            verb_seen, fronted = False, True
        if fronted:
            fronted = not token.ends_clause
            continue
        if token.opens and not token.raw.startswith("("):
            verb_seen = False
        if _subject_fused_after(tokens, i, verb_seen):
            return True
        if token.word in CONJUNCTIONS or token.ends_clause:
            verb_seen = _verb_carries_over(token, tokens[i + 1])
            continue
        verb_seen = verb_seen or looks_finite(tokens, i)
    return False


def _opens_fronted_clause(tokens: Sequence[Token], i: int) -> bool:
    """"Whatever they are Mia likes them", "When she was young Mia sang": a fronted subordinate clause may
    end without its comma, and the main clause's subject follows (skipped up to its punctuation)."""
    token = tokens[i]
    return (token.word in SUBORDINATORS or token.word in SUBJECT_CLAUSE) and (
        not i or tokens[i - 1].raw.endswith((".", "!", "?")))


def _subject_fused_after(tokens: Sequence[Token], i: int, verb_seen: bool) -> bool:
    """After tokens[i], which can close a clause that has its verb (or a bare "be"), a name or pronoun is the
    subject of a new clause: interrupted before its verb, or after the elliptical "be", with no visible gap."""
    nxt = tokens[i + 1]
    elliptical = _elliptical_be(tokens, i)  # the "be" is the clause's verb
    subject = is_name(nxt) or nxt.word in NOMINATIVE
    if not ((verb_seen or elliptical) and subject and not nxt.opens and _may_end_clause(tokens, i)):
        return False
    verb_at = _name_subject_at(tokens, i + 1)
    if verb_at is None:
        return False
    interrupted = verb_at > i + 2 and (tokens[verb_at - 1].ends_clause or tokens[verb_at - 1].raw.endswith(")"))
    return (interrupted or elliptical) and not _clause_has_gap(tokens, verb_at)


def _verb_carries_over(token: Token, nxt: Token) -> bool:
    """"…and look up at the sky": a bare verb straight after "and" continues the subject (and its verb)."""
    return token.word in AND_OR_BUT and nxt.raw[:1].islower() and (
        nxt.word not in FUNCTION_WORDS and nxt.word not in TIME_NOUNS and nxt.word.isalpha()
        and not token.ends_clause)
