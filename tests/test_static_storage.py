"""The server's static files storage remembers each file's address until the files are
hashed again (conferbook.web.storage)."""

from __future__ import annotations

import json

import pytest

from conferbook.web.storage import StaticFiles


@pytest.fixture
def storage(tmp_path, settings) -> StaticFiles:
    settings.DEBUG = False
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "paths": {"app.css": "app.0123456789ab.css"}})
    )
    return StaticFiles(location=str(tmp_path), base_url="/static/")


def test_it_works_out_an_address_once_and_remembers_it(storage):
    assert storage.url("app.css") == "/static/app.0123456789ab.css"
    storage.hashed_files["app.css"] = "app.ba9876543210.css"  # not asked again
    assert storage.url("app.css") == "/static/app.0123456789ab.css"
    assert storage.url("app.css", force=True) == "/static/app.ba9876543210.css"


def test_it_remembers_nothing_for_a_missing_file(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("missing.css")


def test_it_forgets_the_addresses_when_the_files_are_hashed_again(storage):
    storage.url("app.css")
    storage.hashed_files["app.css"] = "app.ba9876543210.css"
    list(storage.post_process({}, dry_run=True))
    storage.hashed_files["app.css"] = "app.ba9876543210.css"
    assert storage.url("app.css") == "/static/app.ba9876543210.css"


def test_it_answers_from_the_files_themselves_when_debugging(storage, settings):
    settings.DEBUG = True
    assert storage.url("app.css") == "/static/app.css"
