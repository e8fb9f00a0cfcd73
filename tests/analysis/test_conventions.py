import time

from conferbook.analysis import conventions
from conferbook.analysis.text import parse


def flags(raw, kind=None):
    found, _ = conventions.check(parse(raw))
    for flag in found:
        assert raw[flag.start : flag.end] == flag.text
    return [(f.kind, f.text) for f in found if kind is None or f.kind == kind]


def test_it_flags_a_sentence_that_starts_in_lower_case():
    assert flags("We ran. the dog barked.", "lowercase-start") == [("lowercase-start", "the")]


def test_it_does_not_flag_a_title_a_number_or_a_quote_then_capital():
    assert flags('My Dog\n\nMy dog is big. 3 cats ran. "Stop!" I said.', "lowercase-start") == []


def test_it_flags_the_word_after_an_opening_quote():
    assert flags('We ran. "stop!" I said.', "lowercase-start") == [("lowercase-start", "stop")]


def test_it_does_not_flag_a_name_written_with_a_capital_inside():
    assert flags("We ran. iPads are fun.", "lowercase-start") == []


def test_it_flags_a_sentence_with_no_end_mark():
    raw = "We went to the beach\nIt was fun."
    assert flags(raw, "no-end-punctuation") == [("no-end-punctuation", "beach")]
    assert flags("It was fun", "no-end-punctuation") == [("no-end-punctuation", "fun")]


def test_it_does_not_flag_a_greeting_sign_off_heading_or_list():
    raw = "Dear Grandma,\nThank you for the gift.\nLove,\nJo"
    assert flags(raw, "no-end-punctuation") == []
    raw = "Owls\n\nWhere Owls Live\nOwls live in trees.\n- mice\n- bugs\nThey hunt."
    assert flags(raw, "no-end-punctuation") == []


def test_it_flags_lower_case_i():
    assert flags("Then i ran and i'm fast. I won.", "lowercase-i") == [
        ("lowercase-i", "i"),
        ("lowercase-i", "i"),
    ]


def test_it_flags_spacing_around_punctuation():
    assert flags("I ran , and won .", "spacing") == [("spacing", " ,"), ("spacing", " .")]
    assert flags("apples,pears. We went home.Then we ate.", "spacing") == [
        ("spacing", "apples,pears"),
        ("spacing", "home.Then"),
    ]


def test_it_does_not_flag_abbreviations_numbers_or_addresses():
    raw = "We saw Mr. Lopez at 3.5 km in the U.S. and went to www.example.com today."
    assert flags(raw, "spacing") == []


def test_it_flags_a_long_run_on_sentence():
    run_on = (
        "We went to the lake and we swam and then we ate lunch and then my dad fished and "
        "my sister read a book and then we played cards and my mom made a fire and then "
        "we roasted marshmallows and sang songs until it got dark."
    )
    assert flags(run_on, "run-on") == [("run-on", run_on)]
    long_but_fine = "On the first warm day of spring, " * 3 + "we walked."
    assert flags(long_but_fine, "run-on") == []


def test_rates_are_per_hundred_words_with_every_kind():
    _, rates = conventions.check(parse("i ran. i won. we went home today and it was fun"))
    assert set(rates) == {
        "lowercase_start",
        "no_end_punctuation",
        "lowercase_i",
        "spacing",
        "run_on",
    }
    assert rates["lowercase_i"] == round(2 * 100 / 12, 2)


def test_empty_and_hostile_input():
    for raw in ["", " ", "\n\n\n", "....", "<script>alert(1)</script>", "\x00\x01", "ء" * 50]:
        flags(raw)


def test_very_long_input_is_fast():
    raw = "the dog ran , and i saw it.Then we went home\n" * 2000
    started = time.perf_counter()
    found = flags(raw)
    assert found
    assert time.perf_counter() - started < 3


def test_non_english_names_are_not_lower_case_starts():
    assert flags("Zoë and Nguyễn ran. Ólafur won. Søren came.", "lowercase-start") == []
