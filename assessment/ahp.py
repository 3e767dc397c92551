"""Analytic hierarchy process (AHP, Saaty): priorities, consistency, synthesis, group aggregation and sensitivity.
Pure: NumPy arrays (or nested lists) in, numbers out; no Django import. Part of the documented Python API.

Judgements (DOMAIN.md, "AHP"). A decision maker compares n elements pairwise on Saaty's 1-9 scale (1 equal,
3 moderate, 5 strong, 7 very strong, 9 extreme; 2/4/6/8 between; reciprocals for the inverse) and fills a positive
reciprocal matrix A: a[i][j] says how many times element i is preferred to element j, a[j][i] = 1/a[i][j],
a[i][i] = 1. Indexes are 0-based everywhere (rows, columns, criteria, alternatives), as in NumPy.

Priorities (`priorities`). method="eigenvector" (Saaty): the principal right eigenvector of A (Perron vector, all
entries > 0), normalised to sum 1. method="geometric": the geometric mean of each row, normalised to sum 1 (the
logarithmic least-squares solution). Both agree on a consistent matrix (a[i][k] = a[i][j] a[j][k] for all i, j, k).

Consistency (`consistency`). lambda_max is the principal eigenvalue (lambda_max >= n, = n iff A is consistent).
CI = (lambda_max - n) / (n - 1); CR = CI / RI(n), RI(n) being the mean CI of random reciprocal matrices of order n.
CR <= 0.10 is Saaty's usual bound (`CR_LIMIT`). For n <= 2 every reciprocal matrix is consistent: lambda_max = n,
CI = CR = 0. A tiny negative CI from floating point is clamped to 0. `RANDOM_INDEX` holds several published RI
tables (n = 1..15, index n - 1), each with its source below; the result names the table it used, since the tables
differ (e.g. n = 3: 0.58 Saaty 1980, 0.52 Saaty 2005, 0.5245 Alonso-Lamata, 0.4914 Donegan-Dodd), and a matrix
larger than the table is refused rather than extrapolated.

Which judgement to revise. When CR > CR_LIMIT the result proposes one judgement (i, j), i < j: for every pair the
entry a[i][j] (and a[j][i]) is replaced by w_i / w_j, the value that agrees with the current eigenvector priorities w,
and CR is recomputed; the pair whose replacement lowers CR most is named, with the suggested value and the CR after
the change (ties: the pair with the largest deviation |ln(a[i][j] w_j / w_i)|, then the first in row order). This is
a direct search over n(n-1)/2 pairs (at most 105 eigenproblems of order <= 15), so it names exactly the judgement
whose revision lowers CR most under that replacement rule; the suggestion is a starting point for the decision
maker, who re-expresses the judgement on the 1-9 scale (the suggested value itself is still pulled by the wrong
judgement through w).

Synthesis (`synthesize`). local_priorities is an alternatives x criteria array (row = alternative, column =
criterion), weights the criteria weights. mode="distributive": each column is normalised to sum 1, then
final = L @ w (the final scores sum to sum(weights), i.e. to 1 for a priority vector; weights are used as given,
not re-normalised). mode="ideal" (Saaty; avoids rank reversal when an alternative is added): each column is divided
by its largest entry (the best alternative gets 1 under every criterion), final = L @ w, then normalised to sum 1.

Group decisions (`aggregate`). method="aij" (aggregation of individual judgements): the element-wise geometric mean
of the judges' matrices, itself a positive reciprocal matrix (returned as a matrix; feed it to `priorities` or
`consistency`). method="aip" (aggregation of individual priorities): each judge's priority vector, their
element-wise geometric mean, normalised to sum 1 (returned as a vector). Judges weigh equally.

Measured values (`from_values`). A criterion measured on a ratio scale (t/year, EUR, kg CO2e) needs no pairwise
judgements: higher-is-better priorities are v / sum(v) (a zero gets priority 0; all zeros is refused), lower-is-better
priorities are (1/v) / sum(1/v). A zero or negative value where lower is better is refused: on a ratio scale a zero
cost would be infinitely better than any other and take all the weight, so the caller must decide (replace it by
the measurement's resolution, or leave the criterion out). Negative values are refused (not a ratio scale).

Sensitivity (`sensitivity`). For each criterion k, its weight is moved by delta while the other weights are rescaled
in proportion so that the sum stays 1: w_k' = w_k + delta, w_j' = w_j (1 - w_k - delta) / (1 - w_k) for j != k (when
w_k = 1 the released weight is shared equally by the other criteria). Every final score is then linear in delta
(the mode's column scaling does not depend on the weights, and the ideal mode's final normalisation does not change
the ranking), so the score gap between the current top alternative t and any other b is D_b(delta) = D_b(0) +
s_b delta and b catches up at delta = -D_b(0) / s_b. The result gives, per criterion, the smallest increase
(delta_up > 0) and the smallest decrease (delta_down < 0) within the feasible range 0 <= w_k' <= 1 at which another
alternative ties with the top one (beyond it, it overtakes), and which one; None when no alternative can overtake
in that direction (a tie only at the end of the range, w_k' = 0 or 1, is not a change). Weights are first
normalised to sum 1; deltas are on that scale.

Validation. A matrix that is not square, not finite and positive, has a diagonal entry other than 1, or is not
reciprocal within a relative tolerance of `RECIPROCAL_RTOL` (|a[i][j] a[j][i] - 1| <= 1e-6) raises a ValueError
naming the entry ("a[2][1] is 0.3 but 1/a[1][2] is 0.333333"); `consistency` also refuses a matrix larger than its
RI table. Weights and local priorities must be finite and >= 0, with a positive sum per column.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

CR_LIMIT = 0.10  # Saaty's usual bound on the consistency ratio (DOMAIN.md, "AHP")
RECIPROCAL_RTOL = 1e-6  # relative tolerance on a[i][j] * a[j][i] = 1 and on a[i][i] = 1

# Random index tables, RI(n) for n = 1..15 (index n - 1). RI(1) = RI(2) = 0: such matrices are always consistent.
RANDOM_INDEX: dict[str, tuple[float, ...]] = {
    # Saaty's classic table (Saaty, T.L., 1980, The Analytic Hierarchy Process, McGraw-Hill), as given in DOMAIN.md;
    # the same 15 values (including the dip to 1.48 at n = 12) are in the Haskell package hahp 0.1.0
    # (HAHP/Algorithm/Consistency.hs, "saatyTable"), found on hackage.haskell.org.
    "saaty": (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59),
    # Saaty, T.L., 2005, Theory and Applications of the Analytic Network Process, RWS Publications, p. 31, as
    # transcribed in AHPy (P. Griffith, github.com/PhilipGriffith/AHPy, ahpy/ahpy.py, random_index='saaty'), whose
    # README prints the Wikipedia leader example's CRs computed with it (reproduced in tests/assessment/test_ahp.py).
    "saaty-2005": (0.0, 0.0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59),
    # Alonso, J.A. and Lamata, M.T., 2006, "Consistency in the analytic hierarchy process: a new approach", Int. J.
    # Uncertainty, Fuzziness and Knowledge-Based Systems 14(4), 445-459 (100,000 random matrices per n), as
    # transcribed in three public codes that agree (an R function findRI, J.H. Bae 2013, "Alonso-Lamata RI values
    # (100,000 matrices)", n = 1..15; a JavaScript and a Python AHP tool, n = 3..9 and 3..8). The R package ahp
    # (R/ahp_functions.R) gives the same table to within 2e-4 (0.5247, 0.8816, 1.4057, 1.5140 for n = 3, 4, 8, 11).
    "alonso-lamata": (
        0.0,
        0.0,
        0.5245,
        0.8815,
        1.1086,
        1.2479,
        1.3417,
        1.4056,
        1.4499,
        1.4854,
        1.5141,
        1.5365,
        1.5551,
        1.5713,
        1.5838,
    ),
    # Donegan, H.A. and Dodd, F.J., 1991, "A note on Saaty's random indexes", Mathematical and Computer Modelling
    # 15(10), 135-137, doi:10.1016/0895-7177(91)90098-R, as transcribed in AHPy (ahpy/ahpy.py, random_index='dd',
    # its default), whose README prints the Wikipedia car example's CRs computed with it (reproduced in the tests).
    "donegan-dodd": (
        0.0,
        0.0,
        0.4914,
        0.8286,
        1.0591,
        1.1797,
        1.2519,
        1.3171,
        1.3733,
        1.4055,
        1.4213,
        1.4497,
        1.4643,
        1.4822,
        1.4969,
    ),
}
RANDOM_INDEX_SOURCE: dict[str, str] = {
    "saaty": "Saaty 1980, The Analytic Hierarchy Process (classic table)",
    "saaty-2005": "Saaty 2005, Theory and Applications of the Analytic Network Process, p. 31",
    "alonso-lamata": "Alonso & Lamata 2006, IJUFKBS 14(4) 445-459",
    "donegan-dodd": "Donegan & Dodd 1991, Math. Comput. Modelling 15(10) 135-137",
}
DEFAULT_RI = "saaty"

PRIORITY_METHODS = ("eigenvector", "geometric")
SYNTHESIS_MODES = ("distributive", "ideal")
AGGREGATION_METHODS = ("aij", "aip")


def _fmt(x: float) -> str:
    """A number for a message: six significant digits, no trailing zeros (0.3, 0.333333, 9)."""
    return f"{float(x):.6g}"


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} is {value!r}; it must be one of {', '.join(map(repr, allowed))}")


def check_matrix(matrix: ArrayLike, name: str = "a") -> np.ndarray:
    """The matrix as a float array if it is a positive reciprocal matrix, else a ValueError naming the first bad
    entry (0-based): shape, a non-finite or non-positive judgement, a diagonal entry other than 1, or a[i][j] not
    1/a[j][i] within RECIPROCAL_RTOL (checked below the diagonal, row by row)."""
    try:
        a = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a square matrix of numbers") from None
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty square matrix, got shape {a.shape}")
    bad = ~(np.isfinite(a) & (a > 0))
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise ValueError(f"{name}[{i}][{j}] is {_fmt(a[i, j])}; every judgement must be a finite number > 0")
    diagonal = np.abs(np.diag(a) - 1.0) > RECIPROCAL_RTOL
    if diagonal.any():
        i = int(np.argmax(diagonal))
        raise ValueError(f"{name}[{i}][{i}] is {_fmt(a[i, i])}; an element compared with itself is 1")
    bad = np.tril(np.abs(a * a.T - 1.0) > RECIPROCAL_RTOL, k=-1)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise ValueError(
            f"{name}[{i}][{j}] is {_fmt(a[i, j])} but 1/{name}[{j}][{i}] is {_fmt(1.0 / a[j, i])}; "
            "a pairwise comparison matrix must be reciprocal"
        )
    return a


def _principal(a: np.ndarray) -> tuple[float, np.ndarray]:
    """Perron root and Perron vector (normalised to sum 1) of a positive matrix."""
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    v = np.abs(vectors[:, k].real)  # the Perron vector has one sign; eig may return it negated
    return float(values[k].real), v / v.sum()


def _priorities(a: np.ndarray, method: str) -> np.ndarray:
    if method == "eigenvector":
        return _principal(a)[1]
    g = np.exp(np.log(a).mean(axis=1))
    return g / g.sum()


def priorities(matrix: ArrayLike, method: str = "eigenvector") -> np.ndarray:
    """Normalised priority vector (sums to 1) of a positive reciprocal matrix: the principal right eigenvector
    (method="eigenvector") or the row geometric means (method="geometric")."""
    _choice("method", method, PRIORITY_METHODS)
    return _priorities(check_matrix(matrix), method)


@dataclass(frozen=True)
class Revision:
    """The judgement a[i][j] (i < j) whose replacement by `suggested` = w_i / w_j lowers CR most."""

    i: int
    j: int
    current: float  # a[i][j] as given
    suggested: float  # w_i / w_j from the current eigenvector priorities
    cr_after: float  # CR of the matrix with a[i][j] = suggested and a[j][i] = 1 / suggested


@dataclass(frozen=True)
class Consistency:
    n: int
    lambda_max: float
    ci: float
    ri: float
    cr: float
    ri_table: str  # key of RANDOM_INDEX used
    priorities: np.ndarray  # eigenvector priorities, sum 1
    revision: Revision | None  # set only when cr > CR_LIMIT

    @property
    def acceptable(self) -> bool:
        return self.cr <= CR_LIMIT


def _ri(table: str, n: int) -> float:
    if table not in RANDOM_INDEX:
        raise ValueError(f"ri is {table!r}; it must be one of {', '.join(map(repr, RANDOM_INDEX))}")
    values = RANDOM_INDEX[table]
    if n > len(values):
        raise ValueError(
            f"the matrix is {n}x{n} but the {table!r} random index table stops at n = {len(values)}; "
            "split the comparisons into smaller clusters"
        )
    return values[n - 1]


def _ci(lambda_max: float, n: int) -> float:
    return 0.0 if n <= 2 else max((lambda_max - n) / (n - 1), 0.0)


def _revision(a: np.ndarray, w: np.ndarray, ri: float) -> Revision:
    n = a.shape[0]
    candidates = []
    for i in range(n):
        for j in range(i + 1, n):
            suggested = float(w[i] / w[j])
            b = a.copy()
            b[i, j], b[j, i] = suggested, 1.0 / suggested
            cr_after = _ci(_principal(b)[0], n) / ri
            deviation = abs(float(np.log(a[i, j] * w[j] / w[i])))
            candidates.append(
                (
                    (round(cr_after, 12), -deviation, i, j),
                    Revision(i=i, j=j, current=float(a[i, j]), suggested=suggested, cr_after=cr_after),
                )
            )
    return min(candidates, key=lambda c: c[0])[1]


def consistency(matrix: ArrayLike, ri: str = DEFAULT_RI) -> Consistency:
    """lambda_max, CI, CR against the named RI table, the eigenvector priorities and, when CR > CR_LIMIT, the
    judgement to revise (see the module doc)."""
    a = check_matrix(matrix)
    n = a.shape[0]
    ri_value = _ri(ri, n)
    if n <= 2:
        return Consistency(
            n=n,
            lambda_max=float(n),
            ci=0.0,
            ri=ri_value,
            cr=0.0,
            ri_table=ri,
            priorities=_principal(a)[1],
            revision=None,
        )
    lambda_max, w = _principal(a)
    ci = _ci(lambda_max, n)
    cr = ci / ri_value
    revision = _revision(a, w, ri_value) if cr > CR_LIMIT else None
    return Consistency(
        n=n, lambda_max=lambda_max, ci=ci, ri=ri_value, cr=cr, ri_table=ri, priorities=w, revision=revision
    )


def _vector(name: str, value: ArrayLike) -> np.ndarray:
    try:
        v = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a vector of numbers") from None
    if v.ndim != 1 or v.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty 1-D vector, got shape {v.shape}")
    return v


def _non_negative(name: str, v: np.ndarray) -> None:
    bad = ~(np.isfinite(v) & (v >= 0))
    if bad.any():
        at = tuple(int(k) for k in np.argwhere(bad)[0])
        raise ValueError(f"{name}{''.join(f'[{k}]' for k in at)} is {_fmt(v[at])}; it must be a finite number >= 0")


def _weights(weights: ArrayLike) -> np.ndarray:
    w = _vector("weights", weights)
    _non_negative("weights", w)
    if w.sum() <= 0:
        raise ValueError("weights are all 0; at least one criterion must weigh something")
    return w


def _scaled_local(local_priorities: ArrayLike, n_criteria: int, mode: str) -> np.ndarray:
    """Local priorities (alternatives x criteria) normalised per column: to sum 1 (distributive) or max 1 (ideal)."""
    _choice("mode", mode, SYNTHESIS_MODES)
    try:
        local = np.asarray(local_priorities, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("local_priorities must be an alternatives x criteria array of numbers") from None
    if local.ndim != 2 or local.shape[0] == 0 or local.shape[1] != n_criteria:
        raise ValueError(
            f"local_priorities must be an alternatives x criteria array with {n_criteria} columns "
            f"(one per weight), got shape {local.shape}"
        )
    _non_negative("local_priorities", local)
    empty = local.sum(axis=0) <= 0
    if empty.any():
        j = int(np.argmax(empty))
        raise ValueError(f"local_priorities column {j} is all 0; some alternative must score under criterion {j}")
    return local / (local.sum(axis=0) if mode == "distributive" else local.max(axis=0))


def synthesize(weights: ArrayLike, local_priorities: ArrayLike, mode: str = "distributive") -> np.ndarray:
    """Final score of each alternative: sum over criteria of weight x local priority, after the mode's column
    normalisation (see the module doc). Rows of local_priorities are alternatives, columns criteria."""
    w = _weights(weights)
    scores = _scaled_local(local_priorities, w.shape[0], mode) @ w
    return scores / scores.sum() if mode == "ideal" else scores


def aggregate(matrices: Iterable[ArrayLike], method: str = "aij", priority_method: str = "eigenvector") -> np.ndarray:
    """Group judgement of several judges (equal weights). method="aij": the element-wise geometric mean matrix;
    method="aip": the normalised geometric mean of the judges' priority vectors (each from `priority_method`)."""
    _choice("method", method, AGGREGATION_METHODS)
    _choice("priority_method", priority_method, PRIORITY_METHODS)
    checked = [check_matrix(m, name=f"matrices[{k}]") for k, m in enumerate(matrices)]
    if not checked:
        raise ValueError("matrices is empty; give at least one judge's matrix")
    n0 = checked[0].shape[0]
    for k, m in enumerate(checked):
        if m.shape[0] != n0:
            raise ValueError(
                f"matrices[{k}] is {m.shape[0]}x{m.shape[0]} but matrices[0] is {n0}x{n0}; "
                "every judge compares the same elements"
            )
    if method == "aij":
        return np.exp(np.log(np.stack(checked)).mean(axis=0))
    p = np.stack([_priorities(m, priority_method) for m in checked])
    g = np.exp(np.log(p).mean(axis=0))
    return g / g.sum()


