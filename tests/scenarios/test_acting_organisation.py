"""Opening a study one is invited into keeps the organisation one acts for.

world.editor edits Alu Collect; here they also edit Sort & Melt, and Forge Works' study invites both. Alu Collect
comes first among the study's candidates (ordered by name), so the page used to act for Alu Collect whichever
organisation's Studies page the study was opened from.
"""

import re

import pytest
from django.contrib.messages import get_messages

from partners.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_hats(net):
    Membership.objects.create(user=net.world.editor, organization=net.sort_melt, role="editor")
    return net


def _invited_link(client, slug: str) -> str:
    page = client.get(f"/o/{slug}/studies/").content.decode()
    table = page[page.index('id="invited-table"') :]
    return re.search(r'<a href="([^"]+)">Control arm</a>', table).group(1).replace("&amp;", "&")


def test_opening_an_invited_study_from_sort_and_melt_keeps_acting_for_sort_and_melt(two_hats, client_for):
    """From Sort & Melt's Studies page the study page acts for Sort & Melt: its navigation, its role line and the
    invitation notice name Sort & Melt, not Alu Collect (the first candidate)."""
    client = client_for(two_hats.world.editor)
    link = _invited_link(client, "sort-melt")
    response = client.get(link)
    assert response.status_code == 200
    assert response.context["org"] == two_hats.sort_melt
    page = response.content.decode()
    assert "Forge Works has invited Sort &amp; Melt into this study." in page
    assert 'href="/o/sort-melt/studies/"' in page and 'href="/o/alu-collect/studies/"' not in page
    assert not [m.message for m in get_messages(response.wsgi_request)]


def test_opening_it_from_alu_collect_acts_for_alu_collect(two_hats, client_for):
    client = client_for(two_hats.world.editor)
    response = client.get(_invited_link(client, "alu-collect"))
    assert response.context["org"] == two_hats.world.partner
    assert "Forge Works has invited Alu Collect into this study." in response.content.decode()


def test_without_the_organisation_the_page_says_whom_it_acts_for(two_hats, client_for):
    """A bare link (a bookmark, the API's URL) picks the first candidate, Alu Collect, and says so, naming the
    other organisation the user could act for."""
    response = client_for(two_hats.world.editor).get(f"/studies/{two_hats.study.pk}/")
    assert response.context["org"] == two_hats.world.partner
    assert (
        "You are reading this study as Alu Collect; it also invites Sort &amp; Melt, which you belong to."
        in response.content.decode()
    )


def test_one_invited_organisation_needs_no_message(net, client_for):
    response = client_for(net.world.editor).get(f"/studies/{net.study.pk}/")
    assert response.context["org"] == net.world.partner
    assert not [m.message for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("slug", ["other-metals", "press-co", "forge-works", "no-such-org"])
def test_an_organisation_one_may_not_act_for_is_ignored(two_hats, client_for, slug):
    """?org= names an organisation, it grants nothing: one not invited, not one's own, or the end collector the
    user is not a member of leaves the page acting for the first invited organisation of the user's."""
    response = client_for(two_hats.world.editor).get(f"/studies/{two_hats.study.pk}/?org={slug}")
    assert response.status_code == 200
    assert response.context["org"] == two_hats.world.partner
