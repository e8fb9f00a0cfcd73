"""The district bench's --only: page names may hold a comma, so a whole name is tried first."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["class", "student", "PDF binder", "PDF binder, everything (zip)", "PDF calendar"]


def district_bench():
    spec = importlib.util.spec_from_file_location("district_bench", ROOT / "bench" / "district.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_without_only_every_page_is_measured():
    assert district_bench().chosen_pages(PAGES, None) == PAGES


def test_a_name_with_a_comma_is_taken_whole():
    chosen = district_bench().chosen_pages(PAGES, ["PDF binder, everything (zip)"])
    assert chosen == ["PDF binder, everything (zip)"]


def test_a_list_is_split_at_its_commas_and_kept_in_the_bench_order():
    chosen = district_bench().chosen_pages(PAGES, ["PDF calendar, class", "student"])
    assert chosen == ["class", "student", "PDF calendar"]


def test_an_unknown_name_is_refused_with_the_pages_listed():
    with pytest.raises(SystemExit, match=r"No page is named 'clas'\. The pages: class; student"):
        district_bench().chosen_pages(PAGES, ["clas,student"])


@pytest.mark.parametrize("asked", [["--only", "student,clas"], ["--profile", "studnet"]])
def test_a_mistyped_page_is_refused_before_anything_is_built(tmp_path, asked):
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "district.py"), *asked],
        env={"CONFERBOOK_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "No page is named" in done.stderr
    assert "Building" not in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_the_bench_names_its_pages_before_it_builds():
    bench = district_bench()
    assert bench.PAGE_NAMES[:4] == ("class", "student", "conference screen", "autosave")
    assert len(set(bench.PAGE_NAMES)) == len(bench.PAGE_NAMES)