def from_values(values: ArrayLike, higher_is_better: bool = True) -> np.ndarray:
    """Local priorities from measurements on a ratio scale: v / sum(v), or (1/v) / sum(1/v) when lower is better
    (zeros: see the module doc)."""
    v = _vector("values", values)
    _non_negative("values", v)
    if higher_is_better:
        if v.sum() <= 0:
            raise ValueError("values are all 0; there is nothing to share the priority by")
        return v / v.sum()
    zero = v == 0
    if zero.any():
        i = int(np.argmax(zero))
        raise ValueError(
            f"values[{i}] is 0 and lower is better: on a ratio scale it would be infinitely better than "
            "every other value and take all the weight; replace it by the smallest meaningful value "
            "(e.g. the measurement's resolution) or leave the criterion out"
        )
    inverse = 1.0 / v
    return inverse / inverse.sum()


@dataclass(frozen=True)
class CriterionSensitivity:
    criterion: int
    weight: float  # the criterion's weight, normalised so that all weights sum to 1
    delta_up: float | None  # smallest increase at which another alternative ties with the top one, or None
    new_top_up: int | None  # the alternative that catches up there
    delta_down: float | None  # smallest decrease (a negative number) at which another alternative ties, or None
    new_top_down: int | None


@dataclass(frozen=True)
class Sensitivity:
    top: int  # the top-ranked alternative at the given weights (the first one on a tie)
    scores: np.ndarray  # final scores at the given weights (synthesize with the normalised weights)
    criteria: tuple[CriterionSensitivity, ...]


