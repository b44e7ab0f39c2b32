"""Two sentences fused where the first ends on an object (`object_fusion`, round 3 of the run-on rules).

Names back to back ("Rooney Mara Cate Blanchett gives…"), a preposition's object then a finite verb
("…cuts away from Pacino De Niro barely blinks…"), a possessive name opening a new subject after a
noun ("…the family's enormous car Sofía's attempts to park it become…").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.corpus.fusion.clause import Clause
from bot.corpus.fusion.phrases import time_phrase_ends
from bot.corpus.fusion.tokens import (
    Token,
    finite_after,
    in_lexicon,
    is_name,
    is_subject,
    looks_finite,
    tokenize,
)
from bot.corpus.fusion.words import (
    ADVERBS,
    AUX,
    BE,
    CONJUNCTIONS,
    DETERMINERS,
    EMBEDDING_NOT,
    FUNCTION_WORDS,
    HEAD_NOUNS,
    INDEFINITE_PRONOUNS,
    INTRODUCERS,
    IRREGULAR_PAST,
    NAME_PARTICLES,
    NAME_RUN_STARTS,
    OBJECT_CLAUSE,
    OBJECT_START,
    PERSONAL_OBJECTS,
    PLAIN_PREPOSITIONS,
    PREPOSITIONS,
    SUBJECT_CLAUSE,
    SUBORDINATORS,
)

_MIN_FUSED_NAMES = 4  # "Al Pacino De Niro": longer than one name ("Paul Thomas Anderson")


_MAX_NAME_RUN = 4


_MAX_POSSESSED = 3  # "Sofía's attempts", "Mia's older sister", "Mark Ruffalo's Toschi"


def _name_run(tokens: Sequence[Token], k: int) -> int:
    """How many names (no possessive) follow one another from tokens[k], up to a bounded few."""
    n = 0
    while k + n < len(tokens) and n < _MAX_NAME_RUN + 1 and is_name(tokens[k + n]) and not tokens[k + n].opens:
        n += 1
        if tokens[k + n - 1].ends_clause:
            return 0  # "…to Al Pacino, De Niro…": the comma is the boundary
    return n


def _fused_names(tokens: Sequence[Token], k: int) -> bool:
    """ "Rooney Mara Cate Blanchett gives…", "…from Al Pacino De Niro barely blinks…": two full names
    back to back, then a finite verb; one name has at most three words."""
    if k and (is_name(tokens[k - 1]) or tokens[k - 1].word in NAME_RUN_STARTS and tokens[k - 1].raw[:1].isupper()):
        return False  # not the start of the run; "The Grand Budapest Hotel is" is a title
    if tokens[k].word in NAME_RUN_STARTS:
        return False
    n = _name_run(tokens, k)
    if not _MIN_FUSED_NAMES <= n <= _MAX_NAME_RUN:
        return False
    found = finite_after(tokens, k + n)
    return found is not None and tokens[found[0]].word not in BE | AUX


def _prepositional_name_then_verb(tokens: Sequence[Token], i: int) -> bool:
    """ "Mann never cuts away from Pacino De Niro barely blinks…": a name that is the object of a
    preposition, then a finite verb.  Only after a main verb (a caller's check): "What happens to
    Hae-mi haunts…" and "The soldier she meets in Paris is…" have their subject there."""
    n = _name_run(tokens, i + 1)
    if not 1 <= n <= _MAX_NAME_RUN:
        return False
    found = finite_after(tokens, i + 1 + n)
    if found is None or tokens[found[0]].word in BE | AUX:
        return False
    j, adverb = found
    after = tokens[j + 1] if j + 1 < len(tokens) else None
    # "…leans on Hitchcock films the way…" is a plural noun: an object must open right after the verb.
    obj = after is not None and not tokens[j].ends_clause and (after.word in OBJECT_START or after.word in INDEFINITE_PRONOUNS) and not (
        j + 2 < len(tokens) and tokens[j + 2].word in HEAD_NOUNS)
    return adverb or obj


def _possessive_subject(tokens: Sequence[Token], i: int) -> bool:
    """ "…the family's enormous car Sofía's attempts to park it become a running joke…": a possessive
    name opening a new subject right after a noun, with its own finite verb and a complete predicate.
    "the car Sofía's husband drives" is a relative clause: its verb lacks the object."""
    k = i + 1
    k += _name_run(tokens, k) if _name_run(tokens, k) <= _MAX_NAME_RUN - 1 else 0
    if k >= len(tokens) or not tokens[k].raw.lstrip("\"“‘'([")[:1].isupper() or not tokens[k].word.endswith(
            ("'s", "s'")) or tokens[k].ends_clause:
        return False
    for p in range(k + 2, min(len(tokens), k + 2 + _MAX_POSSESSED)):
        if tokens[p - 1].ends_clause or tokens[p - 1].word in FUNCTION_WORDS:
            return False
        head, v = tokens[p - 1], p
        if tokens[v].word == "to" and v + 1 < len(tokens):  # "attempts to park it become"
            v += 2
            if v < len(tokens) and tokens[v].word in PERSONAL_OBJECTS:
                v += 1
            if tokens[v - 1].ends_clause:
                return False
        found = finite_after(tokens, v, head) if v < len(tokens) else None
        if found is not None and tokens[found[0]].word not in AUX:
            clause = Clause(tokens, found[0])
            if clause.complete_after_verb(0, tokens[found[0]].word):
                return True
    return False


def _opens_possessive_run(tokens: Sequence[Token], i: int) -> bool:
    """tokens[i] may end a clause before a possessive name: a lower-case content word, not a conjunction,
    a determiner, a name, nor a particle inside one ("Benicio del Toro's")."""
    token = tokens[i]
    if not token.word.isalpha() or not token.raw[:1].islower() or token.word in DETERMINERS | CONJUNCTIONS:
        return False
    if token.word in SUBJECT_CLAUSE or (token.word in HEAD_NOUNS and not time_phrase_ends(tokens, i)):
        # "what Zhao's pic offers", "by the time Radio Raheem's boombox falls": a subject clause or a
        # relative on "the time", never a new sentence.
        return False
    return not (i and is_name(tokens[i - 1]) and token.word in NAME_PARTICLES)


def _embeds_clause(token: Token) -> bool:
    """A verb or adjective that takes a clause without "that" ("makes sure", "knows", "says")."""
    word = token.word
    return token.raw[:1].islower() and word not in FUNCTION_WORDS and word not in EMBEDDING_NOT and in_lexicon(
        word, INTRODUCERS)


def object_fusion(text: str) -> bool:
    """Two sentences fused where the first ends on an object: names back to back, a prepositional
    object followed by a finite verb, or a possessive name opening a new subject after a noun.

    One pass with bounded look-ahead.  The main verb of the clause must have been seen with a plain
    subject ("Mann never cuts…"), so a subject holding a relative clause or a prepositional phrase
    ("the soldier she meets in Paris is…", "what happens to Hae-mi haunts…") is not read as two.
    """
    tokens = tokenize(text)
    scan = _Scan()
    for i, token in enumerate(tokens[:-1]):
        if scan.start:
            scan.subordinate = token.word in SUBJECT_CLAUSE or scan.subordinate
            scan.start = False
        if _fused_names(tokens, i) or scan.fused_after(tokens, i):
            return True
        scan.read(tokens, i)
    return False


@dataclass
class _Scan:
    """What `object_fusion` knows of the sentence so far, token by token."""

    main_verb: bool = False  # the sentence's main verb was seen (with a plain subject)
    clause_verb: bool = False  # this clause's verb was seen
    clause_main: bool = False  # this clause is the main one and its verb was seen
    subordinate: bool = False  # this clause opened with a subordinator or a subject clause ("what happens…")
    plain_subject: bool = True  # no relative clause inside this clause's subject ("the soldier she meets")
    noun_seen: bool = False
    start: bool = True  # the next token opens a clause

    def fused_after(self, tokens: Sequence[Token], i: int) -> bool:
        """A new sentence opens after tokens[i], which ends on an object of the main clause."""
        token = tokens[i]
        if not self.main_verb or token.ends_clause or tokens[i + 1].opens:
            return False
        if self.clause_verb and token.word in PREPOSITIONS and _prepositional_name_then_verb(tokens, i):
            return True
        # Any clause of the sentence ("…with the courtyard and the family's car Sofía's attempts…");
        # "and Sofía's attempts" is a conjunction, not a fusion.
        # After a plain preposition ("in Sid's house lands…") the possessive is the preposition's
        # object, and the verb after it may be the clause's own: only when this clause's main verb
        # was already seen ("The film keeps its eyes on Ben Jong-su's suspicion grows…").
        prepositional = token.word in PLAIN_PREPOSITIONS
        return bool(_opens_possessive_run(tokens, i) and not in_lexicon(token.word, OBJECT_CLAUSE) and (
            self.clause_main or not prepositional) and _possessive_subject(tokens, i))

    def read(self, tokens: Sequence[Token], i: int) -> None:
        """Take tokens[i] in: its verb, its subject, the clause it embeds or ends."""
        token = tokens[i]
        after_possessive = i and tokens[i - 1].word.endswith(("'s", "s'"))  # "Zimmer's score": a noun
        if not self.clause_verb and looks_finite(tokens, i) and token.raw[:1].islower() and not after_possessive:
            self._verb(tokens, i)
        elif not self.clause_verb:
            # "the soldier she meets": a subject after a noun, before any verb, is a relative clause.
            if is_subject(token) and self.noun_seen:
                self.plain_subject = False
            self.noun_seen = self.noun_seen or (token.raw[:1].islower() and token.word not in FUNCTION_WORDS)
        if self.clause_main and _embeds_clause(token):
            self.clause_main = False  # "makes sure the monster in Pan's Labyrinth is…": an embedded clause begins
        if token.word in CONJUNCTIONS or token.ends_clause:
            self._boundary(token)

    def _verb(self, tokens: Sequence[Token], i: int) -> None:
        """This clause's verb; the main one when nothing subordinates the clause or its subject."""
        token = tokens[i]
        self.clause_verb = True
        # An -ed form after a noun may be a participle ("the film shot in Rome is…").
        participle = token.word.endswith("ed") or token.word in IRREGULAR_PAST
        after_noun = i and tokens[i - 1].raw[:1].islower() and tokens[i - 1].word not in ADVERBS
        if not self.subordinate and self.plain_subject and not (participle and after_noun):
            self.main_verb = self.clause_main = True

    def _boundary(self, token: Token) -> None:
        """A conjunction or punctuation ends the clause; a full stop ends the sentence."""
        self.clause_verb, self.noun_seen, self.plain_subject, self.start, self.clause_main = (
            False, False, True, True, False)
        self.subordinate = token.word in SUBORDINATORS
        if token.raw.endswith((".", "!", "?", ".”", "?”", "!”", ".\"")):
            self.main_verb, self.subordinate = False, False
