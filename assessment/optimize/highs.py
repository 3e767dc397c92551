"""HiGHS: a built model passed to HiGHS once, column-wise (_highs), and one run read back (_run)."""

import math
import time
from collections.abc import Sequence

import highspy
import numpy as np
import scipy.sparse as sp

from .build import _Built
from .model import _INF, Options


def _highs(
    b: _Built,
    c: np.ndarray,
    offset: float,
    options: Options,
    extra_rows: Sequence[tuple[np.ndarray, float, float]] = (),
    slack: tuple[np.ndarray, np.ndarray] | None = None,
) -> highspy.Highs:
    """A HiGHS instance holding the model with objective c (+ offset); extra_rows: (coefficients, lo, hi) dense
    rows over the columns; slack: (rows, signs) adds one elastic column per row with cost 1 (c is then ignored)."""
    A, lb, ub, integer, rlo, rhi = b.A, b.lb, b.ub, b.integer, b.rlo, b.rhi
    if extra_rows:
        coef = sp.csr_matrix(np.vstack([r[0] for r in extra_rows]))
        A = sp.vstack([A.tocsr(), coef]).tocsc()
        rlo = np.concatenate([rlo, [r[1] for r in extra_rows]])
        rhi = np.concatenate([rhi, [r[2] for r in extra_rows]])
    if slack is not None:
        rows, signs = slack
        k = len(rows)
        S = sp.csc_matrix((signs, (rows, np.arange(k))), shape=(A.shape[0], k))
        A = sp.hstack([A, S]).tocsc()
        c = np.concatenate([np.zeros(A.shape[1] - k), np.ones(k)])
        lb, ub = np.concatenate([lb, np.zeros(k)]), np.concatenate([ub, np.full(k, _INF)])
        integer = np.concatenate([integer, np.zeros(k, bool)])
        offset = 0.0
    h = highspy.Highs()
    h.setOptionValue("output_flag", bool(options.log))
    h.setOptionValue("time_limit", float(options.time_limit_s))
    h.setOptionValue("mip_rel_gap", float(options.mip_rel_gap))
    if options.threads:
        h.setOptionValue("threads", int(options.threads))
    h.setOptionValue("presolve", "on" if options.presolve else "off")
    largest = float(np.max(np.abs(c))) if len(c) else 0.0
    if largest > 1e6:  # HiGHS warns above about 1e6 and suggests scaling the objective by a power of 2
        h.setOptionValue("user_objective_scale", -int(math.ceil(math.log2(largest / 1e6))))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = A.shape[1], A.shape[0]
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = c.astype(float), lb, ub
    lp.row_lower_, lp.row_upper_ = rlo, rhi
    lp.offset_ = float(offset)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = A.shape[1], A.shape[0]
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = A.indptr, A.indices, A.data
    if integer.any():
        kinds = (highspy.HighsVarType.kInteger, highspy.HighsVarType.kContinuous)
        lp.integrality_ = np.where(integer, *kinds).tolist()  # type: ignore[call-overload]  # numpy types only numbers
    if h.passModel(lp) == highspy.HighsStatus.kError:
        raise RuntimeError("HiGHS refused the model")
    return h


def _run(h: highspy.Highs, b: _Built) -> tuple[str, np.ndarray | None, float | None, float | None, float]:
    """Run HiGHS; returns (status, values or None, objective, gap, seconds)."""
    start = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - start
    ms = h.getModelStatus()
    info = h.getInfo()
    has = info.primal_solution_status == 2
    x = np.asarray(h.getSolution().col_value) if has else None
    obj = info.objective_function_value if has else None
    gap = (0.0 if not b.integer.any() else float(info.mip_gap)) if has else None
    S = highspy.HighsModelStatus
    if ms == S.kOptimal:
        status = "optimal"
    elif ms == S.kInfeasible:
        status = "infeasible"
    elif ms in (S.kUnbounded, S.kUnboundedOrInfeasible):
        status = "unbounded"
    elif ms in (
        S.kTimeLimit,
        S.kIterationLimit,
        S.kSolutionLimit,
        S.kInterrupt,
        S.kObjectiveBound,
        S.kObjectiveTarget,
        S.kHighsInterrupt,  # type: ignore[attr-defined]  # in highspy, not in its stubs
    ):
        status = "feasible" if has else "no_solution"
    else:
        status = "error"
    if status == "optimal" and gap is not None and not math.isfinite(gap):
        gap = 0.0
    return status, x, obj, gap, seconds
