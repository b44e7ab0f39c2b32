"""bot/corpus/fusion: each named rule of the run-on refusal, one example each way.

The sentence-level examples (traps both ways, per round of leaks) are in test_standalone_rules.py; this
file pins which rule decides, so a change to one rule shows up here under its own name.
"""

from __future__ import annotations

import pytest

from bot.corpus.fusion import object_fusion, run_on, unintroduced_subject
from bot.corpus.fusion.clause import PREDICATE_RULES, Clause
from bot.corpus.fusion.tokens import tokenize

# (the clause after a fusion point, the index of its verb, the rule that decides, whether it is complete)
PREDICATES = [
    ("she is the best", 1, "copula", True),
    ("she is", 1, "copula", False),
    ("she is about to apologise for it", 1, "copula", True),
    ("he has a plan", 1, "do_have_main_verb", True),
    ("he has a soft spot for", 1, "do_have_main_verb", False),
    ("she has won the prize", 1, "auxiliary", True),
    ("she has won", 1, "auxiliary", False),
    ("she made", 1, "nothing_after", False),
    ("he lives in Paris", 1, "intransitive", True),
    ("he lives in", 1, "intransitive", False),
    ("he promises her a kingdom", 1, "ditransitive", True),
    ("he gives the students", 1, "ditransitive", False),
    ("she lets him do it", 1, "causative_pronoun", True),
    ("she lets him do", 1, "causative_pronoun", False),
    ("he watches the door close on her", 1, "causative_bare_verb", True),
    ("he watches the door close on", 1, "causative_bare_verb", False),
    ("she says it", 1, "takes_clause", True),
    ("he says the ending ruins", 1, "takes_clause", False),
    ("it now tops critics' polls", 2, "loose_it", True),
    ("it now tops in", 2, "loose_it", False),
    ("she apologises for it", 1, "prepositional_object", True),
    ("she apologises for", 1, "prepositional_object", False),
    ("he exploits that trust", 1, "direct_object", True),
    ("he exploits green", 1, "direct_object", False),
]


@pytest.mark.parametrize(("text", "verb_at", "rule", "complete"), PREDICATES, ids=lambda v: str(v))
def test_each_predicate_rule_decides_its_own_shape(text: str, verb_at: int, rule: str, complete: bool) -> None:
    """The first rule of PREDICATE_RULES that applies is the one named, with the answer given."""
    tokens = tokenize(text)
    clause = Clause(tokens, 0)
    loose = tokens[0].word == "it"
    assert clause.deciding_rule(verb_at, tokens[verb_at].word, loose) == (rule, complete)
    assert clause.complete_after_verb(verb_at, tokens[verb_at].word, loose) is complete


def test_every_predicate_rule_has_an_example_each_way() -> None:
    """A new rule in PREDICATE_RULES gets its rows above (the last rule may only ever answer from the object)."""
    shown = {(rule, complete) for _, _, rule, complete in PREDICATES}
    for rule in PREDICATE_RULES:
        wanted = {(rule.__name__, False)} if rule.__name__ == "nothing_after" else {
            (rule.__name__, True), (rule.__name__, False)}
        assert wanted <= shown, rule.__name__

NOVAK = "The film makes use of every year of it{}Novak, twenty-four at the time, is asked to carry the story."


@pytest.mark.parametrize(
    ("detector", "fused", "ordinary"),
    [
        (run_on, "Nolan keeps explaining the rules he cares less about the feelings.",
         "Every line Hamaguchi writes sounds like something a real person would say."),
        (object_fusion, "Rooney Mara Cate Blanchett gives the performance of the year.",
         "The soldier she meets in Paris is the film's only comfort."),
        (unintroduced_subject, NOVAK.format(" "), NOVAK.format(", and ")),
    ],
    ids=["run_on", "object_fusion", "unintroduced_subject"],
)
def test_each_detector_flags_its_fusion_and_not_the_ordinary_sentence(detector, fused: str, ordinary: str) -> None:
    """run_on (the gap test), object_fusion (round 3), unintroduced_subject (round 4): one pair each."""
    assert detector(fused) and not detector(ordinary)
