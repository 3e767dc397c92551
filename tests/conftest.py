"""Shared fixtures: a small world of organisations and people in every role.

partner  "Alu Collect"    admin, editor, viewer, auditor; one facility with one activity
other    "Other Metals"   a member of another partner organisation (the stranger)
shared   "Forge Works"    an end collector that Alu Collect shares its sheet with; its member
unshared "Press Co"       an end collector without a share; its member
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from partners.models import Activity, DescriptionSheet, Facility, Membership, Organization, Process, SheetShare
from tests.faults import broker_unreachable

PASSWORD = "correct-horse-battery-staple"


@dataclass
class World:
    partner: Organization
    other: Organization
    shared_ec: Organization
    unshared_ec: Organization
    admin: object
    editor: object
    viewer: object
    auditor: object
    stranger: object
    shared_member: object
    unshared_member: object
    facility: Facility
    activity: Activity

    def user(self, who: str):
        return None if who == "anonymous" else getattr(self, who)


def make_user(username: str):
    return get_user_model().objects.create_user(username, f"{username}@example.com", PASSWORD)


def make_org(name: str, slug: str, *, end_collector: bool = False) -> Organization:
    org = Organization.objects.create(name=name, slug=slug, country="DE", is_end_collector=end_collector)
    DescriptionSheet.objects.create(organization=org)
    return org


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """A fast password hasher (hashing strength is not under test) and uploads in a per-test folder."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True, scope="session")
def _flush_may_empty_the_log():
    """Transactional tests end with Django's flush, one TRUNCATE of every table. On PostgreSQL migration 0006 refuses
    TRUNCATE on the log, so the test database's flush (and only it) lifts that guard for its own statement, as the
    owner of a throw-away database may. Production has no such path: `manage.py flush` there is refused."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    plain = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = plain(self, style, tables, **kwargs)
        if "partners_logentry" not in tables:
            return statements
        guard = "partners_logentry_no_truncate"
        return [
            f"ALTER TABLE partners_logentry DISABLE TRIGGER {guard};",
            *statements,
            f"ALTER TABLE partners_logentry ENABLE TRIGGER {guard};",
        ]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = plain


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Tasks run in-process in every test except those marked real_worker, which use the broker and a worker."""
    from config.celery import app

    if request.node.get_closest_marker("real_worker"):
        yield
        return
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture
def catalogue(db):
    """The reference catalogues. Migration 0002 loads them, but transactional tests flush every table after
    themselves, so tests that need the catalogue ask for it."""
    from partners import catalogue
    from partners.models import Criterion, Material

    catalogue.load(Material, Process, Criterion)


@pytest.fixture
def world(db, catalogue) -> World:
    partner = make_org("Alu Collect", "alu-collect")
    other = make_org("Other Metals", "other-metals")
    shared_ec = make_org("Forge Works", "forge-works", end_collector=True)
    unshared_ec = make_org("Press Co", "press-co", end_collector=True)
    people = {}
    for role in ("admin", "editor", "viewer", "auditor"):
        people[role] = make_user(role)
        Membership.objects.create(user=people[role], organization=partner, role=role)
    stranger = make_user("stranger")
    Membership.objects.create(user=stranger, organization=other, role="admin")
    shared_member = make_user("shared_member")
    Membership.objects.create(user=shared_member, organization=shared_ec, role="admin")
    unshared_member = make_user("unshared_member")
    Membership.objects.create(user=unshared_member, organization=unshared_ec, role="admin")
    SheetShare.objects.create(organization=partner, end_collector=shared_ec)
    facility = Facility.objects.create(
        organization=partner,
        name="Stuttgart yard",
        country="DE",
        latitude=Decimal("48.7758"),
        longitude=Decimal("9.1829"),
        is_collector=True,
        capacity_t_per_year=Decimal("1200"),
    )
    activity = Activity.objects.create(
        facility=facility,
        process=Process.objects.get(code="dismantling"),
        yield_ratio=Decimal("0.85"),
        cost_eur_per_t=Decimal("40"),
    )
    return World(
        partner=partner,
        other=other,
        shared_ec=shared_ec,
        unshared_ec=unshared_ec,
        facility=facility,
        activity=activity,
        stranger=stranger,
        shared_member=shared_member,
        unshared_member=unshared_member,
        **people,
    )


@pytest.fixture
def client_for(client):
    """client_for(user) -> a Django test client signed in as that user (or anonymous for None)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def api_for():
    """api_for(user) -> a DRF APIClient authenticated as that user (or anonymous for None)."""
    from rest_framework.test import APIClient

    def make(user):
        api = APIClient()
        if user is not None:
            api.force_authenticate(user)
        return api

    return make


@pytest.fixture
def broker_down():
    """The task queue is down for the test (tests/faults.py)."""
    with broker_unreachable() as app:
        yield app


def pytest_terminal_summary(terminalreporter):
    """Prints the summary of the schemathesis run (tests/test_api_schema.py: cases, statuses, failures per
    operation and check), passed or failed; it travels in the test's report, so it shows under pytest-xdist too."""
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            for name, value in getattr(report, "user_properties", ()):
                if name == "schemathesis" and report.when == "call":
                    terminalreporter.write_sep("-", "API schema checked by schemathesis")
                    terminalreporter.write_line(value)
