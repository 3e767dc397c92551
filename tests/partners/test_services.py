"""Services refuse bad input and unauthorised actors, and a refused call writes nothing."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from partners import access, services
from partners.errors import ApplicationError
from partners.models import (
    Activity,
    Certificate,
    CriterionValue,
    Facility,
    Invitation,
    LogEntry,
    Membership,
    Organization,
    SheetShare,
)
from tests.conftest import make_user

PDF = b"%PDF-1.4\n% a tiny stand-in for a certificate\n"

COUNTED = [Organization, Membership, Invitation, Facility, Activity, CriterionValue, Certificate, SheetShare, LogEntry]


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in COUNTED}


def field_errors(exc) -> dict:
    """The per-field messages of a refusal, whichever of the two error types carries them."""
    if isinstance(exc, ValidationError):
        return exc.message_dict
    return exc.field_errors


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name="permit.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def valid_facility(**overrides):
    data = dict(
        name="Ulm sorting",
        country="DE",
        latitude="48.4011",
        longitude="9.9876",
        capacity_t_per_year="5000",
        roles=["sorter"],
    )
    data.update(overrides)
    return data


def valid_activity(**overrides):
    data = dict(process="shredding", yield_ratio="0.9", cost_eur_per_t="12.50")
    data.update(overrides)
    return data


def refuse(call, field: str):
    """Run `call`, expect a refusal naming `field`, and check the database did not change. Returns the messages."""
    before = counts()
    with pytest.raises((ValidationError, ApplicationError)) as caught:
        call()
    errors = field_errors(caught.value)
    assert field in errors, errors
    assert counts() == before
    return errors[field]


# ---------------------------------------------------------------- facilities


@pytest.mark.parametrize(
    "field, value",
    [
        ("latitude", "90.5"),
        ("latitude", "-90.5"),
        ("longitude", "180.5"),
        ("longitude", "-180.5"),
        ("capacity_t_per_year", "-1"),
    ],
)
def test_facility_create_refuses_out_of_range_numbers(world, field, value):
    refuse(
        lambda: services.facility_create(
            user=world.editor, organization=world.partner, **valid_facility(**{field: value})
        ),
        field,
    )


@pytest.mark.parametrize("field, value", [("latitude", "90.5"), ("longitude", "180.5"), ("capacity_t_per_year", "-1")])
def test_facility_update_refuses_out_of_range_numbers_and_keeps_the_row(world, field, value):
    facility = Facility.objects.get(pk=world.facility.pk)
    refuse(lambda: services.facility_update(user=world.editor, facility=facility, **{field: value}), field)
    stored = Facility.objects.get(pk=world.facility.pk)
    assert (stored.latitude, stored.longitude, stored.capacity_t_per_year) == (
        Decimal("48.7758"),
        Decimal("9.1829"),
        Decimal("1200"),
    )


def test_facility_boundaries_are_accepted(world):
    """The least capacity is one step of its two decimals above 0 (a capacity of 0 is refused)."""
    facility = services.facility_create(
        user=world.editor,
        organization=world.partner,
        **valid_facility(latitude="-90", longitude="180", capacity_t_per_year="0.01"),
    )
    stored = Facility.objects.get(pk=facility.pk)
    assert (stored.latitude, stored.longitude, stored.capacity_t_per_year) == (
        Decimal("-90"),
        Decimal("180"),
        Decimal("0.01"),
    )


def test_facility_capacity_of_zero_is_refused_with_its_unit(world):
    messages = refuse(
        lambda: services.facility_create(
            user=world.editor, organization=world.partner, **valid_facility(capacity_t_per_year="0")
        ),
        "capacity_t_per_year",
    )
    assert messages == ["Capacity must be above 0 t/year."]


def test_text_with_a_nul_character_is_refused_by_the_service_naming_the_field(world):
    messages = refuse(
        lambda: services.facility_create(
            user=world.editor, organization=world.partner, **valid_facility(address="Hafen\x00strasse 1")
        ),
        "address",
    )
    assert messages == ["Remove the NUL character (an invisible control character) from this text."]


def test_a_second_activity_for_the_same_process_is_refused_on_the_process(world):
    messages = refuse(
        lambda: services.activity_create(
            user=world.editor,
            facility=world.facility,
            process="dismantling",
            yield_ratio=Decimal("0.9"),
            cost_eur_per_t=Decimal("10"),
        ),
        "process",
    )
    assert messages == ["This facility already has an activity for this process."]


def test_facility_without_a_role_is_refused(world):
    messages = refuse(
        lambda: services.facility_create(user=world.editor, organization=world.partner, **valid_facility(roles=[])),
        "roles",
    )
    assert messages == ["Choose at least one role."]


def test_facility_update_taking_every_role_away_is_refused(world):
    facility = Facility.objects.get(pk=world.facility.pk)
    refuse(lambda: services.facility_update(user=world.editor, facility=facility, roles=[]), "roles")
    assert Facility.objects.get(pk=world.facility.pk).roles == ["collector"]


def test_facility_with_an_unknown_role_is_refused(world):
    messages = refuse(
        lambda: services.facility_create(
            user=world.editor, organization=world.partner, **valid_facility(roles=["sorter", "wizard"])
        ),
        "roles",
    )
    assert messages == ["Unknown role: wizard."]


def test_facility_with_an_unknown_material_is_refused(world):
    messages = refuse(
        lambda: services.facility_create(
            user=world.editor,
            organization=world.partner,
            **valid_facility(accepted_materials=["al-wheels", "unobtainium"]),
        ),
        "accepted_materials",
    )
    assert messages == ["Unknown material: unobtainium."]


def test_facility_update_with_an_unknown_material_keeps_the_old_materials(world):
    facility = Facility.objects.get(pk=world.facility.pk)
    services.facility_update(user=world.editor, facility=facility, accepted_materials=["al-wheels"])
    refuse(
        lambda: services.facility_update(
            user=world.editor, facility=facility, accepted_materials=["steel-scrap", "unobtainium"]
        ),
        "accepted_materials",
    )
    assert list(facility.accepted_materials.values_list("code", flat=True)) == ["al-wheels"]


def test_facility_name_must_be_unique_in_the_organisation(world):
    before = counts()
    with pytest.raises(ApplicationError) as caught:
        services.facility_create(user=world.editor, organization=world.partner, **valid_facility(name="Stuttgart yard"))
    assert caught.value.field_errors == {"name": ["Alu Collect already has a facility called Stuttgart yard."]}
    assert counts() == before


# ---------------------------------------------------------------- activities


@pytest.mark.parametrize("value", ["0", "-0.1", "1.0001"])
def test_activity_yield_outside_zero_to_one_is_refused(world, value):
    refuse(
        lambda: services.activity_create(
            user=world.editor, facility=world.facility, **valid_activity(yield_ratio=value)
        ),
        "yield_ratio",
    )


def test_activity_yield_of_one_is_accepted(world):
    activity = services.activity_create(user=world.editor, facility=world.facility, **valid_activity(yield_ratio="1"))
    assert Activity.objects.get(pk=activity.pk).yield_ratio == Decimal("1")
    assert world.facility.activities.count() == 2


def test_activity_update_yield_zero_is_refused_and_keeps_the_row(world):
    activity = Activity.objects.get(pk=world.activity.pk)
    refuse(lambda: services.activity_update(user=world.editor, activity=activity, yield_ratio="0"), "yield_ratio")
    assert Activity.objects.get(pk=world.activity.pk).yield_ratio == Decimal("0.85")


@pytest.mark.parametrize("field", ["cost_eur_per_t", "energy_mj_per_t", "co2e_kg_per_t", "water_m3_per_t"])
def test_activity_negative_figures_are_refused(world, field):
    refuse(
        lambda: services.activity_create(
            user=world.editor, facility=world.facility, **valid_activity(**{field: "-0.01"})
        ),
        field,
    )


def test_activity_with_an_unknown_process_is_refused(world):
    messages = refuse(
        lambda: services.activity_create(
            user=world.editor, facility=world.facility, **valid_activity(process="alchemy")
        ),
        "process",
    )
    assert messages == ["Unknown process: alchemy."]


def test_activity_update_to_an_unknown_process_is_refused(world):
    activity = Activity.objects.get(pk=world.activity.pk)
    refuse(lambda: services.activity_update(user=world.editor, activity=activity, process="alchemy"), "process")
    assert Activity.objects.get(pk=world.activity.pk).process.code == "dismantling"


# ---------------------------------------------------------------- certificates


def test_certificate_that_is_a_text_file_is_refused(world):
    upload = SimpleUploadedFile("licence.txt", b"just some text, not a PDF", content_type="text/plain")
    messages = refuse(
        lambda: services.certificate_create(
            user=world.editor, organization=world.partner, kind="licence", title="Permit", file=upload
        ),
        "file",
    )
    assert messages == ["Certificates must be PDF, PNG or JPEG files."]


def test_certificate_text_file_named_pdf_is_refused(world):
    """The type is read from the first bytes, not from the name or the content type the client sends."""
    upload = SimpleUploadedFile("licence.pdf", b"just some text, not a PDF", content_type="application/pdf")
    refuse(
        lambda: services.certificate_create(
            user=world.editor, organization=world.partner, kind="licence", title="Permit", file=upload
        ),
        "file",
    )


def test_certificate_larger_than_the_limit_is_refused(world, settings):
    settings.CERTIFICATE_MAX_BYTES = 100
    upload = pdf(content=PDF + b"x" * (101 - len(PDF)))
    assert upload.size == 101
    messages = refuse(
        lambda: services.certificate_create(
            user=world.editor, organization=world.partner, kind="licence", title="Permit", file=upload
        ),
        "file",
    )
    assert messages == ["The file is 101 bytes; certificates may be at most 100 bytes."]


def test_certificate_exactly_at_the_limit_is_accepted(world, settings):
    settings.CERTIFICATE_MAX_BYTES = 100
    upload = pdf(content=PDF + b"x" * (100 - len(PDF)))
    certificate = services.certificate_create(
        user=world.editor, organization=world.partner, kind="licence", title="Permit", file=upload
    )
    stored = Certificate.objects.get(pk=certificate.pk)
    assert (stored.size_bytes, stored.content_type) == (100, "application/pdf")


def test_certificate_default_limit_message_reads_in_megabytes(world, settings):
    settings.CERTIFICATE_MAX_BYTES = 10 * 1024 * 1024
    upload = pdf(content=PDF + b"x" * (11 * 1024 * 1024 - len(PDF)))
    messages = refuse(
        lambda: services.certificate_create(
            user=world.editor, organization=world.partner, kind="licence", title="Permit", file=upload
        ),
        "file",
    )
    assert messages == ["The file is 11.0 MB; certificates may be at most 10 MB."]


def test_empty_certificate_is_refused(world):
    messages = refuse(
        lambda: services.certificate_create(
            user=world.editor, organization=world.partner, kind="licence", title="Permit", file=pdf(content=b"")
        ),
        "file",
    )
    assert messages == ["The file is empty."]


def test_certificate_without_a_file_is_refused(world):
    refuse(
        lambda: services.certificate_create(
            user=world.editor, organization=world.partner, kind="licence", title="Permit", file=None
        ),
        "file",
    )


def test_certificate_with_an_unknown_kind_is_refused(world):
    refuse(
        lambda: services.certificate_create(
            user=world.editor, organization=world.partner, kind="diploma", title="Permit", file=pdf()
        ),
        "kind",
    )


# ---------------------------------------------------------------- description sheet


def test_criterion_value_above_its_maximum_is_refused(world):
    messages = refuse(
        lambda: services.sheet_update(user=world.editor, organization=world.partner, values={"delivery-on-time": 120}),
        "delivery-on-time",
    )
    assert len(messages) == 1 and messages[0].startswith("Delivery on time must be at most")


def test_criterion_bound_message_prints_the_bound_as_a_plain_number(world):
    with pytest.raises(ApplicationError) as caught:
        services.sheet_update(user=world.editor, organization=world.partner, values={"delivery-on-time": 120})
    assert caught.value.field_errors == {"delivery-on-time": ["Delivery on time must be at most 100 %."]}


def test_criterion_value_below_its_minimum_is_refused(world):
    messages = refuse(
        lambda: services.sheet_update(
            user=world.editor, organization=world.partner, values={"equipment-capability": "0.5"}
        ),
        "equipment-capability",
    )
    assert messages == ["Equipment and capability must be at least 1 score 1-10."]


def test_criterion_value_that_is_not_a_number_is_refused(world):
    messages = refuse(
        lambda: services.sheet_update(
            user=world.editor, organization=world.partner, values={"delivery-on-time": "ninety"}
        ),
        "delivery-on-time",
    )
    assert messages == ["“ninety” value must be a decimal number."]


def test_unknown_criterion_is_refused(world):
    messages = refuse(
        lambda: services.sheet_update(user=world.editor, organization=world.partner, values={"happiness": 3}),
        "happiness",
    )
    assert messages == ["Unknown criterion: happiness."]


def test_one_bad_criterion_value_rolls_back_the_whole_sheet_update(world):
    refuse(
        lambda: services.sheet_update(
            user=world.editor,
            organization=world.partner,
            summary="New text",
            values={"quality": 98, "delivery-on-time": 120},
        ),
        "delivery-on-time",
    )
    world.partner.sheet.refresh_from_db()
    assert world.partner.sheet.summary == ""
    assert not world.partner.sheet.values.exists()


def test_sheet_with_a_bad_contact_email_is_refused(world):
    refuse(
        lambda: services.sheet_update(user=world.editor, organization=world.partner, contact_email="not-an-address"),
        "contact_email",
    )


# ---------------------------------------------------------------- permissions


@pytest.fixture
def targets(world):
    """One existing object of each kind the write services change."""
    certificate = services.certificate_create(
        user=world.editor, organization=world.partner, kind="licence", title="Permit", file=pdf()
    )
    invitation = Invitation.objects.create(
        organization=world.partner,
        email="pending@example.org",
        role="viewer",
        token="pending-token",
        invited_by=world.admin,
    )
    return {
        "certificate": certificate,
        "invitation": invitation,
        "viewer_membership": Membership.objects.get(user=world.viewer, organization=world.partner),
        "share": SheetShare.objects.get(organization=world.partner, end_collector=world.shared_ec),
    }


EDIT_SERVICES = {
    "facility_create": lambda w, t, u: services.facility_create(user=u, organization=w.partner, **valid_facility()),
    "facility_update": lambda w, t, u: services.facility_update(user=u, facility=w.facility, name="Renamed"),
    "facility_delete": lambda w, t, u: services.facility_delete(user=u, facility=w.facility),
    "activity_create": lambda w, t, u: services.activity_create(user=u, facility=w.facility, **valid_activity()),
    "activity_update": lambda w, t, u: services.activity_update(user=u, activity=w.activity, yield_ratio="0.5"),
    "activity_delete": lambda w, t, u: services.activity_delete(user=u, activity=w.activity),
    "sheet_update": lambda w, t, u: services.sheet_update(
        user=u, organization=w.partner, summary="x", values={"quality": 90}
    ),
    "certificate_create": lambda w, t, u: services.certificate_create(
        user=u, organization=w.partner, kind="licence", title="Another", file=pdf("b.pdf")
    ),
    "certificate_update": lambda w, t, u: services.certificate_update(
        user=u, certificate=t["certificate"], title="Renamed"
    ),
    "certificate_delete": lambda w, t, u: services.certificate_delete(user=u, certificate=t["certificate"]),
}
ADMIN_SERVICES = {
    "organization_update": lambda w, t, u: services.organization_update(user=u, organization=w.partner, name="Renamed"),
    "membership_set_role": lambda w, t, u: services.membership_set_role(
        user=u, membership=t["viewer_membership"], role="editor"
    ),
    "membership_remove": lambda w, t, u: services.membership_remove(user=u, membership=t["viewer_membership"]),
    "invitation_create": lambda w, t, u: services.invitation_create(
        user=u, organization=w.partner, email="new@example.org", role="viewer"
    ),
    "invitation_revoke": lambda w, t, u: services.invitation_revoke(user=u, invitation=t["invitation"]),
    "share_create": lambda w, t, u: services.share_create(user=u, organization=w.partner, end_collector=w.unshared_ec),
    "share_delete": lambda w, t, u: services.share_delete(user=u, share=t["share"]),
}
WRITE_SERVICES = {**EDIT_SERVICES, **ADMIN_SERVICES}


def refused_with(exc_type, world, targets, who, service):
    call = WRITE_SERVICES[service]
    before = counts()
    with pytest.raises(exc_type):
        call(world, targets, world.user(who))
    assert counts() == before


@pytest.mark.parametrize("service", sorted(WRITE_SERVICES))
@pytest.mark.parametrize("who", ["viewer", "auditor", "shared_member"])
def test_readers_may_not_write(world, targets, who, service):
    """Viewers, auditors and the end collector the sheet is shared with can read, so they get 403, not 404."""
    refused_with(PermissionDenied, world, targets, who, service)


@pytest.mark.parametrize("service", sorted(WRITE_SERVICES))
@pytest.mark.parametrize("who", ["stranger", "unshared_member"])
def test_outsiders_get_404(world, targets, who, service):
    refused_with(Http404, world, targets, who, service)


@pytest.mark.parametrize("service", sorted(WRITE_SERVICES))
def test_anonymous_gets_404(world, targets, service):
    from django.contrib.auth.models import AnonymousUser

    before = counts()
    with pytest.raises(Http404):
        WRITE_SERVICES[service](world, targets, AnonymousUser())
    assert counts() == before


@pytest.mark.parametrize("service", sorted(ADMIN_SERVICES))
def test_editor_may_not_manage_members_shares_or_the_organisation(world, targets, service):
    refused_with(PermissionDenied, world, targets, "editor", service)


@pytest.mark.parametrize("service", sorted(EDIT_SERVICES))
def test_editor_may_change_the_data(world, targets, service):
    before = LogEntry.objects.count()
    EDIT_SERVICES[service](world, targets, world.editor)
    # one entry per change; deleting the facility also logs the deletion of its one activity
    assert LogEntry.objects.count() == before + (2 if service == "facility_delete" else 1)


@pytest.mark.parametrize("service", sorted(ADMIN_SERVICES))
def test_admin_may_manage_members_shares_and_the_organisation(world, targets, service):
    before = LogEntry.objects.count()
    ADMIN_SERVICES[service](world, targets, world.admin)
    assert LogEntry.objects.count() == before + 1


def test_editor_cannot_write_to_another_tenants_facility(world):
    """The check follows the object, not the organisation the caller claims."""
    foreign = Facility.objects.create(
        organization=world.other,
        name="Foreign yard",
        country="FR",
        latitude=Decimal("45"),
        longitude=Decimal("5"),
        is_sorter=True,
        capacity_t_per_year=Decimal("10"),
    )
    with pytest.raises(Http404):
        services.facility_update(user=world.editor, facility=foreign, name="Mine now")
    with pytest.raises(Http404):
        services.activity_create(user=world.editor, facility=foreign, **valid_activity())
    assert Facility.objects.get(pk=foreign.pk).name == "Foreign yard"
    assert not foreign.activities.exists()


# ---------------------------------------------------------------- the last admin


def admin_membership(world):
    return Membership.objects.get(user=world.admin, organization=world.partner)


def test_last_admin_cannot_be_demoted(world):
    before = counts()
    with pytest.raises(ApplicationError) as caught:
        services.membership_set_role(user=world.admin, membership=admin_membership(world), role="editor")
    assert caught.value.field_errors == {"role": ["This is the last admin."]}
    assert admin_membership(world).role == "admin"
    assert counts() == before


def test_last_admin_cannot_be_removed(world):
    before = counts()
    with pytest.raises(ApplicationError) as caught:
        services.membership_remove(user=world.admin, membership=admin_membership(world))
    assert caught.value.message == "An organisation needs at least one admin; name another admin first."
    assert admin_membership(world).role == "admin"
    assert counts() == before


def test_an_admin_can_step_down_once_there_is_another(world):
    services.membership_set_role(user=world.admin, membership=Membership.objects.get(user=world.editor), role="admin")
    services.membership_set_role(user=world.admin, membership=admin_membership(world), role="viewer")
    assert list(world.partner.memberships.filter(role="admin").values_list("user__username", flat=True)) == ["editor"]


def test_an_admin_who_stepped_down_loses_admin_rights_at_once(world):
    """The role cache on the user object must not outlive the change (same request, same user object)."""
    services.membership_set_role(user=world.admin, membership=Membership.objects.get(user=world.editor), role="admin")
    services.membership_set_role(user=world.admin, membership=admin_membership(world), role="viewer")
    with pytest.raises(PermissionDenied):
        services.share_create(user=world.admin, organization=world.partner, end_collector=world.unshared_ec)
    assert not SheetShare.objects.filter(end_collector=world.unshared_ec).exists()


def test_a_removed_admin_loses_access_at_once(world):
    services.membership_set_role(user=world.admin, membership=Membership.objects.get(user=world.editor), role="admin")
    services.membership_remove(user=world.admin, membership=admin_membership(world))
    with pytest.raises(Http404):
        services.facility_update(user=world.admin, facility=world.facility, name="Renamed")


def test_unknown_role_is_refused(world):
    with pytest.raises(ApplicationError) as caught:
        services.membership_set_role(
            user=world.admin, membership=Membership.objects.get(user=world.viewer), role="owner"
        )
    assert list(caught.value.field_errors) == ["role"]
    assert Membership.objects.get(user=world.viewer).role == "viewer"


# ---------------------------------------------------------------- sharing


def test_share_with_an_organisation_that_is_not_an_end_collector_is_refused(world):
    before = counts()
    with pytest.raises(ApplicationError) as caught:
        services.share_create(user=world.admin, organization=world.partner, end_collector=world.other)
    assert caught.value.field_errors == {"end_collector": ["Other Metals is not an end collector."]}
    assert counts() == before


def test_share_twice_is_refused(world):
    before = counts()
    with pytest.raises(ApplicationError) as caught:
        services.share_create(user=world.admin, organization=world.partner, end_collector=world.shared_ec)
    assert caught.value.field_errors == {"end_collector": ["Already shared."]}
    assert counts() == before


def test_end_collector_cannot_share_with_itself(world):
    before = counts()
    with pytest.raises(ApplicationError) as caught:
        services.share_create(user=world.shared_member, organization=world.shared_ec, end_collector=world.shared_ec)
    assert caught.value.field_errors == {"end_collector": ["That is you."]}
    assert counts() == before


# ---------------------------------------------------------------- invitations


def test_inviting_an_existing_users_email_makes_a_membership_at_once(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            user=world.admin, organization=world.partner, email="  Stranger@Example.com ", role="editor"
        )
    membership = Membership.objects.get(user=world.stranger, organization=world.partner)
    assert membership.role == "editor"
    invitation.refresh_from_db()
    assert invitation.email == "stranger@example.com"
    assert invitation.accepted_at is not None
    assert mailoutbox == []


def test_inviting_a_new_email_sends_one_email_on_commit(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = services.invitation_create(
            user=world.admin,
            organization=world.partner,
            email="newcomer@example.org",
            role="viewer",
            site_url="https://closeloop.test/",
        )
    assert mailoutbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["newcomer@example.org"]
    assert message.subject == "Invitation to Alu Collect on Closeloop"
    assert f"Accept: https://closeloop.test/invitations/{invitation.token}/" in message.body
    assert "as viewer" in message.body
    assert not Membership.objects.filter(user__email="newcomer@example.org").exists()
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_invitation_refused_for_a_member_or_an_open_invitation(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            user=world.admin, organization=world.partner, email="newcomer@example.org", role="viewer"
        )
        before = counts()
        with pytest.raises(ApplicationError) as member:
            services.invitation_create(
                user=world.admin, organization=world.partner, email="Viewer@example.com", role="viewer"
            )
        with pytest.raises(ApplicationError) as again:
            services.invitation_create(
                user=world.admin, organization=world.partner, email="NewComer@example.org", role="editor"
            )
    assert member.value.field_errors == {"email": ["Already a member."]}
    assert again.value.field_errors == {"email": ["Already invited."]}
    assert counts() == before
    assert len(mailoutbox) == 1


def test_invitation_with_a_bad_email_or_role_is_refused(world):
    before = counts()
    with pytest.raises(ValidationError) as bad_email:
        services.invitation_create(user=world.admin, organization=world.partner, email="not an address", role="viewer")
    with pytest.raises(ValidationError) as bad_role:
        services.invitation_create(user=world.admin, organization=world.partner, email="ok@example.org", role="owner")
    assert "email" in bad_email.value.message_dict
    assert "role" in bad_role.value.message_dict
    assert counts() == before


def test_accepting_with_a_user_of_another_email_is_refused(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            user=world.admin, organization=world.partner, email="newcomer@example.org", role="editor"
        )
    before = counts()
    with pytest.raises(ApplicationError) as caught:
        services.invitation_accept(user=world.stranger, token=invitation.token)
    assert caught.value.message == "This invitation is for newcomer@example.org; sign in with that address."
    assert counts() == before
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_accepting_twice_is_404(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            user=world.admin, organization=world.partner, email="newcomer@example.org", role="editor"
        )
    newcomer = make_user("newcomer")
    newcomer.email = "NewComer@Example.org"
    newcomer.save()
    membership = services.invitation_accept(user=newcomer, token=invitation.token)
    assert (membership.organization, membership.role) == (world.partner, "editor")
    before = counts()
    with pytest.raises(Http404):
        services.invitation_accept(user=newcomer, token=invitation.token)
    with pytest.raises(Http404):
        services.invitation_accept(user=newcomer, token="no-such-token")
    assert counts() == before


def test_accepted_invitation_gives_the_role_to_the_same_user_object(world, django_capture_on_commit_callbacks):
    newcomer = make_user("newcomer")
    newcomer.email = "newcomer@example.org"
    newcomer.save()
    # the newcomer looks around first: their roles get cached on the user object
    with pytest.raises(Http404):
        services.facility_update(user=newcomer, facility=world.facility, name="x")
    invitation = Invitation.objects.create(
        organization=world.partner, email="newcomer@example.org", role="editor", token="tok", invited_by=world.admin
    )
    services.invitation_accept(user=newcomer, token=invitation.token)
    services.facility_update(user=newcomer, facility=world.facility, name="Renamed by newcomer")
    assert Facility.objects.get(pk=world.facility.pk).name == "Renamed by newcomer"


# ---------------------------------------------------------------- organisations


def test_organisation_create_makes_the_creator_its_admin(world):
    org = services.organization_create(user=world.stranger, name="New Co", slug="new-co", country="FR")
    assert Membership.objects.get(organization=org).user == world.stranger
    assert Membership.objects.get(organization=org).role == "admin"
    assert org.sheet.summary == ""
    services.organization_update(user=world.stranger, organization=org, website="https://new.example.org")


def test_organisation_create_refuses_anonymous_and_a_taken_slug(world):
    from django.contrib.auth.models import AnonymousUser

    before = counts()
    with pytest.raises(PermissionDenied):
        services.organization_create(user=AnonymousUser(), name="New Co", slug="new-co")
    with pytest.raises(ValidationError) as caught:
        services.organization_create(user=world.stranger, name="Another Alu", slug="alu-collect")
    assert "slug" in caught.value.message_dict
    assert counts() == before


def test_unknown_field_is_refused(world):
    before = counts()
    with pytest.raises(ApplicationError) as caught:
        services.facility_update(user=world.editor, facility=world.facility, organization=world.other)
    assert caught.value.message == "Unknown fields: organization."
    assert counts() == before
    assert Facility.objects.get(pk=world.facility.pk).organization == world.partner


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="row locks need PostgreSQL; this run uses another database",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_admins_demoting_each_other_at_once_leave_one_admin(world):
    """Two requests at the same time, each demoting the other admin: the second waits for the first, then is refused.

    Needs real transactions on two connections, so PostgreSQL only (SQLite locks the whole file instead)."""
    import threading

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    User = get_user_model()
    second = make_user("second_admin")
    Membership.objects.create(user=second, organization=world.partner, role="admin")
    first_pk, second_pk = admin_membership(world).pk, Membership.objects.get(user=second).pk
    first_holds_lock, let_first_commit = threading.Event(), threading.Event()
    results = {}

    def first():  # admin demotes second_admin, and keeps its transaction open for a while
        try:
            with transaction.atomic():
                services.membership_set_role(
                    user=User.objects.get(username="admin"),
                    membership=Membership.objects.get(pk=second_pk),
                    role="viewer",
                )
                first_holds_lock.set()
                let_first_commit.wait(10)
            results["first"] = "done"
        except Exception as exc:  # pragma: no cover - reported by the assertions below
            results["first"] = exc
        finally:
            first_holds_lock.set()
            connection.close()

    def second_request():  # meanwhile second_admin demotes admin
        try:
            services.membership_set_role(
                user=User.objects.get(username="second_admin"),
                membership=Membership.objects.get(pk=first_pk),
                role="viewer",
            )
            results["second"] = "done"
        except Exception as exc:
            results["second"] = exc
        finally:
            connection.close()

    a = threading.Thread(target=first)
    b = threading.Thread(target=second_request)
    a.start()
    assert first_holds_lock.wait(10)
    b.start()
    b.join(1.0)
    second_waited = b.is_alive()
    let_first_commit.set()
    a.join(10)
    b.join(10)
    assert results["first"] == "done"
    assert isinstance(results["second"], ApplicationError), results["second"]
    assert second_waited
    assert list(
        Membership.objects.filter(organization=world.partner, role="admin").values_list("user__username", flat=True)
    ) == ["admin"]


def test_an_auditor_does_not_create_organisations(world):
    """Auditors read and change nothing: the auditor (who holds no other role) is refused and nothing is written;
    once they also edit somewhere, founding an organisation of their own is theirs to do again."""
    before = counts()
    with pytest.raises(PermissionDenied) as caught:
        services.organization_create(user=world.auditor, name="Audit Co", slug="audit-co")
    assert str(caught.value) == "Auditors read and change nothing, so they do not create organisations."
    assert counts() == before
    Membership.objects.create(user=world.auditor, organization=world.other, role="editor")
    access.forget_roles(world.auditor)
    org = services.organization_create(user=world.auditor, name="Audit Co", slug="audit-co")
    assert Membership.objects.get(organization=org).role == "admin"


def test_a_newcomer_without_any_membership_founds_their_first_organisation(db):
    newcomer = make_user("newcomer")
    org = services.organization_create(user=newcomer, name="Fresh Co", slug="fresh-co")
    assert org.memberships.get().user == newcomer
