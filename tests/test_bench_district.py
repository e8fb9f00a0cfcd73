"""The district bench's --only: page names may hold a comma, so a whole name is tried first."""

from __future__ import annotations

import importlib.util
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
