"""Does a passage stand on its own as a quote?

A quote is shown alone in Discord (with the film and critic), so a reader has
no preceding sentence.  These rules decide, from the text alone:
- dangling(sentence): it leans on what came before ("Neither is…", "His life…",
  "But at this point…"); the segmenter glues such a sentence to the previous
  one of its paragraph, and a passage still opening with one is not quotable;
- standalone_problem(text, film): why a whole passage must never be offered as
  the critic's view (run-on from lost punctuation, a heading fused into a
  sentence, a listicle teaser, mostly someone else's words, a conversation
  retold in reported speech, the film-maker's unattributed first person, an
  ending or plot retold without naming `film`...), or None.

Round 4 aims at families of shapes rather than sentences: a subject that no
word or punctuation introduces (fusion.unintroduced_subject), the maker's
interview voice and schedule, "Title review –" headlines, counted listicles,
untied recaps, ordinal list items, "the scene" named by nobody, and a named
subject's "him/her".
Pure functions, standard library only, linear time.
"""

from __future__ import annotations

import re

from bot.corpus.film_refs import title_anchor
from bot.corpus.fusion import IRREGULAR_PAST, object_fusion, run_on, unintroduced_subject
from bot.corpus.quotes import opens_with_quote, quote_spans, quoted_fraction, quotes_balanced
from bot.corpus.reasons import Refusal
from bot.corpus.themes_model import word_set

_OPENERS = "\"“‘'([¿¡「『"


