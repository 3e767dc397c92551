"""Every change writes exactly one log entry with exactly the changed fields; the log cannot be changed."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction

from partners import audit, services
from partners.models import Activity, AppendOnlyError, Facility, LogEntry, Membership, SheetShare

PDF = b"%PDF-1.4\n% certificate\n"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class Recorder:
    """new() -> the entries written since the last call, oldest first."""

    def __init__(self):
        self.seen = LogEntry.objects.count() and LogEntry.objects.order_by("-id").values_list("id", flat=True)[0]

    def new(self) -> list[LogEntry]:
        entries = list(LogEntry.objects.filter(id__gt=self.seen).order_by("id"))
        if entries:
            self.seen = entries[-1].id
        return entries

    def one(self) -> LogEntry:
        entries = self.new()
        assert len(entries) == 1, [(e.action, e.changes) for e in entries]
        return entries[0]


@pytest.fixture
def log(world):
    return Recorder()


def reloaded_facility(world) -> Facility:
    """As views and the API hand it to services: fresh from the database, decimals with their stored places."""
    return Facility.objects.get(pk=world.facility.pk)


def check(entry, *, action, actor, organization, target_type, target_id, target_repr, changes):
    assert entry.action == action
    assert entry.actor == actor
    assert entry.organization == organization
    assert (entry.target_type, entry.target_id, entry.target_repr) == (target_type, str(target_id), target_repr)
    assert entry.changes == changes


# ---------------------------------------------------------------- how values are written


@pytest.mark.parametrize(
    "value, plain",
    [
        (Decimal("1200"), "1200"),
        (Decimal("1200.00"), "1200"),
        (Decimal("1.5E+3"), "1500"),
        (Decimal("0.8500"), "0.85"),
        (Decimal("48.775800"), "48.7758"),
        (Decimal("-0.10"), "-0.1"),
        (Decimal("0.0000"), "0"),
        (datetime.date(2026, 3, 31), "2026-03-31"),
        (None, None),
        (True, True),
        ("text", "text"),
        (["b", "a"], ["a", "b"]),
    ],
)
def test_plain_values(value, plain):
    """A decimal is written the same however many places it carries, so a stored 0.8500 equals a typed 0.85."""
    assert audit._plain(value) == plain


# ---------------------------------------------------------------- facilities


def test_facility_create(world, log):
    facility = services.facility_create(
        user=world.editor,
        organization=world.partner,
        name="Ulm sorting",
        country="DE",
        latitude="48.4011",
        longitude="9.9876",
        capacity_t_per_year="5000",
        roles=["sorter", "recoverer"],
        accepted_materials=["al-wheels", "steel-scrap"],
    )
    check(
        log.one(),
        action="facility.created",
        actor=world.editor,
        organization=world.partner,
        target_type="facility",
        target_id=facility.pk,
        target_repr="Ulm sorting",
        changes={
            "name": [None, "Ulm sorting"],
            "country": [None, "DE"],
            "latitude": [None, "48.4011"],
            "longitude": [None, "9.9876"],
            "is_collector": [None, False],
            "is_sorter": [None, True],
            "is_recoverer": [None, True],
            "is_end_collector": [None, False],
            "capacity_t_per_year": [None, "5000"],
            "fixed_cost_eur_per_year": [None, "0"],  # not given: the default, logged like any value
            "accepted_materials": [None, ["Aluminium wheels", "Ferrous scrap"]],
        },
    )


def test_facility_update_capacity(world, log):
    services.facility_update(user=world.editor, facility=reloaded_facility(world), capacity_t_per_year="1500")
    check(
        log.one(),
        action="facility.changed",
        actor=world.editor,
        organization=world.partner,
        target_type="facility",
        target_id=world.facility.pk,
        target_repr="Stuttgart yard",
        changes={"capacity_t_per_year": ["1200", "1500"]},
    )


def test_facility_update_several_fields(world, log):
    services.facility_update(
        user=world.editor,
        facility=reloaded_facility(world),
        name="Stuttgart north",
        latitude="48.8",
        roles=["collector", "sorter"],
    )
    assert log.one().changes == {
        "name": ["Stuttgart yard", "Stuttgart north"],
        "latitude": ["48.7758", "48.8"],
        "is_sorter": [False, True],
    }


def test_facility_update_that_changes_nothing_writes_nothing(world, log):
    services.facility_update(
        user=world.editor,
        facility=reloaded_facility(world),
        name="Stuttgart yard",
        latitude="48.7758",
        longitude=Decimal("9.182900"),
        capacity_t_per_year="1200.00",
        roles=["collector"],
        accepted_materials=[],
    )
    assert log.new() == []


def test_facility_accepted_materials_change(world, log):
    facility = reloaded_facility(world)
    services.facility_update(user=world.editor, facility=facility, accepted_materials=["al-wheels"])
    assert log.one().changes == {"accepted_materials": [[], ["Aluminium wheels"]]}
    services.facility_update(
        user=world.editor, facility=facility, accepted_materials=["steel-scrap", "al-vehicle-parts", "al-wheels"]
    )
    assert log.one().changes == {
        "accepted_materials": [
            ["Aluminium wheels"],
            ["Aluminium parts from dismantled vehicles", "Aluminium wheels", "Ferrous scrap"],
        ]
    }
    services.facility_update(
        user=world.editor, facility=facility, accepted_materials=["al-wheels", "steel-scrap", "al-vehicle-parts"]
    )
    assert log.new() == []


def test_facility_delete_logs_its_activities_and_itself(world, log):
    facility_pk, activity_pk = world.facility.pk, world.activity.pk
    services.facility_delete(user=world.editor, facility=reloaded_facility(world))
    activity_entry, facility_entry = log.new()
    check(
        activity_entry,
        action="activity.deleted",
        actor=world.editor,
        organization=world.partner,
        target_type="activity",
        target_id=activity_pk,
        target_repr="Dismantling at Stuttgart yard",
        changes={
            "process": ["Dismantling", None],
            "yield_ratio": ["0.85", None],
            "cost_eur_per_t": ["40", None],
            "energy_mj_per_t": ["0", None],
            "co2e_kg_per_t": ["0", None],
            "water_m3_per_t": ["0", None],
        },
    )
    check(
        facility_entry,
        action="facility.deleted",
        actor=world.editor,
        organization=world.partner,
        target_type="facility",
        target_id=facility_pk,
        target_repr="Stuttgart yard",
        changes={
            "name": ["Stuttgart yard", None],
            "country": ["DE", None],
            "latitude": ["48.7758", None],
            "longitude": ["9.1829", None],
            "is_collector": [True, None],
            "is_sorter": [False, None],
            "is_recoverer": [False, None],
            "is_end_collector": [False, None],
            "capacity_t_per_year": ["1200", None],
            "fixed_cost_eur_per_year": ["0", None],
        },
    )


# ---------------------------------------------------------------- activities


def test_activity_create(world, log):
    activity = services.activity_create(
        user=world.editor,
        facility=reloaded_facility(world),
        process="shredding",
        yield_ratio="0.92",
        cost_eur_per_t="12.50",
        co2e_kg_per_t="3.2",
        data_source="Plant records 2024",
    )
    check(
        log.one(),
        action="activity.created",
        actor=world.editor,
        organization=world.partner,
        target_type="activity",
        target_id=activity.pk,
        target_repr="Shredding at Stuttgart yard",
        changes={
            "facility": [None, "Stuttgart yard"],
            "process": [None, "Shredding"],
            "yield_ratio": [None, "0.92"],
            "cost_eur_per_t": [None, "12.5"],
            "energy_mj_per_t": [None, "0"],
            "co2e_kg_per_t": [None, "3.2"],
            "water_m3_per_t": [None, "0"],
            "data_source": [None, "Plant records 2024"],
        },
    )


def test_activity_update(world, log):
    activity = Activity.objects.get(pk=world.activity.pk)
    services.activity_update(
        user=world.editor, activity=activity, yield_ratio="0.9", cost_eur_per_t="40.00", process="gatekeeping"
    )
    check(
        log.one(),
        action="activity.changed",
        actor=world.editor,
        organization=world.partner,
        target_type="activity",
        target_id=activity.pk,
        target_repr="Gatekeeping and inspection at Stuttgart yard",
        changes={"process": ["Dismantling", "Gatekeeping and inspection"], "yield_ratio": ["0.85", "0.9"]},
    )


def test_activity_update_that_changes_nothing_writes_nothing(world, log):
    activity = Activity.objects.get(pk=world.activity.pk)
    services.activity_update(
        user=world.editor,
        activity=activity,
        yield_ratio="0.85",
        cost_eur_per_t="40",
        process="dismantling",
        data_source="",
    )
    assert log.new() == []


def test_activity_delete(world, log):
    activity = Activity.objects.get(pk=world.activity.pk)
    pk = activity.pk
    services.activity_delete(user=world.editor, activity=activity)
    check(
        log.one(),
        action="activity.deleted",
        actor=world.editor,
        organization=world.partner,
        target_type="activity",
        target_id=pk,
        target_repr="Dismantling at Stuttgart yard",
        changes={
            "facility": ["Stuttgart yard", None],
            "process": ["Dismantling", None],
            "yield_ratio": ["0.85", None],
            "cost_eur_per_t": ["40", None],
            "energy_mj_per_t": ["0", None],
            "co2e_kg_per_t": ["0", None],
            "water_m3_per_t": ["0", None],
        },
    )


# ---------------------------------------------------------------- description sheet


def test_sheet_summary_change(world, log):
    services.sheet_update(user=world.editor, organization=world.partner, summary="We dismantle end-of-life cars.")
    check(
        log.one(),
        action="sheet.changed",
        actor=world.editor,
        organization=world.partner,
        target_type="descriptionsheet",
        target_id=world.partner.sheet.pk,
        target_repr="Sheet of Alu Collect",
        changes={"summary": ["", "We dismantle end-of-life cars."]},
    )
    services.sheet_update(user=world.editor, organization=world.partner, summary="We dismantle end-of-life cars.")
    assert log.new() == []


def test_criterion_value_set_changed_cleared(world, log):
    services.sheet_update(user=world.editor, organization=world.partner, values={"delivery-on-time": 95})
    assert log.one().changes == {"criterion:delivery-on-time": [None, "95"]}

    services.sheet_update(user=world.editor, organization=world.partner, values={"delivery-on-time": "97.5"})
    assert log.one().changes == {"criterion:delivery-on-time": ["95", "97.5"]}

    services.sheet_update(user=world.editor, organization=world.partner, values={"delivery-on-time": "97.50"})
    assert log.new() == []

    services.sheet_update(user=world.editor, organization=world.partner, values={"delivery-on-time": None})
    check(
        log.one(),
        action="sheet.changed",
        actor=world.editor,
        organization=world.partner,
        target_type="descriptionsheet",
        target_id=world.partner.sheet.pk,
        target_repr="Sheet of Alu Collect",
        changes={"criterion:delivery-on-time": ["97.5", None]},
    )
    assert not world.partner.sheet.values.exists()


def test_sheet_text_and_values_in_one_update_are_one_entry(world, log):
    services.sheet_update(user=world.editor, organization=world.partner, values={"quality": 98})
    log.new()
    services.sheet_update(
        user=world.editor,
        organization=world.partner,
        constraints="Lots of 20 t minimum",
        values={"quality": "", "price": "310.25", "order-delay": 0},
    )
    assert log.one().changes == {
        "constraints": ["", "Lots of 20 t minimum"],
        "criterion:order-delay": [None, "0"],
        "criterion:price": [None, "310.25"],
        "criterion:quality": ["98", None],
    }


def test_refused_sheet_update_writes_no_entry(world, log):
    with pytest.raises(Exception):
        services.sheet_update(
            user=world.editor, organization=world.partner, summary="x", values={"delivery-on-time": 120}
        )
    assert log.new() == []


# ---------------------------------------------------------------- certificates


def test_certificate_create_and_delete(world, log, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("iso.pdf", PDF, content_type="application/pdf")
    certificate = services.certificate_create(
        user=world.editor,
        organization=world.partner,
        kind="iso14001",
        title="ISO 14001:2015",
        file=upload,
        valid_until=datetime.date(2027, 6, 30),
    )
    name = certificate.file.name  # stored under a generated name with the detected type's extension
    assert re.fullmatch(rf"certificates/{datetime.datetime.now():%Y}/[0-9a-f]{{32}}\.pdf", name)
    check(
        log.one(),
        action="certificate.created",
        actor=world.editor,
        organization=world.partner,
        target_type="certificate",
        target_id=certificate.pk,
        target_repr="ISO 14001:2015",
        changes={
            "kind": [None, "iso14001"],
            "title": [None, "ISO 14001:2015"],
            "valid_until": [None, "2027-06-30"],
            "file": [None, name],
        },
    )

    services.certificate_update(user=world.editor, certificate=certificate, issuer="TÜV", title="ISO 14001:2015")
    assert log.one().changes == {"issuer": ["", "TÜV"]}

    pk, storage = certificate.pk, certificate.file.storage
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_delete(user=world.editor, certificate=certificate)
    check(
        log.one(),
        action="certificate.deleted",
        actor=world.editor,
        organization=world.partner,
        target_type="certificate",
        target_id=pk,
        target_repr="ISO 14001:2015",
        changes={
            "kind": ["iso14001", None],
            "title": ["ISO 14001:2015", None],
            "issuer": ["TÜV", None],
            "valid_until": ["2027-06-30", None],
            "file": [name, None],
        },
    )
    assert not storage.exists(name)


# ---------------------------------------------------------------- sharing and members


def test_share_create_and_delete(world, log):
    share = services.share_create(user=world.admin, organization=world.partner, end_collector=world.unshared_ec)
    check(
        log.one(),
        action="share.created",
        actor=world.admin,
        organization=world.partner,
        target_type="sheetshare",
        target_id=share.pk,
        target_repr="Alu Collect shares with Press Co",
        changes={"end_collector": [None, "Press Co"]},
    )
    old = SheetShare.objects.get(end_collector=world.shared_ec)
    pk = old.pk
    services.share_delete(user=world.admin, share=old)
    check(
        log.one(),
        action="share.deleted",
        actor=world.admin,
        organization=world.partner,
        target_type="sheetshare",
        target_id=pk,
        target_repr="Alu Collect shares with Forge Works",
        changes={"end_collector": ["Forge Works", None]},
    )


def test_membership_role_change(world, log):
    membership = Membership.objects.get(user=world.viewer, organization=world.partner)
    services.membership_set_role(user=world.admin, membership=membership, role="editor")
    check(
        log.one(),
        action="membership.changed",
        actor=world.admin,
        organization=world.partner,
        target_type="membership",
        target_id=membership.pk,
        target_repr="viewer in Alu Collect (editor)",
        changes={"role": ["viewer", "editor"]},
    )
    services.membership_set_role(user=world.admin, membership=membership, role="editor")
    assert log.new() == []


def test_membership_removal(world, log):
    membership = Membership.objects.get(user=world.auditor, organization=world.partner)
    pk = membership.pk
    services.membership_remove(user=world.admin, membership=membership)
    check(
        log.one(),
        action="membership.deleted",
        actor=world.admin,
        organization=world.partner,
        target_type="membership",
        target_id=pk,
        target_repr="auditor in Alu Collect (auditor)",
        changes={"user": ["auditor", None], "role": ["auditor", None]},
    )


def test_invitation_create(world, log, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            user=world.admin, organization=world.partner, email="Newcomer@Example.org", role="viewer"
        )
    check(
        log.one(),
        action="invitation.created",
        actor=world.admin,
        organization=world.partner,
        target_type="invitation",
        target_id=invitation.pk,
        target_repr="newcomer@example.org to Alu Collect",
        changes={"email": [None, "newcomer@example.org"], "role": [None, "viewer"]},
    )


def test_refused_changes_write_no_entry(world, log):
    with pytest.raises(Exception):
        services.facility_update(user=world.viewer, facility=world.facility, name="x")
    with pytest.raises(Exception):
        services.facility_update(user=world.editor, facility=world.facility, latitude="91")
    with pytest.raises(Exception):
        services.membership_set_role(
            user=world.admin, membership=Membership.objects.get(user=world.admin), role="viewer"
        )
    assert log.new() == []


# ---------------------------------------------------------------- append-only


@pytest.fixture
def entry(world):
    services.facility_update(user=world.editor, facility=world.facility, capacity_t_per_year="1500")
    return LogEntry.objects.get(action="facility.changed")


def stored(entry) -> tuple:
    return LogEntry.objects.filter(pk=entry.pk).values_list("action", "changes", "actor_id").get()


def test_saving_an_existing_entry_is_refused(entry):
    before = stored(entry)
    entry.action = "facility.forged"
    entry.changes = {}
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert stored(entry) == before == ("facility.changed", {"capacity_t_per_year": ["1200", "1500"]}, entry.actor_id)


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_queryset_update_and_delete_are_refused(entry):
    before = stored(entry)
    with pytest.raises(AppendOnlyError):
        LogEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        LogEntry.objects.update(action="x")
    with pytest.raises(AppendOnlyError):
        LogEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        LogEntry.objects.all().delete()
    entry.action = "x"
    with pytest.raises(AppendOnlyError):
        with transaction.atomic():  # bulk_update's own atomic block has no savepoint; give it one
            LogEntry.objects.bulk_update([entry], ["action"])
    assert stored(entry) == before


def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            f"the append-only trigger of migration 0002 exists on PostgreSQL only; this run uses {connection.vendor}"
        )


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE partners_logentry SET action = 'x' WHERE id = %s",
        "DELETE FROM partners_logentry WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_the_log_on_postgresql(entry, sql):
    postgresql_only()
    before = stored(entry)
    with pytest.raises(DatabaseError, match="partners_logentry is append-only"):
        with transaction.atomic():  # a savepoint: the error rolls back to it, the test transaction lives on
            with connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])
    assert stored(entry) == before


def test_inviting_an_existing_account_logs_the_inviting_admin_as_actor(world):
    from partners.models import LogEntry

    services.invitation_create(
        user=world.admin, organization=world.partner, email="stranger@example.com", role="viewer"
    )
    entry = LogEntry.objects.get(action="membership.created", organization=world.partner)
    assert entry.actor == world.admin
    assert entry.changes == {"user": [None, "stranger"], "role": [None, "viewer"]}
