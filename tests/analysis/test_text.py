from conferbook.analysis.text import parse, sign_off


def texts(raw):
    return [s.text for s in parse(raw).sentences]


def test_it_keeps_a_quote_and_its_speaker_in_one_sentence():
    assert texts('"Stop!" yelled Mom. We ran.') == ['"Stop!" yelled Mom.', "We ran."]
    assert texts('"Stop!" Mom yelled. We ran.') == ['"Stop!" Mom yelled.', "We ran."]


def test_it_ends_a_sentence_after_a_quote_that_closes_it():
    assert texts('"I only eat pancakes." They laughed.') == [
        '"I only eat pancakes."',
        "They laughed.",
    ]


def test_it_ends_a_sentence_before_an_opening_quote():
    assert texts('I saw a dog. "Stop!" yelled Mom.') == ["I saw a dog.", '"Stop!" yelled Mom.']


def test_it_joins_a_sentence_wrapped_over_two_lines():
    raw = "I went to the\npark with my dad.\nit was fun"
    assert texts(raw) == ["I went to the\npark with my dad.", "it was fun"]


def test_a_line_ending_on_a_content_word_still_ends_a_sentence():
    assert texts("i like cats\ni like dogs") == ["i like cats", "i like dogs"]


def test_a_first_line_ending_on_the_is_not_a_title():
    doc = parse("I went to the\npark with my dad.")
    assert doc.title is None


def test_a_title_case_question_standing_apart_is_a_title():
    doc = parse("Should Phones Be Banned?\n\nI think they should not. Here is why.")
    assert doc.title is not None and doc.title.text == "Should Phones Be Banned?"
    assert texts("Can we go?\n\nYes we can.") == ["Can we go?", "Yes we can."]
    assert parse("Should phones be banned?\nI think not.").title is None


def test_it_finds_a_letters_sign_off():
    doc = parse("Dear Grandma,\nThank you for the gift. I love it\nLove,\nJo")
    closing = sign_off(doc)
    assert [doc.sentences[i].text for i in sorted(closing)] == ["Love,", "Jo"]


def test_a_story_ending_with_love_is_not_a_sign_off():
    doc = parse("We went home. I love my family and my dog very much.")
    assert sign_off(doc) == frozenset()


def test_offsets_stay_true_with_zero_width_and_right_to_left_characters():
    raw = "\u200bSam\u200d went home\u202e. مرحبا said Noor.\ufeff"
    doc = parse(raw)
    for sentence in doc.sentences:
        assert raw[sentence.start : sentence.end] == sentence.text
    for token in doc.tokens:
        assert raw[token.start : token.end] == token.text