# Connectives that always point back at an earlier sentence.
_HARD_CONNECTIVE = re.compile(
    r"(?:Also|However|Still|Instead|Neither|Nor|Then|Thus|Therefore|Hence|Meanwhile|Besides|Moreover|"
    r"Furthermore|Likewise|Similarly|Otherwise|Together|Even so|Rather|In turn|Afterwards?|"
    r"By contrast|In contrast|On the other hand|As a result|For that reason|That said|Again|Both|Such|"
    r"By then|By now|Even then|After that|Before that|Since then|Until then|At that point|"
    # A rephrasing, an example or a ranking of something already said.
    r"Not that|For example|For instance|In other words|Which|What['’]s more|Worse still|Better still|"
    r"More importantly|Most importantly|Conversely|Only (?:then|later|now)|At the same time|In the same way|"
    r"So too|Here too|Lastly|In short|After all|Then again|In fact|As for|So does|So did|Which is to say|"
    # "Another reason the film works…" counts on a first one; "Another Day of Sun" is a title.
    r"Another (?=[a-z]))\b"
    # Ordinals and other comma-marked links: one item of a list or a reply ("Second, there is the
    # prison", "Fourth, and most important, …"); "First Man" and "Last Night in Soho" are titles, so
    # only with the comma.  (No \b after a comma: it would need a word character next.)
    r"|(?:There|Worse|First(?:ly)?|Second(?:ly)?|Third(?:ly)?|Fourth(?:ly)?|Fifth(?:ly)?|Sixth|Seventh|"
    r"Next|Last|Finally|Even so|And yet|Again),"
    # "Here the camera finally moves in": a place in the film the reader was not shown; "Here's what…"
    # is a teaser (refused elsewhere) and "There is/are…" is existential.
    r"|Here (?!(?:is|are|was|were|comes?)\b)(?=[a-zA-Z])"
    r"|There (?=(?:the|a|an|his|her|their|its|we|he|she|they)\b)"
)
# "But"/"And"/"Yet"/"So" only join two thoughts; the rest of the sentence decides
# ("But the real star in La La Land is the movie itself" stands alone).
_SOFT_CONNECTIVE = re.compile(r"(?:But|And|Yet|Or|So|Plus|Now)\b,? ")
# "The second is subtler.", "The other was cut.", "The last one is the best": an item of a list the
# reader never saw, the ordinal standing for its noun.  "The second half drags" names its noun.
_ORDINAL_ITEM = re.compile(
    r"The (?:first|second|third|fourth|fifth|sixth|last|final|latter|former|other|next|remaining|rest)"
    r"(?: (?:one|ones|two|three|four|five))?,? (?:(?:is|was|are|were|has|had|does|did|comes?|came|goes|went|"
    r"involves?|concerns?|belongs?|works?|feels?|seems?|remains?|plays?|lands?|hurts?|matters?|takes?|makes?)\b|"
    r"(?:is|was)n['’]t\b)"
)
_DEMONSTRATIVE_START = re.compile(r"(?:This|That|These|Those)\b(?! (?:film|movie)\b)")
_PRONOUN_START = re.compile(r"(?:He|She|It|They|His|Her|Their|Its|Them|Him|Hers|Theirs)\b")
# Dummy "it" ("It's difficult not to…", "It's immediately established that…")
# refers to nothing earlier; "It's a moment that…" does.
_DUMMY_IT = re.compile(
    r"It(?:['’]s| is| was| seems| feels| would be)(?: (?!(?:a|an|the|this|that|his|her|their)\b)[\w-]+){1,2}"
    r" (?:not )?(?:to|that)\b"
    # "It's no wonder Chihiro stays silent": the clause after is what "it" stands for.
    r"|It(?:['’]s| is| was) (?:no|small|little) (?:wonder|surprise|accident|coincidence)\b"
    # "It took me three viewings to see that…": the time it takes, "it" points at the clause after.
    r"|It (?:takes|took|has taken|had taken)(?: [\w’'-]+){1,4} (?:to|before)\b"
)
# "It’s the quietest sequence in Spirited Away…: the train gliding…": a superlative, then the colon
# names what "it" is, in the same sentence.
_CATAPHORIC_IT = re.compile(
    r"It(?:['’]s| is| was) the (?:\w+est|most \w+|only|first|last|best|worst)\b[^:.;!?]{0,150}: \S"
)
# "Galoup hates him on sight": a name, its verb, then "him"/"her" as the object.  The object of a verb
# is never its own subject (that would be "himself"), so the pronoun is someone the sentence never
# names.  "her" only as an object (before a preposition, an article or punctuation): "Stone gives her
# best performance" is a possessive that may be Stone's.
_BOUND_OBJECT = re.compile(
    r"(?P<name>[A-Z][\w’'-]+(?: [A-Z][\w’'-]+){0,2}) (?:[a-z]+ly )?[a-z]+(?:s|ed) "
    r"(?:him\b|her(?=[,.;:!?—]| (?:on|in|at|to|for|with|from|as|like|and|but|the|a|an|into|out|off|up|down|"
    r"away|back|again|so|too|whole|alone)\b))"
)
_PRONOUN = word_set("he she they him her them his their hers theirs himself herself themselves")
# Singular person pronouns always need a named person before them in the quote.
_SINGULAR = word_set("he she him her his hers himself herself")
_SETTING_PHRASE = re.compile(
    r"^(?:In|Throughout|At|During|After|Before|Within|Across|Since|From|Through|Over|Midway through)\b[^,]{1,50}, "
)
# "Mia, on the other hand, …", "Mia and Sebastian are trapped in amber, too, …".
_PARENTHETICAL_LINK = re.compile(
    r"^[^,.;:]{1,60}, (?:on the other hand|however|though|too|meanwhile|instead|in turn|by contrast|"
    r"in contrast|then|also|still|as well|likewise|in other words|in short|after all|for example|"
    r"for instance|then again|even so|therefore|thus|again|in fact|that is)[,.;]"
)
# "…don’t see the ending that darkly": a degree measured against an earlier sentence.
_DEGREE_THAT = re.compile(r"\bthat (?!only\b|early\b)\w{3,}ly\b(?=[,.;:]| but\b| and\b|$)")
# Opening "The <shell noun>" points back at something just described ("The
# song is a hit", "The moment isn’t quite as painful", "The subtext is that…").
_SHELL_NOUN = re.compile(
    r"The (?:moment|song|scene|subtext|result|effect|answer|point|idea|problem|reason|twist|difference|"
    r"irony|upshot|trouble|catch|same|latter|former|rest|sequence|line|shot|gesture|image)\b(?! of\b)"
)
# "What makes the character bearable…": one of many characters/scenes, never named before.  "The
# character of Mia", "the scene where…", "the sequence in the diner" introduce themselves; "the
# ending" or "the score" is this film's one ending or score, named by the film shown with the quote.
_UNNAMED_DEFINITE = re.compile(
    r"\b[Tt]he (?:character|scene|sequence|twist|shot|moment|gesture|line)\b"
    r"(?! (?:of|where|in|at|on|with|from|between|after|before|when|that|which|who|whose|for)\b)(?![\w’'-])"
    r"(?! [A-Z“\"(])"
)
# "The tennis racquet, the spaghetti, the gin rummy — none of it…": a list of things the reader was
# never shown, summed up by a dash or colon.
_DEFINITE_LIST = re.compile(r"The [\w’'-]+(?: [\w’'-]+){0,3}, the [\w’'-]+(?: [\w’'-]+){0,3}(?:,| and)")
# "those who/not/of…" introduces its own referent; "those songs" points back.
_BACK_REFERENCE = re.compile(
    r"\b(?:these|those(?! (?:who|not|of|that|with|in)\b)|the two|the pair|the couple|the duo)\b", re.IGNORECASE
)
# "In Chazelle's case, that commentary…": a demonstrative opening the main clause.
_CLAUSE_DEMONSTRATIVE = re.compile(r"^[^,]{1,60}, (?:this|that|these|those) (?!(?:film|movie)\b)[a-z]")
# "At this point…", "By that time…": a demonstrative in the opening phrase.
_PHRASE_DEMONSTRATIVE = re.compile(r"^\w+ (?:this|that|these|those) (?!(?:film|movie)\b)[a-z]")
_EARLY_WORDS = 8
_EARLY_IT_WORDS = 4
# Words that can come before a referring "it" without giving it anything to refer to.
_IT_LEAD_INS = word_set(
    "what how why when where whatever whether if because though although while all that once as even so and but "
    "yet still now then until unless since"
)
# More than half in quotation marks: someone else's words, not the critic's.
MAX_QUOTED = 0.5
# A quotation followed by "he says"/"Fletcher asks": the passage retells dialogue.
_SPEECH_TAG = re.compile(
    r"[,.!?…—]” (?:he|she|they|[A-Z][a-z]+) (?:says|said|asks|asked|replies|assures|tells|lectures|shouts)\b"
)
_TEASER = re.compile(
    r"^(?:Here['’]s|Here is|Here are) (?:what|why|how|\d+|(?:some|a few|the) )"
    r"|^\d+ (?:reasons|things|ways|details|moments|scenes|facts|questions|films|movies)\b"
    r"|, [Ee]xplained(?:\.$|:)|^(?:Everything|What) you need to know\b|\b(?:Read on|Keep reading|Scroll down)\b"
    # Clickbait addresses the reader and withholds: "— here's the one scene that saved his job (and it's
    # not the one you think)", "You won't believe which…", "…the detail you probably missed".
    r"|[—–:] [Hh]ere['’]s (?:the|what|why|how|who)\b"
    r"|\b(?:it['’]s|it is|and it['’]s) not (?:the one|what|who|where|how) you(?:['’]d| might| would)? (?:think|expect|imagine)\b"
    r"|\b[Yy]ou won['’]t believe\b|\byou (?:probably |might have |may have )?(?:missed|never noticed|didn['’]t notice)\b"
    # A counted list the article promises: "these 15 Easter eggs" (in digits: "these two women" is prose).
    r"|\b[Tt]hese \d+ "
    r"(?!(?:minutes|hours|years|days|weeks|months|decades|seconds)\b)[\w-]+"
    # The teaser's promise to the reader: "will make you want to rewatch it", "you'll never see … the same".
    r"|\b(?:will|['’]ll) (?:make|have) you (?:want(?:ing)? to )?(?:rewatch|re-watch|watch it again|"
    r"see it again|look at|rethink|reconsider)\b|\byou['’]ll never (?:see|watch|look at|hear) \w+(?: \w+){0,4} the same\b"
)
# "Pan's Labyrinth review – a fairy tale…", "'Barbie' review: …", "Aftersun — review": the page's headline.
_REVIEW_HEADLINE = re.compile(
    r"^(?:(?:[^\s.!?]+ ){1,10}?(?:[Rr]eview|REVIEW)(?: [–—|-]|:)|(?:Film |Movie )?(?:Review|REVIEW):) "
)
# A star rating scraped with the headline: "★★★★☆", "Rating: 4/5".
_STAR_RATING = re.compile(r"[★☆✩✪⭐]|\b[Rr]ating: ?\d")
# Title Case run-in headings without a comma ("The Shark That Changed Hollywood
# Jaws invented…"): a capitalised verb or relative inside the run marks a headline.
_HEADLINE_WORDS = word_set("That Is Are Was Were Why How What Who Won Made Makes Became Broke Still Ever Never Explained")
_MIN_HEADLINE_RUN = 5
# Words that label an article: "Oppenheimer Review:", "Aftersun Explained".
_HEADING_LABELS = word_set("Review Reviews Recap Interview Explained Analysis Verdict Essay Retrospective Spoilers")
# Irregular pasts that are also common names or title words ("Will", "Saw", "Drive" is no past anyway).
_NAME_LIKE_PAST = word_set("saw let set led lay met won had did is are was were")
_ROLE_TITLES = word_set("Director Filmmaker Writer Writer-director Writer-Director Actor Actress Star Composer Producer")
_POSSESSIVE = ("’s", "'s", "s’", "s'")
_MIN_HEADLINE_NAME = 4  # a possessive this far into a capitalised run: heading + name
_MAX_TITLE_CAPITALS = 6
# Sentence ends, for counting sentences (linear: one character class, one space run).
_SENTENCE_BREAK = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][”\"’)])) +(?=[“\"A-Z])")
_SPEECH_VERBS = (
    r"(?:asks|asked|says|said|tells|told|replies|replied|answers|answered|insists|insisted|admits|admitted|"
    r"explains|explained|wonders|wondered|jokes|joked|warns|warned|promises|promised|confesses|confessed|"
    r"agrees|agreed|adds|added|whispers|whispered|shouts|shouted|responds|responded|snaps|snapped|"
    r"protests|protested|begs|begged|assures|assured|lies|lied)"
)
# "She says no", "Chris asks Rose…", "Oliver quietly says…": a speaker and a speech verb open the sentence.
_SPEECH_OPENING = re.compile(
    rf"(?:He|She|They|I|We|[A-Z][\w’'-]+(?: [A-Z][\w’'-]+)?) (?:\w+ly )?{_SPEECH_VERBS}\b"
)
# The maker's first person: "I wanted to make a film about…", "I made this film", "my actors", "we shot".
_MAKER = re.compile(
    r"\bI (?:\w+ )?(?:wanted|want|set out|tried|decided|needed|hoped|meant|chose|had) to "
    r"(?:make|tell|shoot|film|write|direct|cast|adapt|remake)\b"
    r"|\bI (?:made|wrote|shot|directed|cast|edited|filmed|adapted) (?:this|the|my|a) "
    r"(?:film|movie|picture|script|screenplay|story|short|feature)\b"
    r"|\b(?:[Mm]y|[Oo]ur) (?:film|movie|script|screenplay|cast|crew|actors|actor|actress|cinematographer|"
    r"editor|producers?|shoot|set|characters?)\b(?! of the (?:year|decade|festival|week|month|century))"
    r"|\b(?:[Ww]e|I) (?:shot|filmed|cast|rehearsed|edited|storyboarded)\b"
    r"|\bwhen (?:I|we) (?:was |were )?(?:making|shooting|writing|casting|editing|filming)\b"
    # "…and Amélie was my chance to finally use them all": a film that was the speaker's chance to do
    # something is the maker speaking; a critic's film is "my favourite", not "my chance to".
    r"|\b(?:was|is|became|would be) (?:my|our) (?:chance|attempt|way|excuse|opportunity) to\b"
    # "my last film", "our new picture": an adjective of sequence before the maker's own work.
    r"|\b(?:[Mm]y|[Oo]ur) (?:last|first|next|new|latest|previous|final|debut|second|third|fourth|only) "
    r"(?:film|movie|picture|feature|script|screenplay|shoot)\b(?! of the (?:year|decade|festival|week|month|century))"
    # The maker's schedule: "when we started", "when I began shooting", "by the time we wrapped".
    r"|\b(?:[Ww]hen|[Bb]efore|[Aa]fter|[Uu]ntil|[Bb]y the time) we (?:first )?(?:started|began|wrapped|finished|got to)\b"
    r"|\b(?:[Ww]hen|[Bb]efore|[Aa]fter|[Uu]ntil|[Bb]y the time) I (?:first )?(?:started|began|wrapped|finished) "
    r"(?:shooting|writing|filming|making|casting|cutting|editing|rehearsing|the (?:shoot|script|film|movie))\b"
    # The interview voice: the speaker is the one asked about the film ("I've been asked about that
    # scene for years", "Nobody asks me about…"); "asked whether it is worth seeing" is any critic's.
    r"|\bI(?:['’]ve| have| had)? (?:\w+ )?been asked about\b"
    r"|\b(?:[Pp]eople|[Ee]veryone|[Nn]obody|[Nn]o one|[Jj]ournalists|[Cc]ritics|[Ff]ans|[Tt]hey) "
    r"(?:\w+ )?asks? me about\b"
    r"|\b(?:[Oo]n|[Oo]ff) (?:the )?set,? (?:I|we)\b|\b(?:I|we) (?:\w+ )?(?:on|off) (?:the )?set\b"
    # The actor's voice: the part was given to the speaker ("when they cast me", "offered me the role").
    r"|\b(?:cast|casting|hired|hiring) me\b|\b(?:offered|gave|sent) me the (?:part|role|script)\b"
    r"|\b[Mm]y (?:role|co-stars?|director)\b(?! (?:as|of) (?:a |the )?(?:critic|reviewer|viewer))"
)
# A passage that narrates an ending or sums up a plot: "In the end the survivors ride out…", "At the
# end of the film, he…", "The story could hardly be simpler: a refugee…".  Critics retell other films'
# endings and plots to compare; unless it names this film, a reader takes it for this one.  "The story"
# counts only when it introduces a summary (a colon, "is about", "follows"): "The story is slight" is a
# verdict, not a recap.
_RECAP = re.compile(
    r"(?:(?:But|And|Yet|So),? )?(?:(?:In|At|By|During) the (?:very )?(?:end\b|(?:final|last|closing|dying) "
    r"(?:act|scene|shot|reel|moments?|minutes|sequence|stretch|frames?|image)\b)|It ends\b|The film (?:ends|closes)\b"
    r"|The (?:story|plot|premise|set-?up|synopsis)\b(?=[^.!?:;]{0,80}(?::|\b(?:is about|follows|concerns|"
    r"centres on|centers on|revolves around)\b)))"
)
_OF_THE_FILM = re.compile(r"^ of (?:the|this) (?:film|movie)\b")
# "In the end, what stays with you is…", "At the end of the day, the director's film…": the idiom
# ("ultimately"), then the critic's verdict, not a retold ending.
_VERDICT_AFTER_END = re.compile(
    r" of the day\b"
    r"|,? (?:what|it['’]s|it is|this is|that['’]s|there['’]s|I|we|you|for all|the (?:film|movie)['’]s|"
    r"[A-Z][\w-]+['’]s (?:film|movie|picture|direction|script)|(?:the|this) (?:film|movie) (?:is|was|feels|remains|works|belongs))\b"
)
_THIS_FILM = re.compile(r"\b(?:[Tt]he|[Tt]his) (?:film|movie)\b(?! (?:of|by|that|which|he|she|they)\b)")
# "In the final scene of Brief Encounter (1945), Laura…": a setting that is another film.
_OTHER_FILM_SETTING = re.compile(r"^(?:In|At|During|Throughout)\b[^,]{0,60}\((?:1[89]|20)\d\d\),")
_RUN_ON_OBJECT = re.compile(r"\b(?:her|him|them|us|me) [A-Z][a-z]+['’]s\b")
# "…never to come back he obeys…": a verb particle closes one clause, a subject opens the next.
_RUN_ON_PARTICLE = re.compile(r"\b(?:back|away|out|off|home|again) (?:he|she|they|it|we) [a-z]+(?:s|ed)\b")
_RUN_ON_NAME = re.compile(r"\b[a-z]+ [A-Z][a-z]+ (?:he|she|it|they|we)['’](?:s|re|ve|ll|d)\b")
# A subject pronoun and a finite verb straight after a content word: "…stardom
# it’s given…", "…the end he has won…", "…come back he obeys…".
_RUN_ON_CLAUSE = re.compile(
    r"\b([a-z]+) (?:it|he|she)(?:['’]s| has| had) (?:\w+(?:ed|en|ing)|given|got|made|done|been|become|won|lost|left)\b"
)
_CLAUSE_INTRODUCERS = word_set(
    "that and but or so because if when where while what how why who which whether though although as than "
    "since until once unless after before now then here there even yet still also just only say says said think "
    "thinks thought know knows knew feel feels felt sure clear obvious hope believe guess suspect suppose realise "
    "realize realises realizes admit admits seems means mean way time moment day thing everything something "
    "anything nothing all one reason place point year years sense kind sort proof sign news fact idea notion "
    "whom whose whereas us me them him her you"
)
_PREPOSITIONS = word_set(
    "in throughout at on for during after before with like unlike as between among despite since until from "
    "under over beyond through to by of when while although though if because according"
)
_HEADING_SMALL = word_set("of and the a an in on for to with at by or vs from")
_PAIR = re.compile(r"\bthe (?:couple|two|pair|duo)\b", re.IGNORECASE)
_COUNTED_PAIR = re.compile(r"\b(?:two|both|a couple|a pair|a duo)\b", re.IGNORECASE)
# A capitalised word that does not open a sentence: most likely a name.
_NAME_INSIDE = re.compile(r"(?<=[a-z,;:—–(] )[A-Z][a-z]+")
_BACK_REFERENCE_WORDS = 10
_MAX_PRONOUN_WORDS = 200
# Capitalised only because they open the sentence: not a name a pronoun could point to.
_COMMON_STARTERS = word_set(
    "the a an in on at as when while after before according between throughout though although if because "
    "since for with without by from of to during once until what how why where who one many some every each "
    "most all no not perhaps even despite unlike like later earlier far getting working writing being "
    "visually emotionally ultimately finally of course there here yes whatever whether only just "
    "has have had is are was were do does did can could will would should may might must"
)


