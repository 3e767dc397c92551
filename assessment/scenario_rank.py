"""The scenario-ranking form of a criteria set's page: per criterion of the set, in its order, the scenarios' local
scores come from their indicator values or from the user's pairwise judgements of the scenarios (Saaty's scale,
1/9 to 9). The page shows one matrix per criterion over every scenario of the study, in the order of the list
(static/closeloop/ahp.js hides the rows and columns of the scenarios not chosen and shows each matrix's CR as it is
filled); the ranking takes the sub-matrix of the chosen scenarios and hands it to
`decisions.scenario_ranking_create`, which checks it again, as it does for the API."""

from partners.errors import ApplicationError

from . import ahp
from .forms import JudgementForm


def prefix(k: int) -> str:
    """The form prefix of the k-th criterion's matrix (criterion codes hold dots, which CSS selectors dislike)."""
    return f"rank{k}"


def matrices(data, criteria: list[tuple[str, str]], scenarios) -> list[dict]:
    """One JudgementForm per criterion over all the scenarios listed; bound only when the browser sent that
    matrix (a matrix hidden because its criterion is scored from the values is disabled, so not sent)."""
    names = [str(s) for s in scenarios]
    sent = {key.split("-a_")[0] for key in data} if data is not None else set()
    return [
        {
            "code": code,
            "label": label,
            "index": k,
            "prefix": prefix(k),
            "table_id": f"rank-matrix-{k}",
            "form": JudgementForm(data if prefix(k) in sent else None, n=len(names), prefix=prefix(k), labels=names),
        }
        for k, (code, label) in enumerate(criteria)
    ]


def local_matrices(form, matrices_: list[dict]) -> dict | None:
    """The pairwise matrices of the chosen scenarios, per criterion judged pairwise (criterion code -> matrix in
    the order of `form.chosen()`); None, with the errors on the forms, when a judged matrix is missing or wrong."""
    position = {pk: k for k, pk in enumerate(form.order)}
    chosen = [position[pk] for pk in form.chosen()]
    origins, local = form.origins(), {}
    for m in matrices_:
        if origins[m["code"]] != "judgements":
            continue
        if not m["form"].is_bound:
            form.add_error(
                None,
                f"{m['label']}: choose the pairwise judgements of the scenarios, or score it "
                "from the indicator values.",
            )
        elif m["form"].is_valid():
            full = m["form"].matrix()
            local[m["code"]] = [[full[i][j] for j in chosen] for i in chosen]
        else:
            form.add_error(None, f"{m['label']}: correct the pairwise judgements below.")
    return None if form.errors else local


def refusal(form, exc: ApplicationError, matrices_: list[dict]) -> None:
    """A service refusal onto the form, a matrix's message naming its criterion rather than the code."""
    labels = {m["code"]: m for m in matrices_}
    if not exc.field_errors:
        form.add_error(None, exc.message)
    for field, msgs in exc.field_errors.items():
        for msg in msgs:
            code, _, rest = msg.partition(": ")
            if field == "local_matrices" and code in labels:
                msg = f"{labels[code]['label']}: {rest}"
                labels[code]["form"].add_error(None, msg)
            form.add_error(field if field in form.fields else None, msg)


def ri_values(ri_table: str) -> str:
    """The random-index table for the script, comma separated (n = 1, 2, ...)."""
    return ",".join(f"{x:g}" for x in ahp.RANDOM_INDEX.get(ri_table, ()))
