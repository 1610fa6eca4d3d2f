from unittest import mock

import pytest
from django.db import OperationalError


def test_healthz_reports_ok_after_a_database_round_trip(client, db):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.server_error_expected  # a 503 is this view's answer when the database is down
def test_healthz_returns_503_when_the_database_is_unreachable(client, db):
    with mock.patch(
        "cdht_wagtail.views.connection.cursor", side_effect=OperationalError("no server")
    ):
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
