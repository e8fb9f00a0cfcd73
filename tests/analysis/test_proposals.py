import tomllib
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conferbook.analysis import analyse, proposals
from conferbook.analysis.text import parse
from conferbook.analysis.types import Estimates, SpellingFlag

LIBRARY = Path(__file__).parents[2] / "src" / "conferbook" / "goals" / "library"
MIDDLE = Estimates(3, 3, 3, 3, 3, 3, 3)


def library_keys():
    keys = set()
    for path in LIBRARY.glob("*.toml"):
        keys |= {goal["key"] for goal in tomllib.loads(path.read_text()).get("goals", [])}
    return keys


def test_every_goal_the_analyser_can_propose_is_in_the_library():
    assert library_keys() >= proposals.GOALS
    used = {goal for goal, *_ in [*proposals.STRENGTHS.values(), *proposals.CONCERNS.values()]}
    assert used <= proposals.GOALS


def check(proposal, text):
    assert 1 <= len(proposal.evidence) <= 3
    assert proposal.why
    for span in proposal.evidence:
        assert text[span.start : span.end] == span.text


STORM = (
    '"Get inside, now!" Mom shouted from the porch. The sky was dark and the wind howled '
    "like a hungry wolf. I grabbed my bike and sprinted for the door. I heard thunder "
    "rumble, and the rain smelled like wet dirt. I thought the windows would shatter. "
    "Finally the storm drifted away. I learned that I can be brave."
)


def test_a_strong_piece_gets_strengths_with_its_own_words():
    result = analyse(STORM)
    assert 1 <= len(result.strengths) <= 2
    for p in result.strengths:
        check(p, STORM)
        assert p.kind == "strength"
    assert result.strengths[0].goal == "figurative-language"


def test_low_conventions_get_a_conventions_next_step():
    text = (
        "one day i went to the park with my mom\ni went on the slide\ni went on the swing\n"
        "i saw my frend sam\nwe played tag\ni went home\nThe End"
    )
    _, steps = proposals.propose(
        parse(text),
        spelling=[],
        conventions=analyse(text).conventions,
        signals=analyse(text).signals,
        estimates=Estimates(2, 2, 2, 2, 2, 2, 2),
    )
    goals = [p.goal for p in steps]
    assert goals[0] in {"ending-punctuation", "capital-letters"}
    assert len(steps) <= 2
    for p in steps:
        check(p, text)


def test_good_conventions_and_flat_craft_get_a_craft_next_step():
    text = (
        "Hi my name is Jayden and I am going to tell you about my trip to the zoo. First we "
        "saw the lions. Then we saw the monkeys. Then we ate lunch. Then we saw the snakes. "
        "Then we went home. It was the best day ever."
    )
    result = analyse(text)
    goals = {p.goal for p in result.next_steps}
    assert goals and goals <= {"strong-lead", "strong-ending", "vary-sentences"}
    assert not goals & {p.goal for p in result.strengths}


def test_spelling_patterns_choose_the_spelling_goal():
    text = "We went their after school. Their was a dog and it was to big for us to hold."
    doc = parse(text)
    real = [
        SpellingFlag(8, 13, "their", "there", "real-word"),
        SpellingFlag(29, 34, "Their", "There", "real-word"),
        SpellingFlag(60, 62, "to", "too", "real-word"),
    ]
    _, steps = proposals.propose(doc, spelling=real, conventions=[], signals=[], estimates=MIDDLE)
    assert [p.goal for p in steps] == ["sound-alike-words"]
    check(steps[0], text)
    text = "We wnet to the prak and sawe a big dgo. It was fun and we playd all day long."
    doc = parse(text)
    wrong = [
        SpellingFlag(m.start(), m.end(), m.group(), "x", "non-word")
        for m in __import__("re").finditer(r"wnet|prak|sawe|dgo|playd", text)
    ]
    _, steps = proposals.propose(doc, spelling=wrong, conventions=[], signals=[], estimates=MIDDLE)
    assert [p.goal for p in steps] == ["edit-for-spelling"]


def test_verb_slips_choose_the_verb_tense_goal_not_sound_alikes():
    text = "Yesterday he look at the sky and said it was late. I have go a new kite for it."
    doc = parse(text)
    found = analyse(text).spelling
    assert [(f.written, f.kind) for f in found] == [("look", "verb-form"), ("go", "verb-form")]
    _, steps = proposals.propose(doc, spelling=found, conventions=[], signals=[], estimates=MIDDLE)
    assert [p.goal for p in steps] == ["consistent-verb-tense"]
    check(steps[0], text)
    assert [e.text for e in steps[0].evidence] == ["look", "go"]


def test_a_short_or_plain_piece_gets_nothing():
    assert analyse("I like my cat.").strengths == ()
    plain = "We went to school. We had lunch. We went home. It was a good day today."
    result = analyse(plain)
    assert result.next_steps == () or all(p.evidence for p in result.next_steps)


def test_never_the_same_goal_as_strength_and_next_step():
    for text in [STORM, STORM.replace('"', ""), STORM + " The End"]:
        result = analyse(text)
        assert not {p.goal for p in result.strengths} & {p.goal for p in result.next_steps}


ALPHABET = st.characters(
    codec="utf-8",
    exclude_categories=("Cs",),
    include_characters="\u200b\u200d\u202e\ufeff\n .,!?\"'“”iI",
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=400))
def test_every_span_is_verbatim_and_analyse_never_raises(text):
    result = analyse(text)
    for flag in result.conventions:
        assert text[flag.start : flag.end] == flag.text
    for signal in result.signals:
        for span in signal.evidence:
            assert text[span.start : span.end] == span.text
    for p in (*result.strengths, *result.next_steps):
        for span in p.evidence:
            assert text[span.start : span.end] == span.text
    assert len(result.strengths) <= 2 and len(result.next_steps) <= 2


WORDS = st.sampled_from(
    [
        *[
            "i",
            "the",
            "dog",
            "ran",
            "and",
            "then",
            "said",
            '"Stop!"',
            "like",
            "a",
            "wolf",
            ".",
            ",",
            "One",
            "day",
            "The",
            "End",
            "Zoë",
        ],
        *["\n", "\n\n", "? ", "! ", " ,", "home.Then", "as big as a"],
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, max_size=120).map(" ".join))
def test_childlike_text_spans_are_verbatim(text):
    test_every_span_is_verbatim_and_analyse_never_raises.hypothesis.inner_test(text)
