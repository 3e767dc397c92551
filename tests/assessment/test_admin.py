"""The assessment in the admin: staff edit the factor library (unit checked), and see only their own end
collectors' runs, read-only."""

import pytest

from assessment import services
from assessment.models import AssessmentRun, Factor
from tests.scenarios.conftest import build_network

pytestmark = pytest.mark.django_db


def _staff(user, superuser=False):
    user.is_staff = True
    user.is_superuser = superuser
    user.save()
    return user


def test_staff_edit_a_factor_and_a_wrong_unit_is_refused(net, library, client):
    client.force_login(_staff(net.ec_admin, superuser=True))
    factor = Factor.objects.get(library=library, code="transport.cost.road")
    url = f"/admin/assessment/factorlibrary/{library.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "transport.cost.road" in page.content.decode()
    factor.unit = "EUR/km"
    with pytest.raises(Exception, match="transport.cost.road is given in EUR/tkm"):
        factor.full_clean()


def test_runs_are_listed_for_members_only_and_read_only(net, library, client, django_capture_on_commit_callbacks):
    scenario, _, _ = build_network(net)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.assessment_request(user=net.ec_editor, scenario=scenario)
    client.force_login(_staff(net.ec_viewer))
    listing = client.get("/admin/assessment/assessmentrun/")
    link = f"/admin/assessment/assessmentrun/{run.pk}/change/"
    assert listing.status_code == 200 and link in listing.content.decode()
    assert client.post(f"/admin/assessment/assessmentrun/{run.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AssessmentRun.objects.filter(pk=run.pk).exists()
    client.force_login(_staff(net.world.unshared_member))
    assert link not in client.get("/admin/assessment/assessmentrun/").content.decode()