def _strip_openers(sentence: str) -> str:
    """The sentence without leading quote marks/brackets and soft connectives."""
    text = sentence.lstrip(_OPENERS)
    while (soft := _SOFT_CONNECTIVE.match(text)) is not None:
        text = text[soft.end():]
        text = text[:1].upper() + text[1:]  # "but at this point" is read as "At this point"
    return text


def _bare_word(raw: str) -> str:
    """A token without punctuation or a contraction/possessive tail ("they’re" -> "they")."""
    return raw.strip(_OPENERS + ",;:.!?”’)").split("’")[0].split("'")[0]


def _setting_words(text: str) -> int:
    """How many words open the sentence as a place/time phrase ("In La La Land, …").

    Names there are a setting, not a person a later pronoun can point to.
    """
    head = _SETTING_PHRASE.match(text)
    return len(head.group(0).split()) if head else 0


def _pronoun_before_name(text: str) -> bool:
    """A pronoun before any proper name it could point to.

    Plural/possessive "they/their" count only among the first words (they often
    point to a plain noun: "Musical numbers… they"); he/she/his/her anywhere.
    """
    setting = _setting_words(text)
    # Bounded: a quote is at most ~200 words, and a 100 KB run-on must not cost more.
    for position, raw in enumerate(text.split(maxsplit=_MAX_PRONOUN_WORDS)[:_MAX_PRONOUN_WORDS]):
        word = _bare_word(raw)
        lower = word.lower()
        if lower in _SINGULAR or (lower in _PRONOUN and position < _EARLY_WORDS):
            return True
        is_name = word[:1].isupper() and word != "I" and (position or lower not in _COMMON_STARTERS)
        if is_name and position >= setting:
            return False  # a name first: the pronoun can point to it
    return False


