"""`manage.py optimize --relog FILE [--json]`: solve a RELOG plant-location file with the network optimiser.

Reads the file with assessment.relog (RELOG versions 0.5 to 0.7; --relog-version sets how distances are rounded:
2 decimals in 0.5, 3 from 0.6), solves it with assessment.optimize and prints the result: with --json, the report
of assessment.relog.report (status, total_cost, cost_per_period, cost parts, and per plant location whether it is
open, its capacity and the tonnes processed, stored and disposed per period); without it, a short summary. Money
is in the file's unit (RELOG: $). Touches no database.

Standard output carries the result only: whatever the solver prints (HiGHS writes its banner from C++ when a
solver is made, before an option can silence it) goes to standard error, so `--json` prints one JSON document.

A missing or malformed file stops with the importer's message naming the place. A model without a network
(infeasible, unbounded, time limit before any network) prints its report and the explanation, and exits non-zero.
"""

import contextlib
import ctypes
import json
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from assessment import optimize, relog


def _flush_c_stdout() -> None:
    try:
        ctypes.CDLL(None).fflush(None)  # the C library's buffers, where the solver's printf output waits
    except (OSError, AttributeError):  # no C library to reach (not POSIX): nothing buffered there to flush
        pass


@contextlib.contextmanager
def _solver_output_to_stderr():
    """Point file descriptor 1 at standard error while the solver runs (it writes from C++, past sys.stdout)."""
    try:
        stdout_fd, stderr_fd = sys.__stdout__.fileno(), sys.__stderr__.fileno()
    except (AttributeError, OSError, ValueError):  # no real standard streams (embedded): nothing to redirect
        yield
        return
    sys.__stdout__.flush()
    _flush_c_stdout()
    saved = os.dup(stdout_fd)
    try:
        os.dup2(stderr_fd, stdout_fd)
        yield
    finally:
        _flush_c_stdout()
        os.dup2(saved, stdout_fd)
        os.close(saved)


class Command(BaseCommand):
    help = "Solve a RELOG plant-location file (JSON) with the network optimiser and print the result."

    def add_arguments(self, parser):
        parser.add_argument("--relog", required=True, metavar="FILE", help="RELOG input file (JSON, 0.5 to 0.7)")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument(
            "--relog-version",
            default="0.7",
            choices=relog.VERSIONS,
            help="RELOG version the file is for (distance rounding); default 0.7",
        )
        parser.add_argument("--objective", default="cost", choices=("cost", "co2e"), help="default: cost")
        parser.add_argument("--time-limit", type=float, default=60.0, metavar="S", help="seconds; default 60")
        parser.add_argument("--gap", type=float, default=1e-4, help="relative MIP gap; default 0.0001")

    def handle(self, *args, **options):
        if options["time_limit"] <= 0 or not 0 <= options["gap"] < 1:
            raise CommandError("--time-limit must be > 0 and --gap between 0 and 1")
        try:
            case = relog.load(options["relog"], version=options["relog_version"])
            with _solver_output_to_stderr():
                solution = optimize.solve(
                    case.network,
                    objective=options["objective"],
                    options=optimize.Options(time_limit_s=options["time_limit"], mip_rel_gap=options["gap"]),
                )
        except (relog.RelogError, optimize.ModelError) as exc:
            raise CommandError(str(exc)) from None
        except RuntimeError as exc:  # HiGHS refusing a model the importer let through: say so, without a traceback
            raise CommandError(f"The solver could not take this file's model ({exc}).") from None
        report = relog.report(case, solution)
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(self._summary(report))
        if not solution.has_network:
            raise CommandError("; ".join(solution.explanation) or solution.message)

    @staticmethod
    def _summary(report: dict) -> str:
        lines = [f"status: {report['status']} ({report['message']})"]
        if "total_cost" not in report:
            return "\n".join(lines + [f"  {line}" for line in report["explanation"]])
        per = ", ".join(f"{c:,.2f}" for c in report["cost_per_period"])
        gap = "unknown" if report["gap"] is None else f"{report['gap']:.4%}"
        lines.append(
            f"total cost: {report['total_cost']:,.2f} (per period: {per}); gap {gap}; "
            f"solved in {report['solve_time_s']:.3f} s"
        )
        for plant, locations in report["plants"].items():
            for location, p in locations.items():
                if any(p["open"]):
                    year = p["opened_in_year"]
                    opened = "already open" if year == 0 else f"opens in year {year}"
                    processed = ", ".join(f"{x:,.6g}" for x in p["processed_t"])
                    lines.append(
                        f"  {plant} at {location}: {opened}, capacity {p['capacity_t'][-1]:,.6g} t, "
                        f"processed {processed} t"
                    )
        lines += [f"note: {n}" for n in report["notes"]]
        return "\n".join(lines)
