"""`conferbook analyse`: one text for a person, or JSON lines for a program."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conferbook import cli
from conferbook.analysis import proposals, spelling
from conferbook.analysis.types import DIMENSIONS, Proposal, Span, SpellingFlag

STORY = "My Dog\n\nmy dog Rex runs fast. He chases the ball evry day!\n"


@pytest.fixture
def detectors(monkeypatch):
    """Detectors that find one misspelling and propose one strength and one next step,
    wherever the words are, so the command's output can be checked to the character."""

    def check(doc, *, names=frozenset()):
        return [
            SpellingFlag(w.start, w.end, w.text, "every", "non-word")
            for w in doc.words
            if w.lower == "evry"
        ]

    def propose(doc, **_):
        first = doc.sentences[0]
        strength = Proposal("use-strong-verbs", "strength", "Strong verbs.", (first.span(),))
        word = doc.words[-1]
        step = Proposal(
            "capitals", "next_step", "Capitals.", (Span(word.start, word.end, word.text),)
        )
        return [strength], [step]

    monkeypatch.setattr(spelling, "check", check)
    monkeypatch.setattr(proposals, "propose", propose)


def test_it_writes_one_line_per_text_with_every_field_and_verbatim_offsets(
    tmp_path, detectors, capsys
):
    source = tmp_path / "in.jsonl"
    texts = {"a": STORY, 7: "Ünïcode 🐕 first.\r\nThen evry\u200b one.", "c": "evry"}
    source.write_text(
        "\n".join(json.dumps({"id": k, "text": v}) for k, v in texts.items()), encoding="utf-8"
    )
    out = tmp_path / "out.jsonl"

    assert cli.main(["analyse", "--jsonl", str(source), "-o", str(out)]) == 0

    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == list(texts)
    for line, text in zip(lines, texts.values(), strict=True):
        assert set(line) == {"id", "spelling", "estimates", "strengths", "next_steps"}
        assert set(line["estimates"]) == set(DIMENSIONS)
        assert all(1 <= v <= 5 for v in line["estimates"].values())
        [flag] = line["spelling"]
        assert set(flag) == {"start", "end", "written", "suggestion", "kind"}
        assert text[flag["start"] : flag["end"]] == flag["written"] == "evry"
        assert (flag["suggestion"], flag["kind"]) == ("every", "non-word")
        for proposal in line["strengths"] + line["next_steps"]:
            assert set(proposal) == {"goal", "why", "evidence"}
            for evidence in proposal["evidence"]:
                assert set(evidence) == {"start", "end", "text"}
                assert text[evidence["start"] : evidence["end"]] == evidence["text"]
        assert [p["goal"] for p in line["strengths"]] == ["use-strong-verbs"]
        assert [p["goal"] for p in line["next_steps"]] == ["capitals"]
    assert capsys.readouterr().err == ""


def test_it_names_bad_lines_and_still_reads_the_rest(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": 1, "text": "A good start."}\n'
        "not json at all\n"
        '{"id": 3}\n'
        "\n"
        '["a list"]\n'
        '{"id": 6, "text": 42}\n'
        '{"id": 7, "text": "The end."}\n',
        encoding="utf-8",
    )

    assert cli.main(["analyse", "--jsonl", str(source)]) == 1

    captured = capsys.readouterr()
    assert [json.loads(line)["id"] for line in captured.out.splitlines()] == [1, 7]
    for number in (2, 3, 5, 6):
        assert f"Line {number}:" in captured.err
    assert "Line 4" not in captured.err  # a blank line is no record
    assert "not JSON" in captured.err
    assert '"text"' in captured.err


def test_it_reads_one_file_for_a_person_without_a_grade(tmp_path, detectors, capsys):
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")

    assert cli.main(["analyse", str(story)]) == 0

    shown = capsys.readouterr().out
    assert "line 3: \u201cevry\u201d \u2192 every" in shown
    assert "Strengths to name" in shown and "use-strong-verbs: Strong verbs." in shown
    assert "\u201cmy dog Rex runs fast.\u201d" in shown
    assert "Next steps to teach" in shown and "capitals: Capitals." in shown
    assert "overall" not in shown  # no estimates unless asked, and then never as a grade

    assert cli.main(["analyse", str(story), "--estimates"]) == 0
    shown = capsys.readouterr().out
    assert "for the teacher, not a grade" in shown
    assert all(dim in shown for dim in DIMENSIONS)


def test_it_refuses_missing_files_and_mixed_arguments(tmp_path, capsys):
    assert cli.main(["analyse", str(tmp_path / "absent.txt")]) == 2
    assert "Cannot read" in capsys.readouterr().err
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    assert cli.main(["analyse", str(empty)]) == 1
    assert "no writing" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["analyse", str(empty), "--jsonl", str(empty)])
    with pytest.raises(SystemExit):
        cli.main(["analyse"])


def test_it_streams_from_standard_input_without_django(tmp_path):
    program = (
        "import sys\n"
        "from conferbook.cli import main\n"
        "code = main(['analyse', '--jsonl', '-'])\n"
        "assert 'django' not in sys.modules, 'analyse set Django up'\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        input='{"id": "x", "text": "We ran."}\n{"id": "y", "text": "Then we ate."}\n',
        capture_output=True,
        text=True,
        timeout=60,
        env={"CONFERBOOK_HOME": str(tmp_path / "never-made"), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == ["x", "y"]
    assert not (tmp_path / "never-made").exists()