def dangling(sentence: str) -> bool:
    """Whether the sentence opens by leaning on an earlier one (see module doc)."""
    text = _strip_openers(sentence)
    if _LEANS_BACK.match(text):
        return True
    if _PRONOUN_START.match(text) and not _DUMMY_IT.match(text) and not _CATAPHORIC_IT.match(text):
        return True
    # Searched in the whole text (lookaheads need the words after), counted only when early.
    words = text.split(maxsplit=_BACK_REFERENCE_WORDS)
    early_end = len(text) - len(words[-1]) if len(words) > _BACK_REFERENCE_WORDS else len(text)
    if _early_back_reference(text, early_end) or _DEFINITE_LIST.match(text) or _early_unnamed(text, early_end):
        return True
    return _pronoun_before_name(text) or (_early_it(text) and not _CATAPHORIC_IT.match(text)) or _bound_object(text)


# Titles that are pronouns (*Her*, *It*, *Us*, *Them!*): written as the title, they name the film, not someone
# an earlier sentence introduced.
_PRONOUN_TITLES = word_set("he she it they his her their its them him hers theirs us we me you")
# The verbs a critic opens a sentence about a film with ("It turns King's clown into…", "Us follows a family…"):
# a possessive ("Her eyes…") or "It turns out" never reads as the title.
_AS_TITLE = (r"(?![\w'’-])(?= (?:is|was|has|had|does|did|remains|feels|plays|works|isn['’]t|wasn['’]t"
             r"|turns(?! out\b)|follows|opens|begins|ends|tells|makes|takes|gives|offers|shows|becomes|finds|stars"
             r"|keeps|lets|brings|captures|sets|pits|traces|transforms|adapts|reimagines|updates)\b)")


