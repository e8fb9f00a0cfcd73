"""No printable escapes the audit log: every print address and every PDF is in the table
of audited addresses (conferbook/audit/audited.py), or set aside there with a reason."""

from __future__ import annotations

import pytest

from conferbook.audit.audited import AUDITED, NOT_AUDITED
from tests.helpers import make_administrator
from tests.walk import ROUTES, url_for

NAMES = {r.name for r in ROUTES}


def test_it_lists_every_print_address_in_the_audit_table():
    printing = {r.name for r in ROUTES if r.name.startswith("printables:") or r.is_pdf}
    missing = sorted(printing - set(AUDITED) - set(NOT_AUDITED))
    assert not missing, (
        "These print addresses are not in the audit log's table: add them to AUDITED in "
        f"conferbook/audit/audited.py (or to NOT_AUDITED with the reason): {missing}"
    )


def test_it_audits_every_pdf_address():
    assert not sorted(r.name for r in ROUTES if r.is_pdf and r.name not in AUDITED)


def test_it_lists_only_addresses_that_exist():
    assert not sorted((set(AUDITED) | set(NOT_AUDITED)) - NAMES)
    assert not set(AUDITED) & set(NOT_AUDITED)


@pytest.mark.django_db
def test_it_audits_every_address_that_answers_a_pdf(okafor_world, okafor, okafor_client):
    """Whatever its address looks like: every GET of the site, as the owner."""
    make_administrator(okafor)
    pdfs = set()
    for route in ROUTES:
        if route.allows("GET"):
            response = okafor_client.get(url_for(route, okafor_world))
            if response.get("Content-Type", "").startswith("application/pdf"):
                pdfs.add(route.name)
    assert pdfs, "no address answered a PDF: the walk found nothing to check"
    assert not sorted(pdfs - set(AUDITED))