_SLOPE_TOL = 1e-12


def sensitivity(weights: ArrayLike, local_priorities: ArrayLike, mode: str = "distributive") -> Sensitivity:
    """Per criterion, the smallest weight change up and down (the other weights rescaled in proportion) at which
    another alternative ties with the top one, and which alternative; None when none can (see the module doc)."""
    w = _weights(weights)
    w = w / w.sum()
    local = _scaled_local(local_priorities, w.shape[0], mode)
    m = w.shape[0]
    base = local @ w
    top = int(np.argmax(base))
    result = []
    for k in range(m):
        others = np.arange(m) != k
        direction = np.zeros(m)  # d w / d delta
        if m > 1:
            rest = 1.0 - w[k]
            direction[others] = -(w[others] / rest if rest > 0 else 1.0 / (m - 1))
            direction[k] = 1.0
        slope_scores = local @ direction
        gap = base[top] - base  # D_b(0) >= 0
        slope = slope_scores[top] - slope_scores  # s_b
        up_bound, down_bound = 1.0 - w[k], -w[k]
        delta_up = new_top_up = delta_down = new_top_down = None
        for b in range(local.shape[0]):
            if b == top:
                continue
            if slope[b] < -_SLOPE_TOL:
                crossing = gap[b] / -slope[b]
                if crossing < up_bound - _SLOPE_TOL and (delta_up is None or crossing < delta_up):
                    delta_up, new_top_up = float(crossing), b
            elif slope[b] > _SLOPE_TOL:
                crossing = -gap[b] / slope[b]
                if crossing > down_bound + _SLOPE_TOL and (delta_down is None or crossing > delta_down):
                    delta_down, new_top_down = float(crossing), b
        result.append(
            CriterionSensitivity(
                criterion=k,
                weight=float(w[k]),
                delta_up=delta_up,
                new_top_up=new_top_up,
                delta_down=delta_down,
                new_top_down=new_top_down,
            )
        )
    scores = base / base.sum() if mode == "ideal" else base
    return Sensitivity(top=top, scores=scores, criteria=tuple(result))


TIE_TOL = 1e-9  # final scores closer than this (they lie in [0, 1]) are equal: the same inputs, summed in another order


def competition_ranks(scores: Iterable[float], tol: float = TIE_TOL) -> list[tuple[int, bool]]:
    """Each score's rank, best (highest) first, equal scores sharing a rank and the next rank skipping ("1224"
    ranking), with whether it is tied. Worked example: [0.129, 0.127, 0.129, 0.1, 0.1] -> ranks 1, 3, 1, 4, 4, all
    tied but the 0.127."""
    scores = [float(s) for s in scores]
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    ranks: list[tuple[int, bool]] = [(0, False)] * len(scores)
    position = 0
    while position < len(order):
        group = [order[position]]
        while position + len(group) < len(order) and scores[group[0]] - scores[order[position + len(group)]] <= tol:
            group.append(order[position + len(group)])
        for i in group:
            ranks[i] = (position + 1, len(group) > 1)
        position += len(group)
    return ranks
