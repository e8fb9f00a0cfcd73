from __future__ import annotations

import pytest

from tests.factories import (
    ConferenceFactory,
    StrengthFactory,
    StudentGoalFactory,
    WritingSampleFactory,
)

pytestmark = pytest.mark.django_db


def test_it_renders_every_page_of_the_loop(rivera_client, room12, zoe):
    StudentGoalFactory(student=zoe)
    WritingSampleFactory(student=zoe)
    StrengthFactory(student=zoe)
    ConferenceFactory(student=zoe)
    for url in [
        "/",
        f"/classes/{room12.pk}/",
        f"/students/{zoe.pk}/",
        "/goals/",
        f"/classes/{room12.pk}/settings/",
        f"/classes/{room12.pk}/import/",
        f"/students/{zoe.pk}/edit/",
        f"/students/{zoe.pk}/samples/new/",
        f"/students/{zoe.pk}/strengths/new/",
        "/goals/new/",
        "/mentor-texts/new/",
    ]:
        response = rivera_client.get(url)
        assert response.status_code == 200, url
    response = rivera_client.post(
        "/conferences/start/", {"student": zoe.pk, "classroom": room12.pk}
    )
    assert response.status_code == 302
    response = rivera_client.get(response["Location"])
    assert response.status_code == 200
    assert "Talked about leads." in response.content.decode()
