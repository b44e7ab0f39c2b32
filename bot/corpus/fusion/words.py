"""The word lists the fusion rules ask about, built once (`word_set`: lower case, frozen).

Most changes to the `run_on` refusal are a word added to one list here. Each list says what it is for;
after a change run `tests/corpus/test_standalone_rules.py` (every rule's examples, both ways) and
`tests/corpus/test_standalone_quality.py` (the labelled sets: precision must not drop).
"""

from __future__ import annotations

from bot.corpus.themes_model import word_set

NOMINATIVE = word_set("he she they we i")


BE = word_set("is was are were 's 're 'm")


AUX = word_set(
    "has had have does did do can could will would shall should may might must cannot can't won't isn't wasn't "
    "doesn't didn't hasn't hadn't couldn't wouldn't shouldn't 'll 'd 've"
)


# Where one clause hands over to the next: the fused clause ends there.
CONJUNCTIONS = word_set(
    "and but or nor because while when where although though which who whom that whereas until since as if unless"
)


CONTRACTED = word_set("he she it they we i you")


DETERMINERS = word_set("the a an his her their its my your our every each this these those no")


REFLEXIVES = word_set("himself herself themselves itself myself ourselves yourself")


OBJECT_START = DETERMINERS | REFLEXIVES | word_set("him them it us me her")


ADVERBS = word_set(
    "never always still barely just only now finally really even also already less more much then often rarely "
    "hardly soon again not once simply almost nearly suddenly quietly slowly far today tonight later earlier "
    "ago anymore here there too either rather perhaps probably actually yet ever"
)


PLURAL = word_set("them us both all two three")


# Word lists the token loops below ask about, built once (not a frozenset per token).
PLURAL_HEADS = PLURAL | word_set("crew family team cast police people men women children")


DO_HAVE = word_set("do does did have has had")


EVERY_NEXT = word_set("every each last next")


INDEFINITE_PRONOUNS = word_set("everything nothing something everyone nobody")


AND_OR_BUT = word_set("and or but")


DEGREE = word_set("so such too how")  # "so quiet she can hear herself think": "that" left out after them


DEGREE_OR_AS = DEGREE | word_set("as")


DEGREE_OR_COMPARING = DEGREE | word_set("as than like")


# Words after which a new subject is ordinary English: conjunctions, relatives,
# "the way/moment/reason …" nouns, and verbs that take a clause without "that".
INTRODUCERS = word_set(
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
HEAD_NOUNS = word_set(
    "way time moment day night morning evening week month year years summer hour minute instant era age "
    "reason place point kind sort sign proof news fact idea notion thing"
)


# Verbs with two objects ("the answer he gives the students") or a named result
# ("the name she calls him"): an object after them does not fill the gap.
DITRANSITIVE = word_set(
    "give tell show offer hand send teach owe promise ask pay lend sell buy bring cost deny grant call name make "
    "consider find leave get keep wish charge"
)


# Verbs taking "object + bare verb" ("makes the audience laugh"): the noun after
# them is an object, not a new subject.
CAUSATIVE = word_set("make let help have watch see hear feel notice bid")


# Mostly intransitive or prepositional verbs: once they have a subject, the
# clause is complete unless it ends on a stranded preposition ("the city he lives in").
INTRANSITIVE = word_set(
    "care live talk speak look go come work wait sleep die listen laugh smile cry weep dance walk run sit stand "
    "stay return belong depend rely happen climb fall rise arrive leave disappear vanish float drift swim fly "
    "drive sing stop matter exist grow shrink turn"
)


# "wants to touch": the verb after "to" carries the object.
CATENATIVE = word_set(
    "want need try hope seem begin start refuse decide plan learn fail manage have used ought continue choose"
)


PREPOSITIONS = word_set(
    "in at on for to with by from of about into onto over under through across around down up out off away back "
    "after before behind beside between against toward towards without within upon along past"
)


IRREGULAR_PAST = word_set(
    "made said went came took gave got found knew thought told became left felt brought began kept held wrote "
    "stood heard let meant set met ran paid sat spoke lay led grew lost fell sent built understood drew broke "
    "spent cut rose drove bought wore chose won sang threw caught fought taught sought forgot hid shot struck "
    "fled saw did had was were is are"
)


# "is about to / going to / able to": the verb after "to" carries the clause.
BE_TO = word_set("about going able unable willing ready set supposed bound due happy glad afraid determined")


# "the director Bong Joon-ho", "the song City of Stars": a name in apposition to a role, not a new subject.
ROLE_NOUNS = word_set(
    "director filmmaker writer screenwriter actor actress star co-star newcomer composer cinematographer "
    "editor producer critic novelist author character protagonist hero heroine villain film movie title song "
    "album novel book play series show character daughter son wife husband mother father brother sister friend "
    "boyfriend girlfriend partner named called titled dubbed"
)


TIME_NOUNS = word_set("years months weeks days hours minutes seconds decades moments nights mornings")


PERSONAL_OBJECTS = word_set("it him them me us") | REFLEXIVES


TIME_AFTER = word_set("later earlier ago after before on in afterwards")


# Verbs taking an object and then a clause: "convinces him the court wants…" is one sentence.
OBJECT_CLAUSE = word_set("convince persuade assure remind warn inform promise tell teach show bet")


PERIODS = word_set("morning evening night day week month year summer winter spring autumn weekend")


# Particles that close a verb phrase rather than open a prepositional one ("wants his friend back Colm has…").
PARTICLES = word_set("back away home apart together")


SUPERLATIVE_ADVERBS = word_set("most least best worst first last")


# Object-like words that can open an object: "takes most of her name", "exploit that trust".
QUANTIFIERS = word_set("most all some much many both half none several each every any")


FUNCTION_WORDS = DETERMINERS | PREPOSITIONS | CONJUNCTIONS | ADVERBS


# Words that open a clause which cannot be the main one: a verb seen after them is no main verb.
SUBORDINATORS = CONJUNCTIONS - word_set("and but or nor")


# "What happens to Hae-mi haunts…", "How Mia sings to him says…": a clause that is the subject.
SUBJECT_CLAUSE = word_set("what whatever whoever how why whether")


IRREGULAR_PLURALS = word_set("men women children people police feet teeth mice")


NAME_RUN_STARTS = DETERMINERS | word_set("i")


# Prepositions that always take the following noun phrase as their object (never verb particles).
PLAIN_PREPOSITIONS = word_set(
    "in at on of for to with by from into onto about through across under within without upon toward towards "
    "among between beside behind against during despite like unlike"
)


# Introducers that are no verb or adjective taking a clause: pronouns, quantifiers, degree words.
EMBEDDING_NOT = PERSONAL_OBJECTS | word_set(
    "us me them him her you it its so too such enough all one even yet still also just only now then here there"
)


NAME_PARTICLES = word_set("de del della da di van von der den la le du dos das bin ibn al el")


# Words that open a relative or subordinate clause: after "Mia, who…" the name is no new subject.
INTERRUPTION_NOT = CONJUNCTIONS | word_set("whose if so yet")


SUBJECT_PRONOUNS = NOMINATIVE | word_set("it you")