def title_as_name(sentence: str, film: str | None) -> str:
    """The sentence with this film's pronoun title (as written, capitalised) read as a name: "Her is a tender
    romance", "The last scene of Her…". At the sentence's start only before a verb ("Her performance…" is a
    pronoun); other titles are left alone."""
    title = " ".join((film or "").split())
    if title.rstrip("!?.").casefold() not in _PRONOUN_TITLES:
        return sentence
    word = re.escape(title)
    opened = len(sentence) - len(sentence.lstrip(_OPENERS + " "))
    head = re.sub(rf"^{word}{_AS_TITLE}", "Title", sentence[opened:])
    return sentence[:opened] + head[:1] + re.sub(rf"(?<![\w'’-]){word}(?![\w'’-])", "Title", head[1:])


def _early_back_reference(text: str, early_end: int) -> bool:
    """"the two", "such a …" in the first words, pointing back at something the passage never introduced."""
    for pattern in (_BACK_REFERENCE, _DEGREE_THAT):
        found = pattern.search(text)
        if found and found.start() < early_end and not _pair_introduced(text, found):
            return True
    return False


def _early_unnamed(text: str, early_end: int) -> bool:
    """"the scene", "the character" in the first words, with no name before it to say which one."""
    unnamed = _UNNAMED_DEFINITE.search(text)
    if unnamed is None or unnamed.start() >= early_end or _NAME_INSIDE.search(text, 0, unnamed.start()):
        return False
    # "Weaver makes the character bearable": a name first says whose character (or twist).  A name
    # does not say which scene: "Kurosawa stages the scene as one long rush" is one of many.
    return not (unnamed.group(0)[4:] in ("character", "twist") and _starts_with_name(text, unnamed.start()))


