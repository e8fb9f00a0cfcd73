import time

from conferbook.analysis import craft
from conferbook.analysis.text import parse


def signal(raw, key, present=True):
    found = [s for s in craft.signals(parse(raw)) if s.key == key and s.present is present]
    for s in found:
        assert 1 <= len(s.evidence) <= 3
        for span in s.evidence:
            assert raw[span.start : span.end] == span.text
    return [span.text for s in found for span in s.evidence]


def test_dialogue_hits_and_misses():
    raw = 'We got home. "Can I come?" asked Jo. Mom nodded. We read "Frog" in bed.'
    assert signal(raw, "dialogue") == ['"Can I come?" asked Jo.']
    assert signal("We played all day. Then we went home. It was fun.", "dialogue") == []


def test_speech_without_quotation_marks():
    raw = "We went out. Mom said, come here now. Stop! yelled Dad. We ran. Mom said we could go."
    assert signal(raw, "dialogue-without-quotes", False) == [
        "Mom said, come here now.",
        "Stop! yelled Dad.",
    ]


def test_sensory_detail_by_sense():
    raw = "The pie smelled sweet. We heard a loud bang. The grass was soft. We went in."
    found = [s for s in craft.signals(parse(raw)) if s.key == "sensory-detail"]
    assert found and "smell 1" in found[0].detail and "sound 3" in found[0].detail
    assert (
        signal("We saw a dog. We looked at it. We went home. It was a day.", "sensory-detail") == []
    )


def test_a_word_the_spelling_check_flags_is_no_sense_or_word_choice():
    """ "wet" for "went" and "red" for "read" are slips, not touch and sight."""
    from conferbook.analysis import analyse

    raw = "Me and my dad wet to the lake. I red a book about sharks. It was a good day."
    assert [f.written for f in analyse(raw).spelling] == ["wet", "red"]
    assert not [s for s in analyse(raw).signals if s.key == "sensory-detail"]
    assert [s for s in craft.signals(parse(raw)) if s.key == "sensory-detail"]


def test_similes_hit_and_miss():
    raw = (
        "The wind howled like a wolf. I like a good book. She was as quick as a fox. "
        "We left as soon as a bell rang."
    )
    assert signal(raw, "simile") == ["The wind howled like a wolf.", "She was as quick as a fox."]


def test_transitions_and_time_order():
    raw = (
        "First we packed the car. Next we drove to the lake. After that we swam. "
        "However, it rained. Finally we went home because we were cold."
    )
    assert "First we packed the car." in signal(raw, "time-order")
    assert "However, it rained." in signal(raw, "transitions")
    assert signal("We swam. We ate. We slept. We woke.", "transitions") == []


def test_formulaic_and_strong_leads():
    story = " We went to the park. We played. We went home after."
    assert signal("One day I woke up early." + story, "lead", False) == ["One day I woke up early."]
    assert signal("Hi my name is Ana." + story, "lead", False) == ["Hi my name is Ana."]
    assert signal('"Wake up!" Dad yelled.' + story, "lead") == ['"Wake up!" Dad yelled.']
    assert signal("Have you ever seen a whale?" + story, "lead") == ["Have you ever seen a whale?"]
    assert signal("We woke up early." + story, "lead") == []
    assert signal("We woke up early." + story, "lead", False) == []


def test_formulaic_and_reflective_endings():
    story = "We went to the park. We played tag. We ran fast. "
    assert signal(story + "And then I woke up.", "ending", False) == ["And then I woke up."]
    assert signal(story + "The End", "ending", False) == ["The End"]
    assert signal(story + "I learned that I can be brave.", "ending") == [
        "I learned that I can be brave."
    ]
    assert signal(story + "We ate lunch.", "ending") == []


def test_repeated_openings():
    raw = "We went out. Then we ran. Then we hid. Then we won. We went home."
    assert signal(raw, "repeated-openings", False) == [
        "Then we ran.",
        "Then we hid.",
        "Then we won.",
    ]
    report = "Owls hunt. Owls fly. Owls hoot. Birds sing. Mice hide. Cats wait."
    assert signal(report, "repeated-openings", False) == []


def test_sentence_variety():
    raw = (
        "I froze. The huge brown bear lumbered out of the trees and sniffed the air right "
        "next to our tent while we held our breath. We waited. It left. We slept."
    )
    assert signal(raw, "sentence-variety") == [
        "I froze.",
        "The huge brown bear lumbered out of the trees and sniffed the air right next to "
        "our tent while we held our breath.",
    ]


def test_paragraphs():
    para = "We went to the lake on a warm day and swam in the water for a long time. "
    raw = "\n\n".join([para * 2, "Then " + para * 2, "Finally " + para])
    assert len(signal(raw, "paragraphs")) == 3
    assert signal("We ran. " * 3, "paragraphs") == []


def test_vocabulary_and_inner_thinking():
    raw = (
        "The fox crept closer. I gasped and clutched the rope. I wondered if it saw me. "
        "We ran home fast."
    )
    assert "The fox crept closer." in signal(raw, "vocabulary")
    assert signal(raw, "inner-thinking") == ["I wondered if it saw me."]


def test_hostile_empty_and_unusual_input():
    for raw in [
        "",
        "   ",
        "\u200b\u200b",
        "<b>hi</b>",
        "«Bonjour!» dit Amélie.",
        "שלום. مرحبا!",
        "\x00" * 10,
    ]:
        for s in craft.signals(parse(raw)):
            for span in s.evidence:
                assert raw[span.start : span.end] == span.text


def test_non_english_names_and_zero_width_characters_keep_offsets():
    raw = '"Ven aquí!" gritó Abuela. Nguyễn\u200b whispered, "Look." Zoë laughed like a hyena.'
    assert signal(raw, "simile") == ["Zoë laughed like a hyena."]


def test_very_long_input_is_fast():
    raw = (
        '"Run!" yelled Sam. The wind howled like a wolf. First we hid. Then we waited.\n\n'
    ) * 500
    started = time.perf_counter()
    craft.signals(parse(raw))
    assert time.perf_counter() - started < 3
