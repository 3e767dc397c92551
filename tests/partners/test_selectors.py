"""Tenant isolation in the selectors: who reads what, and 404 for everything else."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from partners import selectors, services
from partners.models import Certificate, Facility, Invitation, LogEntry, Membership, SheetShare

MEMBERS = ["admin", "editor", "viewer", "auditor"]
OUTSIDERS = ["stranger", "unshared_member", "anonymous"]


def actor(world, who):
    return AnonymousUser() if who == "anonymous" else world.user(who)


@pytest.fixture
def rich_world(world):
    """The world plus a certificate, a criterion value, a log entry and a facility for the other tenant."""
    Certificate.objects.create(
        organization=world.partner,
        kind="licence",
        title="Permit",
        file="certificates/p.pdf",
        content_type="application/pdf",
        size_bytes=10,
    )
    services.sheet_update(
        user=world.editor, organization=world.partner, summary="Alu dismantling", values={"quality": 97}
    )
    Facility.objects.create(
        organization=world.other,
        name="Lyon yard",
        country="FR",
        latitude=Decimal("45.76"),
        longitude=Decimal("4.83"),
        is_sorter=True,
        capacity_t_per_year=Decimal("800"),
    )
    Invitation.objects.create(
        organization=world.partner, email="pending@example.org", token="t1", invited_by=world.admin
    )
    return world


# ---------------------------------------------------------------- the partner's data


READABLE = {
    "facility_list": lambda w, u: selectors.facility_list(user=u, organization=w.partner),
    "activity_list": lambda w, u: selectors.activity_list(user=u, organization=w.partner),
    "sheet_get": lambda w, u: selectors.sheet_get(user=u, organization=w.partner),
    "criterion_value_list": lambda w, u: selectors.criterion_value_list(user=u, organization=w.partner),
    "certificate_list": lambda w, u: selectors.certificate_list(user=u, organization=w.partner),
    "organization_get": lambda w, u: selectors.organization_get(user=u, slug="alu-collect"),
}
MEMBERS_ONLY = {
    "share_list": lambda w, u: selectors.share_list(user=u, organization=w.partner),
    "membership_list": lambda w, u: selectors.membership_list(user=u, organization=w.partner),
    "invitation_list": lambda w, u: selectors.invitation_list(user=u, organization=w.partner),
    "log_entry_list": lambda w, u: selectors.log_entry_list(user=u, organization=w.partner),
}


@pytest.mark.parametrize("name", sorted(READABLE) + sorted(MEMBERS_ONLY))
@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404(rich_world, who, name):
    call = {**READABLE, **MEMBERS_ONLY}[name]
    with pytest.raises(Http404):
        call(rich_world, actor(rich_world, who))


@pytest.mark.parametrize("name", sorted(MEMBERS_ONLY))
def test_shared_end_collector_does_not_see_members_shares_or_history(rich_world, name):
    with pytest.raises(Http404):
        MEMBERS_ONLY[name](rich_world, rich_world.shared_member)


@pytest.mark.parametrize("who", MEMBERS + ["shared_member"])
def test_members_and_the_shared_end_collector_read_the_partners_data(rich_world, who):
    w, user = rich_world, actor(rich_world, who)
    assert [f.name for f in selectors.facility_list(user=user, organization=w.partner)] == ["Stuttgart yard"]
    assert [str(a) for a in selectors.activity_list(user=user, organization=w.partner)] == [
        "Dismantling at Stuttgart yard"
    ]
    assert selectors.sheet_get(user=user, organization=w.partner).summary == "Alu dismantling"
    assert [(v.criterion.code, v.value) for v in selectors.criterion_value_list(user=user, organization=w.partner)] == [
        ("quality", Decimal("97"))
    ]
    assert [c.title for c in selectors.certificate_list(user=user, organization=w.partner)] == ["Permit"]
    assert selectors.organization_get(user=user, slug="alu-collect") == w.partner


@pytest.mark.parametrize("who", MEMBERS)
def test_members_see_shares_members_invitations_and_history(rich_world, who):
    w, user = rich_world, actor(rich_world, who)
    assert [s.end_collector.slug for s in selectors.share_list(user=user, organization=w.partner)] == ["forge-works"]
    assert sorted(m.user.username for m in selectors.membership_list(user=user, organization=w.partner)) == sorted(
        MEMBERS
    )
    assert [i.email for i in selectors.invitation_list(user=user, organization=w.partner)] == ["pending@example.org"]
    assert [e.action for e in selectors.log_entry_list(user=user, organization=w.partner)] == ["sheet.changed"]


def test_lists_hold_only_the_organisations_rows(rich_world):
    """The other tenant's facility, log and members never leak into the partner's lists (and the reverse)."""
    w = rich_world
    assert list(selectors.facility_list(user=w.stranger, organization=w.other).values_list("name", flat=True)) == [
        "Lyon yard"
    ]
    assert list(selectors.activity_list(user=w.stranger, organization=w.other)) == []
    assert list(selectors.certificate_list(user=w.stranger, organization=w.other)) == []
    assert list(selectors.log_entry_list(user=w.stranger, organization=w.other)) == []
    assert [m.user.username for m in selectors.membership_list(user=w.stranger, organization=w.other)] == ["stranger"]
    assert list(selectors.facility_list(user=w.admin, organization=w.partner).values_list("name", flat=True)) == [
        "Stuttgart yard"
    ]


# ---------------------------------------------------------------- single objects by id


def test_objects_of_another_tenant_are_404_even_by_id(rich_world):
    w = rich_world
    lyon = Facility.objects.get(name="Lyon yard")
    certificate = Certificate.objects.get(title="Permit")
    share = SheetShare.objects.get(organization=w.partner)
    stranger_membership = Membership.objects.get(user=w.stranger)
    # the partner's admin asks for the other tenant's rows through its own organisation
    with pytest.raises(Http404):
        selectors.facility_get(user=w.admin, organization=w.partner, pk=lyon.pk)
    with pytest.raises(Http404):
        selectors.membership_get(user=w.admin, organization=w.partner, pk=stranger_membership.pk)
    # the stranger asks for the partner's rows through the stranger's own organisation
    with pytest.raises(Http404):
        selectors.facility_get(user=w.stranger, organization=w.other, pk=w.facility.pk)
    with pytest.raises(Http404):
        selectors.activity_get(user=w.stranger, organization=w.other, pk=w.activity.pk)
    with pytest.raises(Http404):
        selectors.certificate_get(user=w.stranger, organization=w.other, pk=certificate.pk)
    with pytest.raises(Http404):
        selectors.share_get(user=w.stranger, organization=w.other, pk=share.pk)
    # ... and the rightful reader gets them
    assert selectors.facility_get(user=w.shared_member, organization=w.partner, pk=w.facility.pk) == w.facility
    assert selectors.certificate_get(user=w.shared_member, organization=w.partner, pk=certificate.pk) == certificate


@pytest.mark.parametrize("pk", ["abc", "", None, 10**12])
def test_bad_ids_are_404(world, pk):
    with pytest.raises(Http404):
        selectors.facility_get(user=world.admin, organization=world.partner, pk=pk)
    with pytest.raises(Http404):
        selectors.activity_get(user=world.admin, organization=world.partner, pk=pk)


def test_organization_get_unknown_slug_is_404(world):
    with pytest.raises(Http404):
        selectors.organization_get(user=world.admin, slug="no-such-org")


# ---------------------------------------------------------------- directories


@pytest.mark.parametrize(
    "who, slugs",
    [
        ("admin", {"alu-collect"}),
        ("editor", {"alu-collect"}),
        ("viewer", {"alu-collect"}),
        ("auditor", {"alu-collect"}),
        ("stranger", {"other-metals"}),
        ("shared_member", {"forge-works", "alu-collect"}),
        ("unshared_member", {"press-co"}),
        ("anonymous", set()),
    ],
)
def test_organization_readable_list(world, who, slugs):
    listed = list(selectors.organization_readable_list(user=actor(world, who)).values_list("slug", flat=True))
    assert len(listed) == len(slugs)  # no duplicates from the two joins
    assert set(listed) == slugs


def test_organization_readable_list_has_no_duplicates_for_a_member_of_two_end_collectors(world):
    """A partner sharing with two end collectors the user belongs to is listed once."""
    SheetShare.objects.create(organization=world.partner, end_collector=world.unshared_ec)
    Membership.objects.create(user=world.shared_member, organization=world.unshared_ec, role="viewer")
    listed = list(selectors.organization_readable_list(user=world.shared_member).values_list("slug", flat=True))
    assert sorted(listed) == ["alu-collect", "forge-works", "press-co"]


@pytest.mark.parametrize(
    "who, slugs",
    [
        ("admin", ["alu-collect"]),
        ("shared_member", ["forge-works"]),
        ("stranger", ["other-metals"]),
        ("anonymous", []),
    ],
)
def test_organization_list_is_own_organisations_only(world, who, slugs):
    assert list(selectors.organization_list(user=actor(world, who)).values_list("slug", flat=True)) == slugs


def test_shared_facility_list_for_the_shared_end_collector(rich_world):
    w = rich_world
    facilities = list(selectors.shared_facility_list(user=w.shared_member, end_collector=w.shared_ec))
    assert facilities == [w.facility]
    assert [o.slug for o in selectors.sharing_partner_list(user=w.shared_member, end_collector=w.shared_ec)] == [
        "alu-collect"
    ]


def test_shared_facility_list_for_an_end_collector_without_shares_is_empty(world):
    assert list(selectors.shared_facility_list(user=world.unshared_member, end_collector=world.unshared_ec)) == []
    assert list(selectors.sharing_partner_list(user=world.unshared_member, end_collector=world.unshared_ec)) == []


@pytest.mark.parametrize("who", ["unshared_member", "admin", "stranger", "anonymous"])
def test_shared_facility_list_is_for_the_end_collectors_members_only(world, who):
    with pytest.raises(Http404):
        selectors.shared_facility_list(user=actor(world, who), end_collector=world.shared_ec)
    with pytest.raises(Http404):
        selectors.sharing_partner_list(user=actor(world, who), end_collector=world.shared_ec)


def test_ending_the_share_ends_the_end_collectors_access(world):
    services.share_delete(user=world.admin, share=SheetShare.objects.get(organization=world.partner))
    with pytest.raises(Http404):
        selectors.facility_list(user=world.shared_member, organization=world.partner)
    with pytest.raises(Http404):
        selectors.sheet_get(user=world.shared_member, organization=world.partner)
    assert list(selectors.shared_facility_list(user=world.shared_member, end_collector=world.shared_ec)) == []
    assert set(selectors.organization_readable_list(user=world.shared_member).values_list("slug", flat=True)) == {
        "forge-works"
    }


def test_log_entries_are_newest_first(world):
    for capacity in ("1300", "1400"):
        services.facility_update(user=world.editor, facility=world.facility, capacity_t_per_year=capacity)
    entries = list(selectors.log_entry_list(user=world.viewer, organization=world.partner))
    assert [e.changes for e in entries] == [
        {"capacity_t_per_year": ["1300", "1400"]},
        {"capacity_t_per_year": ["1200", "1300"]},
    ]
    assert LogEntry.objects.filter(organization=world.other).count() == 0