def _pair_introduced(text: str, found: re.Match[str]) -> bool:
    """"When Jesse meets Céline, the two…", "Two strangers meet, and the pair…": the sentence itself
    introduces who "the two" are (two names, or a counted noun before it)."""
    if _PAIR.fullmatch(found.group(0)) is None:
        return False
    before = text[: found.start()]
    first = _bare_word(before.split(maxsplit=1)[0]) if before.strip() else ""
    names = set(_NAME_INSIDE.findall(before))
    if first[:1].isupper() and first.lower() not in _COMMON_STARTERS:
        names.add(first)
    return len(names) >= 2 or _COUNTED_PAIR.search(before) is not None


def _bound_object(text: str) -> bool:
    """A sentence opening "<Name> <verb> him/her": the object is someone not named (see _BOUND_OBJECT)."""
    setting = _SETTING_PHRASE.match(text)
    found = _BOUND_OBJECT.match(text, setting.end() if setting else 0)
    if found is None:
        return False
    first = found.group("name").split()[0]
    return first.lower() not in _COMMON_STARTERS and first not in ("I", "It")


def _starts_with_name(text: str, end: int) -> bool:
    """Whether the sentence opens with a name before `end` ("Weaver makes the character…")."""
    first = _bare_word(text.split(maxsplit=1)[0]) if text.strip() else ""
    return text.find(" ", 0, end) > 0 and first[:1].isupper() and first.lower() not in _COMMON_STARTERS


def _early_it(text: str) -> bool:
    """"What it says about ambition…": a referring "it" among the first words, before any name.

    Only function words may come before it ("The city is almost its own…" has its referent); a
    dummy "it" ("It's hard to…") refers to nothing.
    """
    words = text.split(maxsplit=_EARLY_IT_WORDS)[:_EARLY_IT_WORDS]
    for position, raw in enumerate(words):
        word = _bare_word(raw).lower()
        if word == "it":
            rest = " ".join(text.split(maxsplit=position + _EARLY_WORDS)[position:position + _EARLY_WORDS])
            return not _DUMMY_IT.match("I" + rest[1:])
        if word not in _IT_LEAD_INS:
            return False  # a noun first ("The city is almost its own…"): "it" may point to it
    return False


def _run_on(text: str) -> bool:
    """Two independent clauses fused where punctuation was lost in scraping.

    "…encourage her Mia’s play strikes…", "…so struck Chazelle he’s letting…",
    "…propelled Mia to stardom it’s given Sebastian…".  The third pattern is
    also how English omits "that" ("says it’s given"), so words that commonly
    precede such a clause are exempt.
    """
    if _RUN_ON_OBJECT.search(text) or _RUN_ON_NAME.search(text) or _RUN_ON_PARTICLE.search(text):
        return True
    if run_on(text) or object_fusion(text) or unintroduced_subject(text):  # no apostrophe: "…the rules he cares less about the feelings"
        return True
    return any(m.group(1).lower() not in _CLAUSE_INTRODUCERS for m in _RUN_ON_CLAUSE.finditer(text))


