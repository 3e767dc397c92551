"""The published OpenAPI schema (/api/schema/) matches what the API answers, checked by schemathesis.

Every operation of the schema is called with requests schemathesis generates from it, as each actor of
tests/api_schema_world.py (admin, editor, viewer and auditor of the owning organisations, an outsider, anonymous),
with the path's ids mostly taken from rows that exist so the calls reach the views rather than stopping at 404.
Valid requests (positive mode) and requests that break the schema (negative mode: a wrong type, a missing or
unknown body key, a `?page=` that is not a page number) are sent. Each answer must not be a server error and must
conform to the schema: a documented status code, a documented content type and a body the schema describes; an
invalid request must also be refused (4xx). Generation is derandomized, so every run sends the same requests;
each request runs in a savepoint rolled back after it, so one case's writes never change the next one's world.
The summary (cases, statuses, failures per operation and check with the actors and the first message) is
printed at the end of the pytest run, passed or failed.
"""

import collections
import logging

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core import NotSet
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests import api_schema_world
from tests.assessment.conftest import collectors, library  # noqa: F401  (fixtures)
from tests.scenarios.conftest import net  # noqa: F401  (the fixture)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
NEGATIVE_CHECKS = [*CHECKS, negative_data_rejection]
EXAMPLES = {"positive": 2, "negative": 1}  # per operation and actor: about 1,700 cases
CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {
            # Our token goes in the Authorization header; generated credentials would only earn 401s.
            "with-security-parameters": False,
            # OpenAPI does not forbid query parameters an operation does not list, and the API ignores them (a
            # cache-busting `?_=` must not fail); unknown keys in request bodies are refused, and checked.
            "allow-extra-parameters": False,
        },
    }
)


@pytest.fixture
def wsgi_app(settings):
    """The project's WSGI application, answering on the test's database connection: Django closes connections
    at the end of a request, which would end the test's transaction, so that is switched off here as Django's
    own test client does."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    request_logger = logging.getLogger("django.request")
    level = request_logger.level
    request_logger.setLevel(logging.ERROR)  # thousands of expected 4xx answers; server errors still show
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    request_logger.setLevel(level)


def _known_path_parameters(operation, known: dict) -> st.SearchStrategy:
    """Path parameters naming rows that exist, from the path segment before each parameter. Under
    /organizations/{slug}/, studies belong to the end collector and everything else to the partner."""
    segments = operation.path.strip("/").split("/")
    chosen = {}
    for before, segment in zip(segments, segments[1:]):
        if segment.startswith("{"):
            if before == "organizations":
                before = "end-collectors" if "studies" in segments else "partners"
            chosen[segment.strip("{}")] = st.sampled_from(known[before])
    return st.fixed_dictionaries(chosen)


def _one_line(text: str, limit: int = 300) -> str:
    return " ".join(text.split())[:limit]


class Tally:
    def __init__(self):
        self.cases = 0
        self.statuses = collections.Counter()
        self.failures = collections.defaultdict(list)  # (operation, check) -> [(actor, status, message)]
        self.nothing_to_generate = set()  # "operation (mode)" for which no case could be generated

    def summary(self, operations: int) -> str:
        lines = [
            f"schemathesis: {operations} operations, {self.cases} cases, "
            f"{sum(len(v) for v in self.failures.values())} failures; statuses "
            + ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items()))
            + f"; nothing to generate for {', '.join(sorted(self.nothing_to_generate)) or 'none'}"
        ]
        for (label, check), found in sorted(self.failures.items()):
            actors = sorted({actor for actor, _, _ in found})
            lines.append(
                f"  {label}  {check}  x{len(found)}  as {', '.join(actors)}  (first: {found[0][1]} {found[0][2]})"
            )
        return "\n".join(lines)


def _exercise(operation, mode, actor, world, tally):
    strategy = operation.as_strategy(generation_mode=mode)
    # An invalid body (null or a number where an object belongs) cannot be written as a form: it goes as an empty
    # form, which is valid. Invalid bodies are sent as JSON where the operation takes JSON.
    json_only = mode == GenerationMode.NEGATIVE and "application/json" in [b.media_type for b in operation.body]
    known = _known_path_parameters(operation, world.known)
    headers = world.headers(actor)
    checks = NEGATIVE_CHECKS if mode == GenerationMode.NEGATIVE else CHECKS

    @hypothesis.settings(
        max_examples=EXAMPLES[mode.value],
        derandomize=True,
        database=None,
        deadline=None,
        phases=[hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    @hypothesis.given(data=st.data())
    def run(data):
        case = data.draw(strategy)
        hypothesis.assume(not json_only or isinstance(case.body, NotSet) or case.media_type == "application/json")
        if data.draw(st.integers(0, 4)):  # four cases in five address rows that exist, the fifth what was drawn
            case.path_parameters = {**(case.path_parameters or {}), **data.draw(known)}
        tally.cases += 1
        with transaction.atomic():
            response = case.call(headers=headers)
            tally.statuses[response.status_code] += 1
            try:
                case.validate_response(response, checks=checks, headers=headers)
            except FailureGroup as group:
                for failure in group.exceptions:
                    tally.failures[(operation.label, getattr(failure, "title", type(failure).__name__))].append(
                        (actor, response.status_code, _one_line(getattr(failure, "message", str(failure))))
                    )
            except Exception as exc:  # noqa: BLE001 - any other check error counts as a failure too
                tally.failures[(operation.label, type(exc).__name__)].append(
                    (actor, response.status_code, _one_line(str(exc)))
                )
            transaction.set_rollback(True)

    try:
        run()
    except hypothesis.errors.Unsatisfiable:  # e.g. nothing in the operation can be made invalid
        tally.nothing_to_generate.add(f"{operation.label} ({mode.value})")


@pytest.mark.schema
@pytest.mark.django_db
def test_every_operation_answers_as_the_schema_says(net, collectors, library, wsgi_app, record_property):  # noqa: F811
    world = api_schema_world.build(net, library)
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app, config=CONFIG)
    operations = [result.ok() for result in schema.get_all_operations()]
    tally = Tally()
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for actor in api_schema_world.ACTORS:
                _exercise(operation, mode, actor, world, tally)
    summary = tally.summary(len(operations))
    record_property("schemathesis", summary)  # printed at the end of the run by tests/conftest.py
    assert tally.cases >= 1000, summary
    assert not tally.failures, summary
