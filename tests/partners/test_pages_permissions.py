"""Permission table over every HTML page of the partners app.

Actors (tests/conftest.py): the partner's admin, editor, viewer and auditor; a member of another partner
(stranger); a member of an end collector the partner shares with (shared_member) and of one it does not share
with (unshared_member); and an anonymous visitor, who is sent to the login page.
"""

import pytest

from partners.models import Certificate, Invitation
from tests.partners.files import TINY_PDF

ACTORS = ["admin", "editor", "viewer", "auditor", "stranger", "shared_member", "unshared_member", "anonymous"]
LOGIN = "login"

# Expected status per actor, in ACTORS order.
READ = [200, 200, 200, 200, 404, 200, 404, LOGIN]  # what a shared end collector may read
MEMBERS = [200, 200, 200, 200, 404, 404, 404, LOGIN]  # members only
EDIT = [200, 200, 403, 403, 404, 403, 404, LOGIN]  # editors and admins; shared readers see 403
EDIT_DONE = [302, 302, 403, 403, 404, 403, 404, LOGIN]
ADMIN_DONE = [302, 403, 403, 403, 404, 404, 404, LOGIN]
EC_MEMBERS = [404, 404, 404, 404, 404, 200, 404, LOGIN]  # the shared end collector's own partners page
# Anyone signed in founds an organisation, except an auditor (the auditor here holds no other role).
FOUND = [200, 200, 200, 403, 200, 200, 200, LOGIN]
FOUND_DONE = [302, 302, 302, 403, 302, 302, 302, LOGIN]

PAGES = [
    # (method, url template, expected row)
    ("get", "/o/alu-collect/", READ),
    ("get", "/o/alu-collect/facilities/", READ),
    ("get", "/o/alu-collect/facilities/{facility}/", READ),
    ("get", "/o/alu-collect/certificates/{certificate}/file/", READ),
    ("get", "/o/alu-collect/history/", MEMBERS),
    ("get", "/o/alu-collect/members/", MEMBERS),
    ("get", "/o/alu-collect/sharing/", MEMBERS),
    ("get", "/o/alu-collect/sheet/edit/", EDIT),
    ("get", "/o/alu-collect/certificates/new/", EDIT),
    ("get", "/o/alu-collect/facilities/new/", EDIT),
    ("get", "/o/alu-collect/facilities/{facility}/edit/", EDIT),
    ("get", "/o/alu-collect/facilities/{facility}/delete/", EDIT),
    ("get", "/o/alu-collect/facilities/{facility}/activities/new/", EDIT),
    ("get", "/o/alu-collect/activities/{activity}/edit/", EDIT),
    ("post", "/o/alu-collect/facilities/{facility}/delete/", EDIT_DONE),
    ("post", "/o/alu-collect/activities/{activity}/delete/", EDIT_DONE),
    ("post", "/o/alu-collect/certificates/{certificate}/delete/", EDIT_DONE),
    ("post", "/o/alu-collect/members/{viewer_membership}/role/", ADMIN_DONE),
    ("post", "/o/alu-collect/members/{viewer_membership}/remove/", ADMIN_DONE),
    ("post", "/o/alu-collect/members/", ADMIN_DONE),
    ("post", "/o/alu-collect/invitations/{invitation}/revoke/", ADMIN_DONE),
    ("post", "/o/alu-collect/sharing/", ADMIN_DONE),
    ("post", "/o/alu-collect/sharing/{share}/revoke/", ADMIN_DONE),
    ("get", "/o/forge-works/partners/", EC_MEMBERS),
    ("get", "/organizations/new/", FOUND),
    ("post", "/organizations/new/", FOUND_DONE),
]

POST_DATA = {
    "/role/": {"role": "editor"},
    "/members/": {"email": "new.person@example.com", "role": "viewer"},
    "/sharing/": {"end_collector": "press-co"},
    "/organizations/new/": {"name": "New Co", "slug": "new-co", "country": "FR"},
}


def _cases():
    for method, url, row in PAGES:
        for actor, expected in zip(ACTORS, row):
            yield pytest.param(method, url, actor, expected, id=f"{method} {url} {actor}")


@pytest.fixture
def ids(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    certificate = Certificate.objects.create(
        organization=world.partner,
        kind="iso14001",
        title="ISO 14001",
        content_type="application/pdf",
        size_bytes=len(TINY_PDF),
        file=SimpleUploadedFile("iso.pdf", TINY_PDF),
    )
    invitation = Invitation.objects.create(
        organization=world.partner, email="later@example.com", role="viewer", token="t0ken"
    )
    return {
        "facility": world.facility.pk,
        "activity": world.activity.pk,
        "certificate": certificate.pk,
        "viewer_membership": world.partner.memberships.get(user=world.viewer).pk,
        "invitation": invitation.pk,
        "share": world.partner.shares_given.get().pk,
    }


@pytest.mark.parametrize("method,url,actor,expected", list(_cases()))
def test_page_permissions(world, ids, client_for, method, url, actor, expected):
    client = client_for(world.user(actor))
    path = url.format(**ids)
    data = next((d for key, d in POST_DATA.items() if path.endswith(key)), {})
    response = getattr(client, method)(path, data)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:300]


def test_a_refused_auditor_founds_nothing(world, client_for):
    """The auditor's POST to the new-organisation page is refused before the form is read: no organisation, no
    membership, no history entry."""
    from partners.models import LogEntry, Membership, Organization

    before = (Organization.objects.count(), Membership.objects.count(), LogEntry.objects.count())
    response = client_for(world.auditor).post("/organizations/new/", {"name": "Audit Co", "slug": "audit-co"})
    assert response.status_code == 403
    assert (Organization.objects.count(), Membership.objects.count(), LogEntry.objects.count()) == before


@pytest.mark.parametrize("actor, shown", [("admin", True), ("editor", True), ("viewer", True), ("auditor", False)])
def test_the_new_organisation_links_show_to_those_who_may_found_one(world, client_for, actor, shown):
    """The organisation menu and the home page offer "New organisation" to everyone but the auditor."""
    client = client_for(world.user(actor))
    for path in ("/o/alu-collect/", "/"):
        page = client.get(path, follow=True).content.decode()
        assert ('href="/organizations/new/"' in page) is shown, path