def _fused_heading(text: str) -> bool:
    """A Title Case heading run into the first sentence ("The Novelty and Nostalgia of X, Mia’s…")."""
    head, comma, rest = text.partition(", ")
    words = head.split()
    if not comma or len(words) < 4 or words[0].lower() in _PREPOSITIONS:
        return False
    if rest.startswith(("who ", "whose ", "which ")):
        return False  # "Jack Lemmon’s C.C. Baxter, who lends…": a name and its relative clause
    if words[0].endswith("ing") and words[1] in _HEADING_SMALL:
        return False  # "Writing for MTV News, …" is a participial phrase
    capitalised = [w for w in words[1:] if w[:1].isupper()]
    return len(capitalised) >= 2 and all(w[:1].isupper() or w in _HEADING_SMALL for w in words)


def _headline_run(text: str) -> bool:
    """A Title Case heading run into the sentence without a comma.

    The run of capitalised (and small) words that opens the passage is a heading when:
    - it holds a word only a headline capitalises: a verb or relative ("That", "Told", "Changed"),
      or a heading label ("Oppenheimer Review: Nolan’s…");
    - a possessive comes 4th or later in one name ("A Love Story Told in Glances Céline Sciamma’s",
      "Past Lives Celine Song’s"), where a name has at most three words ("Paul Thomas Anderson’s");
    - six capitalised words follow one another without a possessive or "and" to split them ("The
      Quiet Genius of Tokyo Story Ozu never…"): longer than a film title plus its director.
    """
    run = _opening_run(text)
    if run is None:
        return False
    bare = [w.rstrip(":;,—–-") for w in run]
    if _headline_marked(bare) and len(run) >= _MIN_HEADLINE_RUN or any(w in _HEADING_LABELS for w in bare[1:]):
        return True
    return _too_many_capitals(run, bare)


def _opening_run(text: str) -> list[str] | None:
    """The capitalised (and small) words the passage opens with; None when they run past the words looked at."""
    run: list[str] = []
    for raw in text.split(maxsplit=_BACK_REFERENCE_WORDS * 2)[: _BACK_REFERENCE_WORDS * 2]:
        word = raw.strip(_OPENERS + "”’)")
        if word[:1].isupper() or (run and word in _HEADING_SMALL):
            run.append(word)
            continue
        return run
    return None


def _headline_marked(bare: list[str]) -> bool:
    """A word only a headline capitalises, before any possessive (after one a title begins: "Sofia
    Coppola’s Lost in Translation")."""
    before_possessive = next((k for k, w in enumerate(bare) if w.endswith(_POSSESSIVE)), len(bare))
    # A capitalised -ed/-ing word marks a headline only inside the run ("The Shark That Changed
    # Hollywood"); at its end it is a surname before the sentence's verb ("…and Ryan Gosling have").
    return any(
        w in _HEADLINE_WORDS or w in _HEADING_LABELS
        or (w[:1].isupper() and w.endswith(("ed", "ing")) and k + 1 < len(bare))
        or (w[:1].isupper() and w.lower() in IRREGULAR_PAST and w.lower() not in _NAME_LIKE_PAST)
        for k, w in enumerate(bare[1:before_possessive], start=1)
    )


def _too_many_capitals(run: list[str], bare: list[str]) -> bool:
    """One name of four or more words before a possessive, or six capitalised words in a row."""
    capitals = 0
    for raw, word in zip(run, bare, strict=True):
        if word in ("and", "&") or word in _ROLE_TITLES or raw.endswith(","):
            # "Martin Scorsese and Robert De Niro’s", "Director Paul Thomas Anderson’s",
            # "Throughout La La Land, Gosling’s": a new name starts.
            capitals = 0
            continue
        capitals += word[:1].isupper()
        if word.endswith(_POSSESSIVE):
            if capitals >= _MIN_HEADLINE_NAME:
                return True
            capitals = 0
        elif capitals >= _MAX_TITLE_CAPITALS:
            return True
    return False


def _reported_speech_recap(text: str) -> bool:
    """Two or more sentences that open "<someone> asks/says/tells…": a retelling of a conversation.

    "Chris asks Rose whether… She says no, and asks if they should. She tells him…" is plot, in
    indirect speech; one such sentence ("Mr. Perlman tells his son to hold on to the pain, and…")
    may carry the critic's view, two in a row are the script.
    """
    sentences = _SENTENCE_BREAK.split(text)
    opened = sum(bool(_SPEECH_OPENING.match(sentence.lstrip(_OPENERS))) for sentence in sentences)
    return opened >= 2 and 2 * opened >= len(sentences)


