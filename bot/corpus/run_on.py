"""Two clauses fused where a scrape lost the punctuation between them.

"Nolan keeps explaining the rules he cares less about the feelings." reads as
one sentence to a machine and as nonsense to a person.  The same surface shape
is ordinary English when the second clause is a reduced relative with a gap
("the rules he cares about", "the film she made in 1999", "the road the wives
climb down"), so the test here is the gap: a new subject and finite verb right
after a content word, with no punctuation or conjunction between, is a run-on
only when the clause it opens is complete (its object or complement is there).
The new subject may be a pronoun, a name ("…his operating system Samantha
laughs at his jokes") or a short noun phrase with any verb that agrees with it
and takes an object ("…a recommendation the Kims exploit that trust").  Right
after a verb there is no noun for a relative clause to hang on, so a name and a
second finite verb ("…every time he drives Misaki notices…") are two clauses.

Simple tokenisation and a few word lists; no regex over the text, one pass
over the tokens with a bounded look-ahead, so linear time on any input.  When
unsure the answer is "run-on": a refused quote costs less than a garbled one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.corpus.themes_model import word_set

_NOMINATIVE = word_set("he she they we i")
_BE = word_set("is was are were 's 're 'm")
_AUX = word_set(
    "has had have does did do can could will would shall should may might must cannot can't won't isn't wasn't "
    "doesn't didn't hasn't hadn't couldn't wouldn't shouldn't 'll 'd 've"
)
# Where one clause hands over to the next: the fused clause ends there.
_CONJUNCTIONS = word_set(
    "and but or nor because while when where although though which who whom that whereas until since as if unless"
)
_CONTRACTED = word_set("he she it they we i you")
_DETERMINERS = word_set("the a an his her their its my your our every each this these those no")
_REFLEXIVES = word_set("himself herself themselves itself myself ourselves yourself")
_OBJECT_START = _DETERMINERS | _REFLEXIVES | word_set("him them it us me her")
_ADVERBS = word_set(
    "never always still barely just only now finally really even also already less more much then often rarely "
    "hardly soon again not once simply almost nearly suddenly quietly slowly far today tonight later earlier "
    "ago anymore here there too either rather perhaps probably actually yet ever"
)
_PLURAL = word_set("them us both all two three")
# Word lists the token loops below ask about, built once (not a frozenset per token).
_PLURAL_HEADS = _PLURAL | word_set("crew family team cast police people men women children")
_DO_HAVE = word_set("do does did have has had")
_EVERY_NEXT = word_set("every each last next")
_INDEFINITE_PRONOUNS = word_set("everything nothing something everyone nobody")
_AND_OR_BUT = word_set("and or but")
_DEGREE = word_set("so such too how")  # "so quiet she can hear herself think": "that" left out after them
_DEGREE_OR_AS = _DEGREE | word_set("as")
_DEGREE_OR_COMPARING = _DEGREE | word_set("as than like")
# Words after which a new subject is ordinary English: conjunctions, relatives,
# "the way/moment/reason …" nouns, and verbs that take a clause without "that".
_INTRODUCERS = word_set(
    "that and but or nor so because if when where while what how why who which whether though although as than "
    "since until till once unless now then here there even yet still also just only whom whose whereas lest "
    "before after say think know feel sure clear obvious hope believe guess suspect suppose realise realize "
    "admit seem mean wish fear worry assume expect imagine dream sense see hear find show prove tell learn "
    "notice remember forget pretend promise swear doubt understand agree reckon figure note suggest explain "
    "announce confess complain warn insist argue claim decide discover bet hint reveal recall joke sing write "
    "everything something anything nothing everyone someone anyone nobody everybody somebody anybody all one "
    "us me them him her you it so too such enough "
    # Irregular pasts of the verbs above, and nouns that take a clause without "that" ("no wonder Mia leaves").
    "said thought knew felt saw heard found meant told understood forgot swore confirm accept "
    "wonder surprise accident shame pity chance coincidence"
)
# "the night she arrives", "the way he looks": a relative clause without "that" or
# "when".  Straight after a preposition ("at night he cries") they are no head.
_HEAD_NOUNS = word_set(
    "way time moment day night morning evening week month year years summer hour minute instant era age "
    "reason place point kind sort sign proof news fact idea notion thing"
)
# Verbs with two objects ("the answer he gives the students") or a named result
# ("the name she calls him"): an object after them does not fill the gap.
_DITRANSITIVE = word_set(
    "give tell show offer hand send teach owe promise ask pay lend sell buy bring cost deny grant call name make "
    "consider find leave get keep wish charge"
)
# Verbs taking "object + bare verb" ("makes the audience laugh"): the noun after
# them is an object, not a new subject.
_CAUSATIVE = word_set("make let help have watch see hear feel notice bid")
# Mostly intransitive or prepositional verbs: once they have a subject, the
# clause is complete unless it ends on a stranded preposition ("the city he lives in").
_INTRANSITIVE = word_set(
    "care live talk speak look go come work wait sleep die listen laugh smile cry weep dance walk run sit stand "
    "stay return belong depend rely happen climb fall rise arrive leave disappear vanish float drift swim fly "
    "drive sing stop matter exist grow shrink turn"
)
# "wants to touch": the verb after "to" carries the object.
_CATENATIVE = word_set(
    "want need try hope seem begin start refuse decide plan learn fail manage have used ought continue choose"
)
_PREPOSITIONS = word_set(
    "in at on for to with by from of about into onto over under through across around down up out off away back "
    "after before behind beside between against toward towards without within upon along past"
)
_CLAUSE_END = ",;:.!?—–)”\"…"
_IRREGULAR_PAST = word_set(
    "made said went came took gave got found knew thought told became left felt brought began kept held wrote "
    "stood heard let meant set met ran paid sat spoke lay led grew lost fell sent built understood drew broke "
    "spent cut rose drove bought wore chose won sang threw caught fought taught sought forgot hid shot struck "
    "fled saw did had was were is are"
)
_LOOK_AHEAD = 8
IRREGULAR_PAST = _IRREGULAR_PAST  # for headline detection in standalone ("A Love Story Told in Glances")
# "is about to / going to / able to": the verb after "to" carries the clause.
_BE_TO = word_set("about going able unable willing ready set supposed bound due happy glad afraid determined")
# "the director Bong Joon-ho", "the song City of Stars": a name in apposition to a role, not a new subject.
_ROLE_NOUNS = word_set(
    "director filmmaker writer screenwriter actor actress star co-star newcomer composer cinematographer "
    "editor producer critic novelist author character protagonist hero heroine villain film movie title song "
    "album novel book play series show character daughter son wife husband mother father brother sister friend "
    "boyfriend girlfriend partner named called titled dubbed"
)
_TIME_NOUNS = word_set("years months weeks days hours minutes seconds decades moments nights mornings")
_PERSONAL_OBJECTS = word_set("it him them me us") | _REFLEXIVES
_TIME_AFTER = word_set("later earlier ago after before on in afterwards")
# An unlisted verb is trusted only right after a short noun phrase ("the Kims exploit", "the old witch takes").
_MAX_UNKNOWN_VERB_AT = 3
# Verbs taking an object and then a clause: "convinces him the court wants…" is one sentence.
_OBJECT_CLAUSE = word_set("convince persuade assure remind warn inform promise tell teach show bet")
_PERIODS = word_set("morning evening night day week month year summer winter spring autumn weekend")
# Particles that close a verb phrase rather than open a prepositional one ("wants his friend back Colm has…").
_PARTICLES = word_set("back away home apart together")
_SUPERLATIVE_ADVERBS = word_set("most least best worst first last")
# Object-like words that can open an object: "takes most of her name", "exploit that trust".
_QUANTIFIERS = word_set("most all some much many both half none several each every any")


@dataclass(frozen=True)
class _Token:
    word: str  # lower case, outer punctuation stripped
    raw: str
    ends_clause: bool  # trailing punctuation (comma, dash, stop...)
    opens: bool  # leading quote or bracket


@lru_cache(maxsize=8)  # run_on and object_fusion read the same passage one after the other
def _tokens(text: str) -> tuple[_Token, ...]:
    """Whitespace tokens with their punctuation noted; "it's" becomes "it" + "'s"."""
    out: list[_Token] = []
    for raw in text.split():
        word = raw.strip("\"“”‘’'()[]{},;:.!?—–…*_").lower().replace("’", "'")
        ends, opens = raw[-1] in _CLAUSE_END, raw[0] in "\"“‘'([—–"
        head, apostrophe, tail = word.partition("'")
        if apostrophe and head in _CONTRACTED and tail in ("s", "re", "m", "ll", "d", "ve"):
            out += [_Token(head, raw, False, opens), _Token("'" + tail, raw, ends, False)]
        else:
            out.append(_Token(word, raw, ends, opens))
    return tuple(out)


@lru_cache(maxsize=4096)  # a review repeats its verbs; bounded, so hostile input cannot grow it
def _stems(word: str) -> tuple[str, ...]:
    """Candidate base forms of a verb form ("cares" -> care, "cried" -> cry)."""
    forms = [word]
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("d", ""), ("ing", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            forms.append(word[: -len(suffix)] + repl)
    return tuple(forms)


def _in(word: str, lexicon: frozenset[str]) -> bool:
    """Whether any base form of `word` is in `lexicon`."""
    return any(stem in lexicon for stem in _stems(word))


def _finite_3sg(word: str) -> bool:
    """A verb form that agrees with he/she/it or a singular noun: -s, -ed, past, be/have/modal."""
    if word in _BE or word in _AUX or word in _IRREGULAR_PAST:
        return True
    if word.endswith("ed") and len(word) > 3:
        return True
    return word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")) and len(word) > 2


class _Clause:
    """The clause opened at a fusion point: its tokens up to the next clause end."""

    def __init__(self, tokens: Sequence[_Token], start: int) -> None:
        end = start
        while end < len(tokens) and end - start < _LOOK_AHEAD * 2:
            boundary = end > start and (tokens[end].opens or tokens[end].word in _CONJUNCTIONS)
            # "exploit that trust": a demonstrative, the clause goes on.
            if boundary and not (tokens[end].word == "that" and _opens_object(tokens, end)):
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
        while i < len(toks) and (toks[i].word in _ADVERBS or toks[i].word.endswith("ly")):
            if i == len(toks) - 1 and toks[i].word in ("more", "less"):
                break
            i += 1
        return i

    def complete_after_verb(self, i: int, verb: str, loose: bool = False) -> bool:
        """Whether the predicate from token i (the verb) on has no gap."""
        toks = self.toks
        if verb == "to" or _in(verb, _CATENATIVE) and i + 1 < len(toks) and toks[i + 1].word == "to":
            i = i + 2 if verb != "to" else i + 1
            if i >= len(toks):
                return False
            verb = toks[i].word
        nxt = self.skip_adverbs(i + 1)
        rest = toks[nxt:]
        if verb in _BE or verb in ("'s", "'re"):
            if len(rest) > 1 and rest[0].word in _BE_TO and rest[1].word == "to":
                return self.complete_after_verb(nxt + 1, "to")  # "she's about to apologise for it"
            return bool(rest) and (rest[0].word in _DETERMINERS or rest[0].word.isdigit())
        if verb in _DO_HAVE and rest and rest[0].word in _OBJECT_START:
            return rest[-1].word not in _PREPOSITIONS  # a main verb: "do it", not "the film he has a soft spot for"
        if verb in _AUX:  # "has won again", "has to steal every look", "cannot follow"
            if nxt < len(toks) and toks[nxt].word == "to":
                return self.complete_after_verb(nxt, "to")
            return nxt < len(toks) and self.complete_after_verb(nxt, toks[nxt].word)
        if not rest:
            return False  # "the film she made": the gap is the object
        if _in(verb, _INTRANSITIVE):
            return rest[-1].word not in _PREPOSITIONS  # "lives in" strands the preposition
        if _in(verb, _DITRANSITIVE):
            # Both objects there ("promises her a kingdom") or none missing; one object may hide a gap
            # ("the answer he gives the students").
            return len(rest) > 1 and rest[0].word in _PERSONAL_OBJECTS | {"her"} and _opens_object(rest, 1)
        first = rest[0]
        if _in(verb, _CAUSATIVE) and len(rest) > 1 and first.word in _PERSONAL_OBJECTS | {"her"}:
            return self.complete_after_verb(nxt + 1, rest[1].word)  # "lets him do it": does "do" have its object?
        if _in(verb, _CAUSATIVE) and first.word in _DETERMINERS and len(rest) > 3 and not _finite_3sg(rest[2].word):
            # "watches the door close on her": object and bare verb given, the clause goes on.
            return rest[-1].word not in _PREPOSITIONS and rest[2].word not in _PREPOSITIONS | _DETERMINERS
        if _in(verb, _INTRODUCERS) or _in(verb, _CAUSATIVE):
            if _is_subject(first) and len(rest) > 2:
                return _new_clause_at(self.toks, nxt - 1)  # "has decided he would rather write music"
            # "we never hear it and", "lets her believe it for two hours": an object, nothing stranded;
            # "hears her sing" or "says is great" may still hide the gap.
            if first.word in _PERSONAL_OBJECTS and rest[-1].word not in _PREPOSITIONS:
                return len(rest) == 1 or rest[1].word in _PREPOSITIONS or rest[1].word in _ADVERBS
            if len(rest) == 1:
                return first.word in _OBJECT_START
            # "would rather write music than talk to him": an object and no later verb that could hide
            # a gap ("say the ending ruins"), so nothing is missing.
            plain = first.word in _OBJECT_START or (first.word.isalpha() and first.raw[:1].islower()
                                                    and first.word not in _PREPOSITIONS | _ADVERBS
                                                    and first.word not in _INTRODUCERS)  # "learned how to ask"
            return plain and rest[-1].word not in _PREPOSITIONS and not any(
                _finite_3sg(t.word) or _is_subject(t) for t in rest[1:])
        if loose:  # "it now tops critics' polls": "it" opens relatives less often than he/she
            return first.word not in _PREPOSITIONS
        # Transitive: an object straight after the verb ("most of her name", "that trust" are objects too;
        # "apologise for it" has its object after the preposition).
        if first.word in _PREPOSITIONS:
            # "close in on the mill", "catch up with him": a particle, then the preposition's object.
            phrasal = len(rest) > 2 and rest[1].word in _PREPOSITIONS - _PARTICLES and _opens_object(rest, 2)
            return len(rest) > 1 and rest[1].word in _PERSONAL_OBJECTS or phrasal
        return _opens_object(rest, 0)


def _new_clause_at(tokens: Sequence[_Token], i: int) -> bool:
    """Whether tokens[i+1:] open a complete clause fused onto tokens[i]."""
    clause = _Clause(tokens, i + 1)
    toks = clause.toks
    if len(toks) < 2:
        return False
    subject = toks[0].word
    if subject in _NOMINATIVE or subject == "it":
        verb_at = clause.skip_adverbs(1)
        if verb_at >= len(toks):
            return False
        verb = toks[verb_at].word
        if subject in ("he", "she", "it") and not _finite_3sg(verb):
            return False
        if subject == "it" and verb in _PREPOSITIONS | _DETERMINERS:
            return False
        if _in(verb, _INTRODUCERS) and verb_at + 1 < len(toks) and toks[verb_at + 1].word in _NOMINATIVE:
            return _new_clause_at(toks, verb_at)  # "he remembers she lets him do it"
        return clause.complete_after_verb(verb_at, verb, loose=subject == "it")
    if _is_name(toks[0]) and tokens[i].word not in _ROLE_NOUNS and not _is_name(tokens[i]):
        return _name_clause(tokens, i, clause)
    if subject not in _DETERMINERS or subject in ("this", "that", "these", "those") or tokens[i].word.endswith("ing"):
        return False  # "escaping a life is…": a gerund and its object
    if toks[1].word in _HEAD_NOUNS:
        return False  # "…a drum solo the way other directors edit a car chase": an adverbial
    # A noun phrase subject: determiner, up to three words, then a verb we can recognise.
    for j in range(2, min(len(toks), 6)):
        word = toks[j].word
        if word in _NOMINATIVE and j + 1 < len(toks):  # "every guest he meets wants"
            continue
        if toks[j - 1].word in _NOMINATIVE or word == "of" or toks[j - 1].word == "of":
            continue  # "the two of them talk"
        known = word in _BE or (word in _AUX and word != "do") or _in(word, _INTRANSITIVE) or (
            _in(word, _CATENATIVE) and j + 1 < len(toks) and toks[j + 1].word == "to")
        if known:
            base_form = not _finite_3sg(word)
            plural = toks[j - 1].word.endswith("s") or toks[j - 1].word in _PLURAL
            if base_form and (_in(tokens[i].word, _CAUSATIVE) or not plural):
                return False  # "makes the audience laugh", not a plural subject
            return clause.complete_after_verb(j, word)
        if j <= _MAX_UNKNOWN_VERB_AT and _unknown_verb_with_object(toks, j):
            return clause.complete_after_verb(j, word)  # "the Kims exploit that trust", "the witch takes most of"
        if j <= _MAX_UNKNOWN_VERB_AT and _after_bare_name(tokens, i) and _agrees(toks, j) and len(toks) > j + 1:
            # "…the corridors of the Nostromo the crew wake one by one…": a relative clause without
            # "that" never hangs on a name, so after one a subject and its verb open a new sentence.
            return toks[-1].word not in _PREPOSITIONS
        if word in _PREPOSITIONS or word in _DETERMINERS or toks[j].ends_clause or toks[j].opens:
            return False
    return False


def _after_bare_name(tokens: Sequence[_Token], i: int) -> bool:
    """tokens[i] is a name that no verb with two objects or a clause governs ("gives Mia the ring")."""
    if not _is_name(tokens[i]) or not i or tokens[i - 1].ends_clause:
        return False
    before = tokens[i - 1].word
    return not any(_in(before, lexicon) for lexicon in (_DITRANSITIVE, _CAUSATIVE, _INTRODUCERS, _OBJECT_CLAUSE))


def _agrees(toks: Sequence[_Token], j: int) -> bool:
    """toks[j] is a plain word that agrees as a finite verb with the noun before it."""
    word, head = toks[j].word, toks[j - 1]
    if not word.isalpha() or toks[j].raw[:1].isupper() or word in _FUNCTION_WORDS or word.endswith("ing"):
        return False
    plural = head.word.endswith("s") and not head.word.endswith("ss") or head.word in _PLURAL_HEADS
    past = word in _IRREGULAR_PAST or word.endswith("ed")
    return past or (not _finite_3sg(word) if plural else _finite_3sg(word))


def _opens_object(toks: Sequence[_Token], k: int) -> bool:
    """Whether toks[k:] open a noun phrase object: "the door", "him", "Mia", "most of", "that trust"."""
    first = toks[k]
    following = toks[k + 1] if k + 1 < len(toks) else None
    if first.word in _REFLEXIVES:  # "the intimacy they allow themselves" may still have its gap
        return following is not None
    if first.word in _OBJECT_START or _is_name(first):
        return True
    if first.word in _QUANTIFIERS:
        return following is not None and following.word == "of"
    if first.word != "that" or following is None or first.ends_clause:
        return False
    # A demonstrative before a plain noun that ends the phrase ("exploit that trust with…"), not a
    # relative or complement ("the thing that ever happened", "that he knows").
    plain = following.word.isalpha() and following.raw[:1].islower() and not (
        _is_subject(following) or following.word in _DETERMINERS or following.word in _ADVERBS
        or following.word.endswith("ly"))
    after = toks[k + 2] if k + 2 < len(toks) else None
    return plain and (following.ends_clause or after is None or after.word in _PREPOSITIONS | _CONJUNCTIONS)


def _is_subject(token: _Token) -> bool:
    """A subject pronoun or a name."""
    return token.word in _NOMINATIVE or _is_name(token)


def _is_name(token: _Token) -> bool:
    """A capitalised word inside a sentence, not "I" and not a possessive ("Mia’s" is no subject)."""
    raw = token.raw.lstrip("\"“‘'([")
    return raw[:1].isupper() and token.word not in ("i", "i'm", "i've", "i'd", "i'll") and not (
        token.word.endswith(("'s", "s'")))


def _unknown_verb_with_object(toks: Sequence[_Token], j: int) -> bool:
    """toks[j] agrees with the noun before it as a finite verb and an object follows it.

    Any verb, not only the listed ones: "the Kims exploit that trust", "the witch takes most of her
    name".  A plural head takes a base form, a singular one an -s form; the past fits both.  "the
    most/best" after the verb is an adverb ("the film the critics love the most"), not an object.
    """
    if j + 1 >= len(toks) or toks[j - 1].ends_clause or toks[j].opens or toks[j + 1].opens:
        return False
    head, word, after = toks[j - 1], toks[j].word, toks[j + 1]
    if not word.isalpha() or word in _PREPOSITIONS | _DETERMINERS | _CONJUNCTIONS | _ADVERBS | _QUANTIFIERS:
        return False
    plural = head.word.endswith("s") and not head.word.endswith("ss") or head.word in _PLURAL
    past = word in _IRREGULAR_PAST or word.endswith("ed")
    agrees = past or (not _finite_3sg(word) if plural else _finite_3sg(word))
    if not agrees or word.endswith("ing"):
        return False
    if after.word == "the" and j + 2 < len(toks) and toks[j + 2].word in _SUPERLATIVE_ADVERBS:
        return False
    return _opens_object(toks, j + 1)


def _name_clause(tokens: Sequence[_Token], i: int, clause: _Clause) -> bool:
    """A name (1–3 capitalised words) opening a complete clause fused onto tokens[i].

    "…a recommendation Mrs. Park trusts…" is a relative with a gap, so the clause must be complete
    ("…his operating system Samantha laughs at his jokes…").  Straight after a verb there is no
    noun for a relative clause to hang on: "every time he drives Misaki notices" is two clauses as
    soon as a finite verb follows the name (verbs with two objects excepted: "buys Mia flowers").
    """
    toks = clause.toks
    k = 1
    while k < min(len(toks), 3) and _is_name(toks[k]) and not toks[k - 1].ends_clause:
        k += 1
    if toks[k - 1].ends_clause:
        return False
    verb_at = clause.skip_adverbs(k)
    if verb_at >= len(toks):
        return False
    verb = toks[verb_at].word
    if not _finite_3sg(verb) or toks[verb_at].opens or verb in _PREPOSITIONS | _DETERMINERS | _CONJUNCTIONS:
        return False
    before = tokens[i - 1] if i else None
    after_verb = before is not None and (before.word in _NOMINATIVE or before.word == "it") and not before.ends_clause
    if after_verb and not _in(tokens[i].word, _DITRANSITIVE) and not verb.endswith("ed"):
        return True
    return clause.complete_after_verb(verb_at, verb)


_FUNCTION_WORDS = _DETERMINERS | _PREPOSITIONS | _CONJUNCTIONS | _ADVERBS


def _looks_finite(tokens: Sequence[_Token], i: int) -> bool:
    """A token that may be the verb of the clause before a fusion point ("keeps", "dances")."""
    word = tokens[i].word
    if word in _BE or word in _AUX or word in _IRREGULAR_PAST:
        return True
    if word in _PREPOSITIONS or word in _DETERMINERS or word in _CONJUNCTIONS or word in _ADVERBS:
        return False
    if word in _TIME_NOUNS and i + 1 < len(tokens) and tokens[i + 1].word in _TIME_AFTER:
        return False  # "and years later Sebastian owns a club": a time phrase, not a verb
    before = tokens[i - 1] if i else None
    raw = tokens[i].raw.lstrip("\"“‘'([")
    if before is not None and before.raw[:1].isupper() and before.word not in _FUNCTION_WORDS and (
            raw[:1].islower() and not before.ends_clause):
        return True  # "Nora and Hae Sung sit": a lower-case word after a name
    after_determiner = before is not None and (before.word in _DETERMINERS or before.word.endswith("'s"))
    return not after_determiner and (word.endswith("ed") or _finite_3sg(word))


def _object_closes(tokens: Sequence[_Token], i: int) -> bool:
    """ "…did not push him the court wants…": an object pronoun that ends its clause.

    After verbs with two objects or a clause ("gives him the ring", "tells him the film is…",
    "lets him go") the pronoun does not end anything.
    """
    before = tokens[i - 1] if i else None
    if tokens[i].word not in _PERSONAL_OBJECTS or before is None or before.ends_clause or not before.word.isalpha():
        return False
    return not any(_in(before.word, lexicon) for lexicon in (_DITRANSITIVE, _CAUSATIVE, _INTRODUCERS, _OBJECT_CLAUSE))


def _time_phrase_ends(tokens: Sequence[_Token], i: int) -> bool:
    """Whether a head noun ends a time phrase ("at night", "every morning") instead of heading a relative.

    "the night she arrives" is a relative; "…at night he cries", "…every morning Takashi turns up"
    close the clause before.  "every time he drives" stays a subordinate clause.
    """
    before = tokens[i - 1].word if i else ""
    if before in _PREPOSITIONS:
        return True
    if tokens[i].word not in _PERIODS:
        return False
    # "for a week Nora introduces him": an indefinite duration is no head for a relative clause
    # ("on the day she arrives" is).
    indefinite = before in ("a", "one") and i > 1 and tokens[i - 2].word in _PREPOSITIONS
    return before in _EVERY_NEXT or indefinite


def run_on(text: str) -> bool:
    """Whether a clause is fused onto a complete one with the punctuation lost (see module doc)."""
    tokens = _tokens(text)
    since_break, verb_seen = 0, False
    for i, token in enumerate(tokens[:-1]):
        if token.opens:
            since_break, verb_seen = 0, False
        since_break += 1
        fusion = (
            verb_seen  # the clause before the fusion point has a verb: "In the end he wins" is fine
            and since_break >= 2
            and not token.ends_clause
            and not tokens[i + 1].opens
            and (token.word[:1].isalpha() or token.word[:1].isdigit())
            and (token.word not in _PREPOSITIONS or token.word in _PARTICLES)
            and token.word not in _DETERMINERS
            and not token.word.endswith(("'s", "s'"))  # "James Stewart's Scottie": a possessive ends nothing
            and (not _in(token.word, _INTRODUCERS) or _object_closes(tokens, i))
            # "Colm tells Pádraic he doesn't like him": an object, then the clause the verb takes.
            and not (i and _in(tokens[i - 1].word, _OBJECT_CLAUSE) and _is_name(token))
            and not (token.word in _HEAD_NOUNS and not _time_phrase_ends(tokens, i))
            and not (i and tokens[i - 1].word in _DEGREE_OR_AS)
        )
        if fusion and _new_clause_at(tokens, i):
            return True
        verb_seen = verb_seen or _looks_finite(tokens, i)
        if token.word in _CONJUNCTIONS:  # "…, where Hoffman and Ross realise that escaping a life is…"
            since_break, verb_seen = 0, False
        if token.ends_clause:
            since_break, verb_seen = 0, False
    return False


# Words that open a clause which cannot be the main one: a verb seen after them is no main verb.
_SUBORDINATORS = _CONJUNCTIONS - word_set("and but or nor")
# "What happens to Hae-mi haunts…", "How Mia sings to him says…": a clause that is the subject.
_SUBJECT_CLAUSE = word_set("what whatever whoever how why whether")
_IRREGULAR_PLURALS = word_set("men women children people police feet teeth mice")
_MIN_FUSED_NAMES = 4  # "Al Pacino De Niro": longer than one name ("Paul Thomas Anderson")
_MAX_NAME_RUN = 4
_MAX_POSSESSED = 3  # "Sofía's attempts", "Mia's older sister", "Mark Ruffalo's Toschi"
_NAME_RUN_STARTS = _DETERMINERS | word_set("i")
# Prepositions that always take the following noun phrase as their object (never verb particles).
_PLAIN_PREPOSITIONS = word_set(
    "in at on of for to with by from into onto about through across under within without upon toward towards "
    "among between beside behind against during despite like unlike"
)
# Introducers that are no verb or adjective taking a clause: pronouns, quantifiers, degree words.
_EMBEDDING_NOT = _PERSONAL_OBJECTS | word_set(
    "us me them him her you it its so too such enough all one even yet still also just only now then here there"
)
_NAME_PARTICLES = word_set("de del della da di van von der den la le du dos das bin ibn al el")


def _name_run(tokens: Sequence[_Token], k: int) -> int:
    """How many names (no possessive) follow one another from tokens[k], up to a bounded few."""
    n = 0
    while k + n < len(tokens) and n < _MAX_NAME_RUN + 1 and _is_name(tokens[k + n]) and not tokens[k + n].opens:
        n += 1
        if tokens[k + n - 1].ends_clause:
            return 0  # "…to Al Pacino, De Niro…": the comma is the boundary
    return n


def _plural(token: _Token) -> bool:
    return (token.word.endswith("s") and not token.word.endswith("ss")) or token.word in _IRREGULAR_PLURALS


def _finite_after(tokens: Sequence[_Token], k: int, head: _Token | None = None) -> tuple[int, bool] | None:
    """(index, adverb before it) of a finite verb at tokens[k] after optional adverbs, agreeing with `head`."""
    j, adverb = k, False
    while j < len(tokens) and j - k < 2 and (tokens[j].word in _ADVERBS or tokens[j].word.endswith("ly")) and (
            tokens[j].raw[:1].islower()):
        j, adverb = j + 1, True
    if j >= len(tokens) or tokens[j].opens or not tokens[j].raw[:1].islower():
        return None
    word = tokens[j].word
    if not word.isalpha() or word in _FUNCTION_WORDS or word in _TIME_NOUNS or word.endswith("ing"):
        return None
    if head is not None and _plural(head):
        return (j, adverb) if not _finite_3sg(word) or word.endswith("ed") or word in _IRREGULAR_PAST else None
    return (j, adverb) if _finite_3sg(word) else None


def _fused_names(tokens: Sequence[_Token], k: int) -> bool:
    """ "Rooney Mara Cate Blanchett gives…", "…from Al Pacino De Niro barely blinks…": two full names
    back to back, then a finite verb; one name has at most three words."""
    if k and (_is_name(tokens[k - 1]) or tokens[k - 1].word in _NAME_RUN_STARTS and tokens[k - 1].raw[:1].isupper()):
        return False  # not the start of the run; "The Grand Budapest Hotel is" is a title
    if tokens[k].word in _NAME_RUN_STARTS:
        return False
    n = _name_run(tokens, k)
    if not _MIN_FUSED_NAMES <= n <= _MAX_NAME_RUN:
        return False
    found = _finite_after(tokens, k + n)
    return found is not None and tokens[found[0]].word not in _BE | _AUX


def _prepositional_name_then_verb(tokens: Sequence[_Token], i: int) -> bool:
    """ "Mann never cuts away from Pacino De Niro barely blinks…": a name that is the object of a
    preposition, then a finite verb.  Only after a main verb (a caller's check): "What happens to
    Hae-mi haunts…" and "The soldier she meets in Paris is…" have their subject there."""
    n = _name_run(tokens, i + 1)
    if not 1 <= n <= _MAX_NAME_RUN:
        return False
    found = _finite_after(tokens, i + 1 + n)
    if found is None or tokens[found[0]].word in _BE | _AUX:
        return False
    j, adverb = found
    after = tokens[j + 1] if j + 1 < len(tokens) else None
    # "…leans on Hitchcock films the way…" is a plural noun: an object must open right after the verb.
    obj = after is not None and not tokens[j].ends_clause and (after.word in _OBJECT_START or after.word in _INDEFINITE_PRONOUNS) and not (
        j + 2 < len(tokens) and tokens[j + 2].word in _HEAD_NOUNS)
    return adverb or obj


def _possessive_subject(tokens: Sequence[_Token], i: int) -> bool:
    """ "…the family's enormous car Sofía's attempts to park it become a running joke…": a possessive
    name opening a new subject right after a noun, with its own finite verb and a complete predicate.
    "the car Sofía's husband drives" is a relative clause: its verb lacks the object."""
    k = i + 1
    k += _name_run(tokens, k) if _name_run(tokens, k) <= _MAX_NAME_RUN - 1 else 0
    if k >= len(tokens) or not tokens[k].raw.lstrip("\"“‘'([")[:1].isupper() or not tokens[k].word.endswith(
            ("'s", "s'")) or tokens[k].ends_clause:
        return False
    for p in range(k + 2, min(len(tokens), k + 2 + _MAX_POSSESSED)):
        if tokens[p - 1].ends_clause or tokens[p - 1].word in _FUNCTION_WORDS:
            return False
        head, v = tokens[p - 1], p
        if tokens[v].word == "to" and v + 1 < len(tokens):  # "attempts to park it become"
            v += 2
            if v < len(tokens) and tokens[v].word in _PERSONAL_OBJECTS:
                v += 1
            if tokens[v - 1].ends_clause:
                return False
        found = _finite_after(tokens, v, head) if v < len(tokens) else None
        if found is not None and tokens[found[0]].word not in _AUX:
            clause = _Clause(tokens, found[0])
            if clause.complete_after_verb(0, tokens[found[0]].word):
                return True
    return False


def _opens_possessive_run(tokens: Sequence[_Token], i: int) -> bool:
    """tokens[i] may end a clause before a possessive name: a lower-case content word, not a conjunction,
    a determiner, a name, nor a particle inside one ("Benicio del Toro's")."""
    token = tokens[i]
    if not token.word.isalpha() or not token.raw[:1].islower() or token.word in _DETERMINERS | _CONJUNCTIONS:
        return False
    if token.word in _SUBJECT_CLAUSE or (token.word in _HEAD_NOUNS and not _time_phrase_ends(tokens, i)):
        # "what Zhao's pic offers", "by the time Radio Raheem's boombox falls": a subject clause or a
        # relative on "the time", never a new sentence.
        return False
    return not (i and _is_name(tokens[i - 1]) and token.word in _NAME_PARTICLES)


def _embeds_clause(token: _Token) -> bool:
    """A verb or adjective that takes a clause without "that" ("makes sure", "knows", "says")."""
    word = token.word
    return token.raw[:1].islower() and word not in _FUNCTION_WORDS and word not in _EMBEDDING_NOT and _in(
        word, _INTRODUCERS)


def object_fusion(text: str) -> bool:
    """Two sentences fused where the first ends on an object: names back to back, a prepositional
    object followed by a finite verb, or a possessive name opening a new subject after a noun.

    One pass with bounded look-ahead.  The main verb of the clause must have been seen with a plain
    subject ("Mann never cuts…"), so a subject holding a relative clause or a prepositional phrase
    ("the soldier she meets in Paris is…", "what happens to Hae-mi haunts…") is not read as two.
    """
    tokens = _tokens(text)
    main_verb = clause_verb = clause_main = False
    subordinate, plain_subject, noun_seen, start = False, True, False, True
    for i, token in enumerate(tokens[:-1]):
        if start:
            subordinate = token.word in _SUBJECT_CLAUSE or subordinate
            start = False
        if _fused_names(tokens, i):
            return True
        if main_verb and not token.ends_clause and not tokens[i + 1].opens:
            if clause_verb and token.word in _PREPOSITIONS and _prepositional_name_then_verb(tokens, i):
                return True
            # Any clause of the sentence ("…with the courtyard and the family's car Sofía's attempts…");
            # "and Sofía's attempts" is a conjunction, not a fusion.
            # After a plain preposition ("in Sid's house lands…") the possessive is the preposition's
            # object, and the verb after it may be the clause's own: only when this clause's main verb
            # was already seen ("The film keeps its eyes on Ben Jong-su's suspicion grows…").
            prepositional = token.word in _PLAIN_PREPOSITIONS
            if _opens_possessive_run(tokens, i) and not _in(token.word, _OBJECT_CLAUSE) and (
                    clause_main or not prepositional) and _possessive_subject(tokens, i):
                return True
        after_possessive = i and tokens[i - 1].word.endswith(("'s", "s'"))  # "Zimmer's score": a noun
        if not clause_verb and _looks_finite(tokens, i) and token.raw[:1].islower() and not after_possessive:
            clause_verb = True
            # An -ed form after a noun may be a participle ("the film shot in Rome is…").
            participle = token.word.endswith("ed") or token.word in _IRREGULAR_PAST
            after_noun = i and tokens[i - 1].raw[:1].islower() and tokens[i - 1].word not in _ADVERBS
            if not subordinate and plain_subject and not (participle and after_noun):
                main_verb = clause_main = True
        elif not clause_verb:
            # "the soldier she meets": a subject after a noun, before any verb, is a relative clause.
            if _is_subject(token) and noun_seen:
                plain_subject = False
            noun_seen = noun_seen or (token.raw[:1].islower() and token.word not in _FUNCTION_WORDS)
        if clause_main and _embeds_clause(token):
            clause_main = False  # "makes sure the monster in Pan's Labyrinth is…": an embedded clause begins
        if token.word in _CONJUNCTIONS or token.ends_clause:
            clause_verb, noun_seen, plain_subject, start, clause_main = False, False, True, True, False
            subordinate = token.word in _SUBORDINATORS
            if token.raw.endswith((".", "!", "?", ".”", "?”", "!”", ".\"")):
                main_verb, subordinate = False, False
    return False


# --- round 4: a name opening a clause that nothing introduces ---------------------------------------

# A comma or bracket interruption between a subject and its verb: at most this many words.
_MAX_INTERRUPTION = 8
# Words that open a relative or subordinate clause: after "Mia, who…" the name is no new subject.
_INTERRUPTION_NOT = _CONJUNCTIONS | word_set("whose if so yet")
_SUBJECT_PRONOUNS = _NOMINATIVE | word_set("it you")


def _interruption_end(tokens: Sequence[_Token], k: int) -> int | None:
    """Index after a comma-delimited appositive or a bracketed aside opening at tokens[k].

    "Novak, twenty-four at the time, is…", "Fern, widowed and in her sixties, packs…", "Fern (widowed)
    packs…".  tokens[k - 1] is the name: it ends with the comma, or tokens[k] opens the bracket.
    """
    bracket = tokens[k].raw.startswith("(")
    if not bracket and not tokens[k - 1].raw.endswith(","):
        return None
    if tokens[k].word in _INTERRUPTION_NOT:
        return None  # "Mia, who…", "Mia, and then…": a relative or a second clause, not an aside
    for j in range(k, min(len(tokens), k + _MAX_INTERRUPTION)):
        raw = tokens[j].raw.rstrip("”’\"'")
        if raw.endswith((".", "!", "?", ";", ":", "…")):
            return None
        if raw.endswith(")" if bracket else ","):
            return j + 1
    return None


def _clause_has_gap(tokens: Sequence[_Token], verb_at: int) -> bool:
    """A transitive verb with nothing after it, or a stranded preposition: a relative clause's gap.

    "the town Fern, like everyone else, left behind in the end" keeps its gap ("left … behind" has no
    object of its own); only clear gaps count, so the check stays cheap and conservative.
    """
    clause = _Clause(tokens, verb_at)
    rest = clause.toks[1:]
    return not rest or rest[-1].word in _PREPOSITIONS and rest[-1].ends_clause


def _name_subject_at(tokens: Sequence[_Token], k: int) -> int | None:
    """Index of the finite verb of a clause whose subject is the name (1–3 words) at tokens[k].

    An optional comma appositive or bracketed aside may sit between the name and the verb ("Jim
    Carrey, for once, is allowed").  None when no such verb follows.
    """
    n = 0
    if tokens[k].word in _NOMINATIVE and tokens[k].word != "i" and not tokens[k].opens:
        n = 1  # "…at the sky he, for once, is allowed…": a subject pronoun, interrupted
    while k + n < len(tokens) and n < 3 and _is_name(tokens[k + n]) and not tokens[k + n].opens:
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
    found = _finite_after(tokens, after)  # a name is singular, whatever its last letter ("Denis keeps")
    return None if found is None else found[0]


def _may_end_clause(tokens: Sequence[_Token], i: int) -> bool:
    """tokens[i] can be the last word of a complete clause rather than lead into a new one.

    Not punctuation-ended (that boundary is real), not a word that introduces or heads a clause
    ("says", "that", "the moment"), not a preposition, determiner or role noun ("the pianist Mia").
    """
    token = tokens[i]
    if token.ends_clause or not token.word.isalpha() or not token.raw[:1].islower():
        return False
    word = token.word
    if word in _PREPOSITIONS and word not in _PARTICLES or word in _DETERMINERS | _CONJUNCTIONS:
        return False
    if word in _ROLE_NOUNS or word in _DEGREE_OR_COMPARING or word.endswith(("'s", "s'")):
        return False
    if i and tokens[i - 1].word in _DEGREE:
        return False  # "so quiet she can hear herself think": "that" left out after a degree
    if word in _HEAD_NOUNS and not _time_phrase_ends(tokens, i):
        return False
    if _in(word, _INTRODUCERS) or _in(word, _OBJECT_CLAUSE):
        return _object_closes(tokens, i)  # "…every year of it Novak…": an object pronoun may end it
    return True


def _elliptical_be(tokens: Sequence[_Token], i: int) -> bool:
    """ "…which they essentially are": a pronoun subject and a bare "be" that closes the clause."""
    if tokens[i].word not in _BE or tokens[i].word.startswith("'"):
        return False
    j = i - 1
    while j >= 0 and i - j <= 3 and (tokens[j].word in _ADVERBS or tokens[j].word.endswith("ly")):
        j -= 1
    return j >= 0 and tokens[j].word in _SUBJECT_PRONOUNS and not tokens[j].ends_clause


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
    tokens = _tokens(text)
    verb_seen = fronted = False
    for i, token in enumerate(tokens[:-1]):
        nxt = tokens[i + 1]
        if (token.word in _SUBORDINATORS or token.word in _SUBJECT_CLAUSE) and (
                not i or tokens[i - 1].raw.endswith((".", "!", "?"))):
            # "Whatever they are Mia likes them", "When she was young Mia sang": a fronted subordinate
            # clause may end without its comma, and the main clause's subject follows.
            verb_seen, fronted = False, True
        if fronted:
            fronted = not token.ends_clause
            continue
        if token.opens and not token.raw.startswith("("):
            verb_seen = False
        elliptical = _elliptical_be(tokens, i)  # the "be" is the clause's verb
        subject = _is_name(nxt) or nxt.word in _NOMINATIVE
        if (verb_seen or elliptical) and subject and not nxt.opens and _may_end_clause(tokens, i):
            verb_at = _name_subject_at(tokens, i + 1)
            interrupted = verb_at is not None and verb_at > i + 2 and (
                tokens[verb_at - 1].ends_clause or tokens[verb_at - 1].raw.endswith(")"))
            if verb_at is not None and (interrupted or elliptical) and not _clause_has_gap(tokens, verb_at):
                return True
        if token.word in _CONJUNCTIONS or token.ends_clause:
            # "…and look up at the sky": a bare verb straight after "and" continues the subject.
            verb_seen = token.word in _AND_OR_BUT and nxt.raw[:1].islower() and (
                nxt.word not in _FUNCTION_WORDS and nxt.word not in _TIME_NOUNS and nxt.word.isalpha()
                and not token.ends_clause)
            continue
        verb_seen = verb_seen or _looks_finite(tokens, i)
    return False
