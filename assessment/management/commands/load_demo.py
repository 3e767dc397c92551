"""`manage.py load_demo`: load the aluminium demo case and print the persona logins.

First the partners' world (partners/demo.py: the forge, 20 partners, the personas), then the demo study with its two
scenarios (scenarios/demo.py), then the decision aid's criteria set and ranking of collectors (assessment/demo.py).
The command lives in `assessment` because it needs every app and imports point one way (assessment -> scenarios ->
partners). Everything is written in one transaction: if any part fails, nothing is written.

Safe to run again: when the demo is there it only resets the personas' passwords and prints the logins.
The password is DEMO_PASSWORD from the environment, "closeloop-demo" by default. For demo and development
databases: the personas get a known password.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from django.http import Http404

from assessment import demo as decisions_demo
from assessment import inputs
from partners import demo
from partners.errors import ApplicationError
from partners.models import Facility, Organization, SheetShare
from scenarios import demo as study_demo
from scenarios import network


def _describe(exc: Exception) -> str:
    if isinstance(exc, ApplicationError):
        details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.field_errors.items())
        return f"{exc.message} ({details})" if details else exc.message
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
        return " ".join(exc.messages)
    if isinstance(exc, DatabaseError):
        return f"{exc} (has `manage.py migrate` been run on this database?)"
    return str(exc) or exc.__class__.__name__


def _tonnes(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".")


class Command(BaseCommand):
    help = (
        "Load the aluminium demo case: the Aluforge forge (end collector), 20 partner companies sharing their "
        "sheets with it, the personas editor, admin and auditor, and a study of the forge's control arm with "
        "two scenarios and an AHP ranking of its candidate collectors. Running it again only resets the personas' "
        "passwords (DEMO_PASSWORD, default closeloop-demo)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Load even when DEBUG is off (the personas get a published password)."
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: this looks like a production database. The demo personas get a "
                "published password; pass --force if this really is a demo installation."
            )
        try:
            with transaction.atomic():
                result = demo.load_demo()
                study = study_demo.load_study()
                decided = decisions_demo.load_decisions(study.study if study.created else None)
        except (ApplicationError, ValidationError, PermissionDenied, Http404, DatabaseError) as exc:
            raise CommandError(f"Could not load the demo data, nothing was written: {_describe(exc)}") from exc

        if result.created:
            forge = Organization.objects.get(slug=demo.END_COLLECTOR["slug"])
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the aluminium demo case: {Organization.objects.count()} organisations, "
                    f"{Facility.objects.count()} facilities, {SheetShare.objects.filter(end_collector=forge).count()} "
                    f"sheets shared with {forge.name}."
                )
            )
        elif study.created:
            self.stdout.write("The demo partners were already loaded; persona passwords were reset.")
        else:
            self.stdout.write("The demo data is already loaded; nothing was added. Persona passwords were reset.")
        if study.created:
            self._describe_study(study)
            if decided.ranking is not None:
                self._describe_ranking(decided.ranking)
        elif study.skipped:
            self.stderr.write(f"The demo study was not added: {study.skipped}.")

        self.stdout.write("Sign in as:")
        for user in result.personas:
            roles = ", ".join(
                f"{m.get_role_display().lower()} of {m.organization.name}"
                for m in user.memberships.select_related("organization").order_by("organization__name")
            )
            self.stdout.write(
                f"  {user.get_username()} / {result.password}  ({user.get_full_name()}: {roles or 'no membership'})"
            )
        missing = {name for name, _, _ in demo.PERSONAS} - {u.get_username() for u in result.personas}
        for name in sorted(missing):
            self.stderr.write(
                f"  {name}: this persona's user was deleted; reload into an empty database to get it back."
            )

    def _describe_study(self, study) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f'Added the study "{study.study.name}" (needs {_tonnes(float(study.study.required_t_per_year))} '
                f"t/year of {study.study.product_material.name}) with {len(study.scenarios)} scenarios:"
            )
        )
        product_t = float(study.study.product_t_per_year)
        for scenario in study.scenarios:
            flows = network.flows(scenario)
            self.stdout.write(
                f"  {scenario} ({scenario.get_status_display().lower()}): {scenario.nodes.count()} nodes, "
                f"delivers {_tonnes(flows.delivered_t)} t/year, {flows.delivered_t / product_t:.0%} recycled content"
            )
            try:  # the two cost views, as an assessment would give them now (nothing is stored)
                views = inputs.compute(inputs.snapshot(scenario))["cost_views"]
            except ValueError:
                continue
            if views["network_eur_per_t"] is not None and views["end_collector_eur_per_t"] is not None:
                self.stdout.write(
                    f"    network cost {views['network_eur_per_t']:,.0f} EUR per tonne delivered; the end collector's "
                    f"cost {views['end_collector_eur_per_t']:,.0f} EUR per tonne"
                )

    def _describe_ranking(self, ranking) -> None:
        winner = ranking.result["winner"]
        self.stdout.write(
            f'  AHP: criteria set "{ranking.criteria_set.name}" ({", ".join(ranking.result["labels"])}); '
            f"{len(ranking.result['candidates'])} collectors of {ranking.material.name.lower()} ranked, "
            f"first: {winner['label']}, score {winner['score']:.3f}"
        )
