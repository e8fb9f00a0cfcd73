"""Sheet geometry against the published dimensions of the stock (no database)."""

from __future__ import annotations

import pytest

from conferbook.lib.sheets import INCH, SHEETS


@pytest.mark.parametrize("key", list(SHEETS))
def test_it_keeps_every_label_on_the_page_without_overlaps(key):
    sheet = SHEETS[key]
    boxes = [sheet.position(i) for i in range(sheet.per_sheet)]
    for x, y, w, h in boxes:
        assert x >= 0 and x + w <= sheet.page_width + 1e-6
        assert y >= 0 and y + h <= sheet.page_height + 1e-6
    for i, (x1, y1, w1, h1) in enumerate(boxes):
        for x2, y2, w2, h2 in boxes[i + 1 :]:
            overlap_x = min(x1 + w1, x2 + w2) - max(x1, x2)
            overlap_y = min(y1 + h1, y2 + h2) - max(y1, y2)
            assert overlap_x <= 1e-6 or overlap_y <= 1e-6


def test_it_places_the_30_up_letter_labels_where_the_stock_has_them():
    sheet = SHEETS["letter-30"]
    assert sheet.per_sheet == 30
    x, y, w, h = sheet.position(0)
    assert (x, y) == pytest.approx((0.1875 * INCH, 0.5 * INCH), abs=0.5)
    assert (w, h) == pytest.approx((2.625 * INCH, INCH), abs=0.5)
    last_x, last_y, _, _ = sheet.position(29)
    assert last_x == pytest.approx(0.1875 * INCH + 2 * 2.75 * INCH, abs=0.5)
    assert last_y + h == pytest.approx(10.5 * INCH, abs=0.5)  # half-inch bottom margin


def test_it_places_the_21_up_a4_labels_where_the_stock_has_them():
    sheet = SHEETS["a4-21"]
    assert sheet.per_sheet == 21
    assert sheet.position(0)[:2] == pytest.approx((7.2, 15.15), abs=0.5)
    x, y, w, h = sheet.position(20)
    assert x + w == pytest.approx(210 - 7.2, abs=0.5)  # symmetric side margins
    assert y + h == pytest.approx(297 - 15.15, abs=0.5)


def test_it_fits_ten_business_cards_on_a_letter_sheet():
    sheet = SHEETS["letter-cards-10"]
    assert sheet.per_sheet == 10
    x, y, w, h = sheet.position(9)
    assert x + w == pytest.approx(8.5 * INCH - 0.75 * INCH, abs=0.5)
    assert y + h == pytest.approx(10.5 * INCH, abs=0.5)


def test_it_refuses_a_position_past_the_sheet():
    with pytest.raises(IndexError, match="30 labels"):
        SHEETS["letter-30"].position(30)