def _maker_speaks(text: str) -> bool:
    """First person of the film's maker outside quotation marks ("I wanted to make a film about…").

    Unattributed, the director's words read as the critic's.  A critic's own "I" ("I haven't stopped
    thinking about it", "I wanted to dislike it") is not about making the film.
    """
    spans = quote_spans(text)
    for match in _MAKER.finditer(text):
        if not any(start < match.start() < end for start, end in spans):
            return True
    return False


def _unintroduced_pair(text: str) -> bool:
    """"The couple"/"the two" without two different names before it in the passage."""
    match = _PAIR.search(text)
    return match is not None and len(set(_NAME_INSIDE.findall(text, 0, match.start()))) < 2 and (
        _COUNTED_PAIR.search(text, 0, match.start()) is None)


def _untied_recap(text: str, film: str | None) -> bool:
    """An ending or plot retold without this film's title: it may well be another film's (see _RECAP).

    film None (the title is unknown): nothing ties the recap to this film, so it is not offered.
    """
    opened = _RECAP.match(text.lstrip(_OPENERS))
    if not opened or _VERDICT_AFTER_END.match(opened.string, opened.end()):
        return False
    # "In the end, the film refuses easy answers": the critic points at the film under review, so the
    # ending and verdict are this film's (a recap of another film names that film, not "the film").
    # ("At the end of the film, the girl…" is the opener itself, no pointer.)
    rest = _OF_THE_FILM.sub("", opened.string[opened.end():], count=1)
    if _THIS_FILM.search(rest):
        return False
    anchor = title_anchor(film) if film is not None else None
    return anchor is None or anchor.search(text) is None


# "In 7th Heaven, Gaynor's Diane falls in love with Farrell's Chico, who then dies…": a title as the
# setting, then an actor's character ("Gaynor's Diane") or a plot turn: another film's story, told to
# compare. A place ("In Paris, Mia…") has neither an actor's character nor a death.
_TITLE_SETTING = re.compile(r"In (?P<title>[A-Z0-9][\w'’-]*+(?: (?:of|the|a|an|and|in|on) )?(?: ?[A-Z0-9][\w'’-]*+){0,5}), ")
_ACTOR_CHARACTER = re.compile(r"\b[A-Z][a-z]+['’]s (?-i:[A-Z][a-z]+)\b(?:,| (?:falls|is|was|who|loves|dies|meets|marries))")
_PLOT_TURN = re.compile(r"\b(?:then|later|eventually|finally) (?:dies|is killed|marries|returns|leaves|vanishes)\b")


def _other_film_plot(text: str, film: str | None) -> bool:
    """A passage set in a titled work that is not this film and retelling its plot (see _TITLE_SETTING)."""
    setting = _TITLE_SETTING.match(text.lstrip(_OPENERS))
    if setting is None:
        return False
    anchor = title_anchor(film) if film is not None else None
    if anchor is not None and anchor.search(setting.group("title")):
        return False
    rest = setting.string[setting.end():]
    return bool(_ACTOR_CHARACTER.search(rest) or _PLOT_TURN.search(rest))


def standalone_problem(text: str, film: str | None = None) -> Refusal | None:
    """Why the passage cannot be offered alone as the critic's words (one Refusal), or None.

    film: the title of the film the review is about, when known; a recap of an ending or plot must
    name it to be offered.
    """
    checks = (
        (Refusal.UNBALANCED_QUOTES, lambda: not quotes_balanced(text)),
        # Shown alone, "But for all its numbers…" reads as half of an argument.
        (Refusal.REPLY_OPENER, lambda: bool(re.match(r"(?:But|And)\b", text.lstrip(_OPENERS)))),
        (Refusal.OPENS_WITH_QUOTE, lambda: opens_with_quote(text)),
        (Refusal.MOSTLY_QUOTED, lambda: quoted_fraction(text) > MAX_QUOTED),
        (Refusal.DIALOGUE_RECAP, lambda: len(_SPEECH_TAG.findall(text)) >= 2 or _reported_speech_recap(text)),
        (Refusal.MAKER_VOICE, lambda: _maker_speaks(text)),
        (Refusal.TEASER, lambda: bool(_TEASER.search(text))),
        (Refusal.HEADING, lambda: _fused_heading(text) or _headline_run(text)
         or bool(_REVIEW_HEADLINE.match(text) or _STAR_RATING.search(text))),
        (Refusal.RUN_ON, lambda: _run_on(text)),
        (Refusal.OTHER_FILM, lambda: bool(_OTHER_FILM_SETTING.match(text)) or _untied_recap(text, film)
         or _other_film_plot(text, film)),
        (Refusal.PAIR_UNINTRODUCED, lambda: _unintroduced_pair(text)),
    )
    return next((reason for reason, failed in checks if failed()), None)


# All start-anchored "leans back" patterns as one regex: dangling() runs once
# per sentence, so on 100 KB of tiny sentences one match beats five.
_LEANS_BACK = re.compile(
    "|".join(
        f"(?:{p.pattern.removeprefix('^')})"
        for p in (_HARD_CONNECTIVE, _ORDINAL_ITEM, _DEMONSTRATIVE_START, _SHELL_NOUN, _CLAUSE_DEMONSTRATIVE,
                  _PHRASE_DEMONSTRATIVE, _PARENTHETICAL_LINK)
    )
)
