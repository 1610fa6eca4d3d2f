"""Every URL of the permission matrix, with hostile values in every query parameter and form
field it accepts (issue 18): malformed and huge ids, non-numbers, NUL bytes, very long strings,
bidirectional control characters. Whatever is sent, the answer is never a server error and
nothing is logged with a traceback.

The URLs and who may open them come from tests/test_permission_matrix.py (a URL added there is
walked here too). The fields are those each page's own forms name, plus the parameters our
views read; each URL is requested as someone let in, so the view itself reads the values.
"""

import logging
import re

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.test_permission_matrix import MATRIX, build_world

FUZZ = settings(
    max_examples=2,  # every example walks every URL: small, it runs in CI on two cores
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: a walk is long
    derandomize=True,  # the same walk on every run, so CI fails only when the code changes
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# The request parameters our views read by name (forms add theirs, read from the page).
PARAMETERS = [
    "id", "q", "p", "page", "unit", "citizen", "back", "next", "remove_evidence", "revision",
    "action", "anchor", "status", "area", "year", "campaign", "view", "format", "comment",
    "ordering", "decision", "indicator", "language", "token", "kind",
]  # fmt: skip
NOT_POSTED = ("logout", ":delete")  # would log out or delete the world the next URLs need
FIELD_NAME = re.compile(r"""<(?:input|select|textarea)\b[^>]*\bname=["']([^"']+)["']""")
hostile = st.one_of(
    st.sampled_from(
        [
            "9" * 40,
            str(2**63),
            "-1",
            "0",
            "1.5",
            "1e308",
            "abc",
            "²",
            "١٢٣",
            "\x00",
            "1\x00",
            "\u202eevil",
            "\u2066x\u2069",
            "' OR 1=1 --",
            '"',
            "%",
            "x" * 10_000,
            "",
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=30),
)


@pytest.fixture
def world(db):
    return build_world()


def visitor(allowed):
    """Someone the URL lets in, so the view reads the values (the superuser when it may)."""
    if "superuser" in allowed or not allowed:
        return "superuser"
    return sorted(allowed)[0]


def form_fields(response):
    """The names of the fields a page's forms post (files and the CSRF token left out)."""
    if "html" not in response.get("Content-Type", ""):
        return []
    html = response.content.decode(errors="replace")
    names = set(FIELD_NAME.findall(html)) - {"csrfmiddlewaretoken"}
    files = set(re.findall(r"""type=["']file["'][^>]*name=["']([^"']+)""", html))
    return sorted(names - files)


def test_every_matrix_url_answers_hostile_values_without_a_server_error(client, world, caplog):
    client.raise_request_exception = False  # a 500 is collected here, with the others
    urls = {}
    for name, (method, allowed, build) in sorted(MATRIX.items()):
        role = visitor(allowed)
        client.force_login(world.users[role])
        url = build(world)
        fields = form_fields(client.get(url)) if method == "get" else []
        urls[name] = (method, role, url, sorted(set(fields + PARAMETERS)))

    every_field = sorted({field for _m, _r, _u, fields in urls.values() for field in fields})

    @FUZZ
    @given(drawn=st.fixed_dictionaries(dict.fromkeys(every_field, hostile)))
    def walk(drawn):
        errors = []
        for name, (_method, role, url, fields) in urls.items():
            values = {field: drawn[field] for field in fields}
            client.force_login(world.users[role])
            requests = [("get", url.split("?")[0], values)]
            if not name.endswith(NOT_POSTED):
                requests.append(("post", url.split("?")[0], values))
            for verb, path, payload in requests:
                response = getattr(client, verb)(path, payload)
                if response.status_code >= 500:
                    errors.append(f"{name}: {verb.upper()} {path} → {response.status_code}")
        assert not errors, "\n".join(errors)

    walk()
    tracebacks = [r for r in caplog.records if r.exc_info and r.levelno >= logging.ERROR]
    assert not tracebacks, [r.getMessage() for r in tracebacks]


def test_every_matrix_url_answers_ids_beyond_the_database_with_a_4xx(client, world, caplog):
    """Every number in a URL's path replaced by one the database cannot hold."""
    client.raise_request_exception = False
    errors = []
    for name, (method, allowed, build) in sorted(MATRIX.items()):
        path = build(world).split("?")[0]
        if not re.search(r"/\d+/", path):
            continue
        client.force_login(world.users[visitor(allowed)])
        for huge in ("9" * 40, str(2**63), str(2**31)):
            bad = re.sub(r"(?<=/)\d+(?=/)", huge, path)
            response = getattr(client, method)(bad)
            if response.status_code >= 500:
                errors.append(f"{name}: {method.upper()} {bad} → {response.status_code}")
    assert not errors, "\n".join(errors)
    assert not [r for r in caplog.records if r.exc_info and r.levelno >= logging.ERROR]
