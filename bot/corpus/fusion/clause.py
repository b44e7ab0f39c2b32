"""Is the clause opened at a fusion point complete? The gap test `run_on` decides by.

"Nolan keeps explaining the rules he cares less about the feelings." is two clauses; "the rules he cares
about" is a reduced relative whose object is missing (the gap). So a new subject and a finite verb after a
content word make a run-on only when the clause they open is complete: `new_clause_at` finds the subject
(a pronoun, a name, a short noun phrase) and its verb, and `Clause.complete_after_verb` asks, rule by rule
(`PREDICATE_RULES`, first that applies), whether the verb has its object or complement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.corpus.fusion.phrases import after_bare_name, agrees, opens_object, unknown_verb_with_object
from bot.corpus.fusion.tokens import Token, finite_3sg, in_lexicon, is_name, is_subject
from bot.corpus.fusion.words import (
    ADVERBS,
    AUX,
    BE,
    BE_TO,
    CATENATIVE,
    CAUSATIVE,
    CONJUNCTIONS,
    DETERMINERS,
    DITRANSITIVE,
    DO_HAVE,
    HEAD_NOUNS,
    INTRANSITIVE,
    INTRODUCERS,
    NOMINATIVE,
    OBJECT_START,
    PARTICLES,
    PERSONAL_OBJECTS,
    PLURAL,
    PREPOSITIONS,
    ROLE_NOUNS,
)

_LOOK_AHEAD = 8


# An unlisted verb is trusted only right after a short noun phrase ("the Kims exploit", "the old witch takes").
_MAX_UNKNOWN_VERB_AT = 3


class Clause:
    """The clause opened at a fusion point: its tokens up to the next clause end."""

    def __init__(self, tokens: Sequence[Token], start: int) -> None:
        end = start
        while end < len(tokens) and end - start < _LOOK_AHEAD * 2:
            boundary = end > start and (tokens[end].opens or tokens[end].word in CONJUNCTIONS)
            # "exploit that trust": a demonstrative, the clause goes on.
            if boundary and not (tokens[end].word == "that" and opens_object(tokens, end)):
                break
            end += 1
            if tokens[end - 1].ends_clause:
                break
        self.toks = tokens[start:end]

    def skip_adverbs(self, i: int) -> int:
        """Index of the first token from i on that is not an adverb.

        A clause-final "more"/"less" is an object ("it deserved far more"), not an adverb.
        """
        toks = self.toks
        while i < len(toks) and (toks[i].word in ADVERBS or toks[i].word.endswith("ly")):
            if i == len(toks) - 1 and toks[i].word in ("more", "less"):
                break
            i += 1
        return i

    def complete_after_verb(self, i: int, verb: str, loose: bool = False) -> bool:
        """Whether the predicate from token i (the verb) on has no gap: the first of PREDICATE_RULES that answers.

        `loose`: the subject is "it", which opens relative clauses less often than he/she.
        """
        return self.deciding_rule(i, verb, loose)[1]

    def deciding_rule(self, i: int, verb: str, loose: bool = False) -> tuple[str, bool]:
        """(the name of the rule that answers, its answer) for the verb at token i: what a test or a
        newcomer asks to see which rule decided a sentence."""
        main = self._main_verb(i, verb)
        if main is None:
            return "ends_on_to", False
        i, verb = main
        predicate = Predicate(self, verb, self.skip_adverbs(i + 1), loose)
        for rule in PREDICATE_RULES:
            verdict = rule(predicate)
            if verdict is not None:
                return rule.__name__, verdict
        raise AssertionError("the last predicate rule always answers")

    def _main_verb(self, i: int, verb: str) -> tuple[int, str] | None:
        """"wants to touch", "to touch": the verb after "to" carries the object (None: the clause ends on "to")."""
        toks = self.toks
        if verb == "to" or in_lexicon(verb, CATENATIVE) and i + 1 < len(toks) and toks[i + 1].word == "to":
            i = i + 2 if verb != "to" else i + 1
            if i >= len(toks):
                return None
            verb = toks[i].word
        return i, verb


@dataclass(frozen=True)
class Predicate:
    """A verb under test: its clause, the verb, where the words after it start (adverbs skipped)."""

    clause: Clause
    verb: str
    after: int  # index in clause.toks
    loose: bool

    @property
    def rest(self) -> Sequence[Token]:
        return self.clause.toks[self.after:]


# Each rule answers whether the predicate is complete (True: a run-on if the rest holds), or None when
# it does not apply; `Clause.complete_after_verb` asks them in PREDICATE_RULES' order.


def copula(p: Predicate) -> bool | None:
    """"is the best", "was 1999": a determiner or a number after be; "she's about to apologise for it"."""
    if p.verb not in BE and p.verb not in ("'s", "'re"):
        return None
    rest = p.rest
    if len(rest) > 1 and rest[0].word in BE_TO and rest[1].word == "to":
        return p.clause.complete_after_verb(p.after + 1, "to")
    return bool(rest) and (rest[0].word in DETERMINERS or rest[0].word.isdigit())


def do_have_main_verb(p: Predicate) -> bool | None:
    """"do it", "has a plan": a main verb with its object, unless a preposition is stranded ("has a soft spot for")."""
    rest = p.rest
    if p.verb in DO_HAVE and rest and rest[0].word in OBJECT_START:
        return rest[-1].word not in PREPOSITIONS
    return None


def auxiliary(p: Predicate) -> bool | None:
    """"has won again", "has to steal every look", "cannot follow": the verb after the auxiliary decides."""
    if p.verb not in AUX:
        return None
    toks, nxt = p.clause.toks, p.after
    if nxt < len(toks) and toks[nxt].word == "to":
        return p.clause.complete_after_verb(nxt, "to")
    return nxt < len(toks) and p.clause.complete_after_verb(nxt, toks[nxt].word)


def nothing_after(p: Predicate) -> bool | None:
    """"the film she made": nothing after the verb, the gap is the object."""
    return False if not p.rest else None


def intransitive(p: Predicate) -> bool | None:
    """"lives", "cares": complete unless it strands a preposition ("the city he lives in")."""
    if not in_lexicon(p.verb, INTRANSITIVE):
        return None
    return p.rest[-1].word not in PREPOSITIONS


def ditransitive(p: Predicate) -> bool | None:
    """"promises her a kingdom": both objects there; one object may hide a gap ("the answer he gives the students")."""
    if not in_lexicon(p.verb, DITRANSITIVE):
        return None
    rest = p.rest
    return len(rest) > 1 and rest[0].word in PERSONAL_OBJECTS | {"her"} and opens_object(rest, 1)


def causative_pronoun(p: Predicate) -> bool | None:
    """"lets him do it": does the bare verb after the pronoun have its object?"""
    rest = p.rest
    if in_lexicon(p.verb, CAUSATIVE) and len(rest) > 1 and rest[0].word in PERSONAL_OBJECTS | {"her"}:
        return p.clause.complete_after_verb(p.after + 1, rest[1].word)
    return None


def causative_bare_verb(p: Predicate) -> bool | None:
    """"watches the door close on her": object and bare verb given, the clause goes on."""
    rest = p.rest
    if in_lexicon(p.verb, CAUSATIVE) and rest[0].word in DETERMINERS and len(rest) > 3 and not finite_3sg(
            rest[2].word):
        return rest[-1].word not in PREPOSITIONS and rest[2].word not in PREPOSITIONS | DETERMINERS
    return None


def takes_clause(p: Predicate) -> bool | None:
    """A verb taking a clause without "that" ("has decided he would rather write music") or a causative."""
    if not (in_lexicon(p.verb, INTRODUCERS) or in_lexicon(p.verb, CAUSATIVE)):
        return None
    rest = p.rest
    first = rest[0]
    if is_subject(first) and len(rest) > 2:
        return new_clause_at(p.clause.toks, p.after - 1)
    # "we never hear it and", "lets her believe it for two hours": an object, nothing stranded;
    # "hears her sing" or "says is great" may still hide the gap.
    if first.word in PERSONAL_OBJECTS and rest[-1].word not in PREPOSITIONS:
        return len(rest) == 1 or rest[1].word in PREPOSITIONS or rest[1].word in ADVERBS
    if len(rest) == 1:
        return first.word in OBJECT_START
    return _plain_object_then_no_verb(rest)


def _plain_object_then_no_verb(rest: Sequence[Token]) -> bool:
    """"would rather write music than talk to him": an object and no later verb that could hide a gap
    ("say the ending ruins"), so nothing is missing."""
    first = rest[0]
    plain = first.word in OBJECT_START or (first.word.isalpha() and first.raw[:1].islower()
                                            and first.word not in PREPOSITIONS | ADVERBS
                                            and first.word not in INTRODUCERS)  # "learned how to ask"
    return plain and rest[-1].word not in PREPOSITIONS and not any(
        finite_3sg(t.word) or is_subject(t) for t in rest[1:])


def loose_it(p: Predicate) -> bool | None:
    """"it now tops critics' polls": after "it", anything but a preposition completes the clause."""
    if not p.loose:
        return None
    return p.rest[0].word not in PREPOSITIONS


def prepositional_object(p: Predicate) -> bool | None:
    """"apologise for it", "close in on the mill", "catch up with him": the object after the preposition."""
    rest = p.rest
    if rest[0].word not in PREPOSITIONS:
        return None
    phrasal = len(rest) > 2 and rest[1].word in PREPOSITIONS - PARTICLES and opens_object(rest, 2)
    return len(rest) > 1 and rest[1].word in PERSONAL_OBJECTS or phrasal


def direct_object(p: Predicate) -> bool | None:
    """Transitive: an object straight after the verb ("the door", "most of her name", "that trust")."""
    return opens_object(p.rest, 0)


PREDICATE_RULES: tuple[Callable[[Predicate], bool | None], ...] = (
    copula, do_have_main_verb, auxiliary, nothing_after, intransitive, ditransitive, causative_pronoun,
    causative_bare_verb, takes_clause, loose_it, prepositional_object, direct_object,
)


def new_clause_at(tokens: Sequence[Token], i: int) -> bool:
    """Whether tokens[i+1:] open a complete clause fused onto tokens[i]: a pronoun, a name or a noun phrase
    subject, its verb, and a predicate with no gap."""
    clause = Clause(tokens, i + 1)
    toks = clause.toks
    if len(toks) < 2:
        return False
    subject = toks[0].word
    if subject in NOMINATIVE or subject == "it":
        return _pronoun_clause(clause, subject)
    if is_name(toks[0]) and tokens[i].word not in ROLE_NOUNS and not is_name(tokens[i]):
        return _name_clause(tokens, i, clause)
    if subject not in DETERMINERS or subject in ("this", "that", "these", "those") or tokens[i].word.endswith("ing"):
        return False  # "escaping a life is…": a gerund and its object
    if toks[1].word in HEAD_NOUNS:
        return False  # "…a drum solo the way other directors edit a car chase": an adverbial
    return _noun_phrase_clause(tokens, i, clause)


def _pronoun_clause(clause: Clause, subject: str) -> bool:
    """"…the rules he cares less about the feelings": a subject pronoun, a verb agreeing with it, no gap."""
    toks = clause.toks
    verb_at = clause.skip_adverbs(1)
    if verb_at >= len(toks):
        return False
    verb = toks[verb_at].word
    if subject in ("he", "she", "it") and not finite_3sg(verb):
        return False
    if subject == "it" and verb in PREPOSITIONS | DETERMINERS:
        return False
    if in_lexicon(verb, INTRODUCERS) and verb_at + 1 < len(toks) and toks[verb_at + 1].word in NOMINATIVE:
        return new_clause_at(toks, verb_at)  # "he remembers she lets him do it"
    return clause.complete_after_verb(verb_at, verb, loose=subject == "it")


def _noun_phrase_clause(tokens: Sequence[Token], i: int, clause: Clause) -> bool:
    """A noun phrase subject: determiner, up to three words, then a verb we can recognise."""
    for j in range(2, min(len(clause.toks), 6)):
        verdict = _noun_phrase_verb(tokens, i, clause, j)
        if verdict is not None:
            return verdict
    return False


def _known_verb(toks: Sequence[Token], j: int) -> bool:
    """A listed verb: be, an auxiliary (not "do"), an intransitive, or a catenative before "to"."""
    word = toks[j].word
    return word in BE or (word in AUX and word != "do") or in_lexicon(word, INTRANSITIVE) or (
        in_lexicon(word, CATENATIVE) and j + 1 < len(toks) and toks[j + 1].word == "to")


def _inside_subject(toks: Sequence[Token], j: int) -> bool:
    """toks[j] still belongs to the subject: "every guest he meets wants", "the two of them talk"."""
    word = toks[j].word
    if word in NOMINATIVE and j + 1 < len(toks):
        return True
    return toks[j - 1].word in NOMINATIVE or word == "of" or toks[j - 1].word == "of"


def _noun_phrase_verb(tokens: Sequence[Token], i: int, clause: Clause, j: int) -> bool | None:
    """Whether toks[j], the verb of the noun phrase subject, completes a clause; None: look one word further."""
    toks = clause.toks
    word = toks[j].word
    if _inside_subject(toks, j):
        return None
    if _known_verb(toks, j):
        base_form = not finite_3sg(word)
        plural = toks[j - 1].word.endswith("s") or toks[j - 1].word in PLURAL
        if base_form and (in_lexicon(tokens[i].word, CAUSATIVE) or not plural):
            return False  # "makes the audience laugh", not a plural subject
        return clause.complete_after_verb(j, word)
    if j <= _MAX_UNKNOWN_VERB_AT and unknown_verb_with_object(toks, j):
        return clause.complete_after_verb(j, word)  # "the Kims exploit that trust", "the witch takes most of"
    if j <= _MAX_UNKNOWN_VERB_AT and after_bare_name(tokens, i) and agrees(toks, j) and len(toks) > j + 1:
        # "…the corridors of the Nostromo the crew wake one by one…": a relative clause without
        # "that" never hangs on a name, so after one a subject and its verb open a new sentence.
        return toks[-1].word not in PREPOSITIONS
    if word in PREPOSITIONS or word in DETERMINERS or toks[j].ends_clause or toks[j].opens:
        return False
    return None


def _name_clause(tokens: Sequence[Token], i: int, clause: Clause) -> bool:
    """A name (1–3 capitalised words) opening a complete clause fused onto tokens[i].

    "…a recommendation Mrs. Park trusts…" is a relative with a gap, so the clause must be complete
    ("…his operating system Samantha laughs at his jokes…").  Straight after a verb there is no
    noun for a relative clause to hang on: "every time he drives Misaki notices" is two clauses as
    soon as a finite verb follows the name (verbs with two objects excepted: "buys Mia flowers").
    """
    toks = clause.toks
    k = 1
    while k < min(len(toks), 3) and is_name(toks[k]) and not toks[k - 1].ends_clause:
        k += 1
    if toks[k - 1].ends_clause:
        return False
    verb_at = clause.skip_adverbs(k)
    if verb_at >= len(toks):
        return False
    verb = toks[verb_at].word
    if not finite_3sg(verb) or toks[verb_at].opens or verb in PREPOSITIONS | DETERMINERS | CONJUNCTIONS:
        return False
    before = tokens[i - 1] if i else None
    after_verb = before is not None and (before.word in NOMINATIVE or before.word == "it") and not before.ends_clause
    if after_verb and not in_lexicon(tokens[i].word, DITRANSITIVE) and not verb.endswith("ed"):
        return True
    return clause.complete_after_verb(verb_at, verb)


