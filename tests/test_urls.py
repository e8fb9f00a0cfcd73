"""Every address of the site reaches its own page: no pattern is hidden by one listed
before it (conferbook/urls.py lists the busiest pages' patterns first)."""

from __future__ import annotations

import uuid

import pytest
from django.urls import resolve, reverse

from tests.walk import ROUTES, Route

SAMPLES = {"int": 7, "uuid": uuid.UUID("6f1c2b3a-0d4e-4f5a-8b6c-7d8e9f0a1b2c")}


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_each_address_reaches_its_own_page(route: Route):
    kwargs = {name: SAMPLES.get(kind, "sample") for name, kind in route.kwargs.items()}
    address = reverse(route.name, kwargs=kwargs)
    assert resolve(address).view_name == route.name, address
