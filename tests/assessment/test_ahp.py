"""The AHP engine (assessment/ahp.py) against published worked examples (tests/assessment/ahp_examples.py, each
figure quoted there with its source) and against small cases worked out by hand. No database."""

import numpy as np
import pytest

from assessment import ahp
from tests.assessment import ahp_examples as ex


def rounded(values, decimals: int) -> tuple[float, ...]:
    """As a publication prints them."""
    return tuple(round(float(v), decimals) for v in np.atleast_1d(values))


def published(values):
    return pytest.approx(tuple(values), abs=1e-12)


# --- published examples -------------------------------------------------------------------------------------------


def test_drinks_saaty_2008_priorities_and_cr_to_3_decimals():
    # Saaty 2008, "Decision making with the analytic hierarchy process", Int. J. Services Sciences 1(1) 83-98,
    # drinks consumption in the US, as printed in the AHPy README: AHP 0.177 0.019 0.042 0.116 0.190 0.129 0.327 and
    # CR 0.022 with AHPy's 'saaty' table (Saaty 2005, RI(7) = 1.35). Eigenvector method, as AHPy.
    result = ahp.consistency(ex.DRINKS_MATRIX, ri="saaty-2005")
    assert rounded(result.priorities, 3) == published(ex.DRINKS_PRIORITIES_3)
    assert round(result.cr, 3) == pytest.approx(ex.DRINKS_CR_SAATY_2005_3)
    assert result.ri_table == "saaty-2005" and result.ri == 1.35
    # lambda_max 7.1766, CI 0.02944: the classic table (RI(7) = 1.32) rounds to the same 0.022
    assert result.lambda_max == pytest.approx(7.1766, abs=1e-4)
    assert round(ahp.consistency(ex.DRINKS_MATRIX).cr, 3) == pytest.approx(0.022)
    assert rounded(ahp.priorities(ex.DRINKS_MATRIX), 3) == published(ex.DRINKS_PRIORITIES_3)


def test_drinks_saaty_2008_to_4_decimals_with_donegan_dodd():
    # AHPy tests/test_ahp.py (Saaty 2008 drinks): weights to 4 decimals and CR 0.0235 with the Donegan-Dodd table
    result = ahp.consistency(ex.DRINKS_MATRIX, ri="donegan-dodd")
    assert rounded(result.priorities, 4) == published(ex.DRINKS_PRIORITIES_4)
    assert round(result.cr, 4) == pytest.approx(ex.DRINKS_CR_DONEGAN_DODD_4)
    assert result.revision is None and result.acceptable


def test_leader_example_criteria_and_local_priorities_with_their_cr():
    # Wikipedia "Analytic hierarchy process - leader example", as computed in the AHPy README with AHPy's 'saaty'
    # table (Saaty 2005): criteria 0.548/0.127/0.270/0.056 CR 0.044; experience 0.217/0.717/0.066 CR 0.035;
    # education CR 0.062
    criteria = ahp.consistency(ex.LEADER_CRITERIA_MATRIX, ri="saaty-2005")
    assert rounded(criteria.priorities, 3) == published(ex.LEADER_CRITERIA_WEIGHTS_3)
    assert round(criteria.cr, 3) == pytest.approx(ex.LEADER_CRITERIA_CR_3)
    experience = ahp.consistency(ex.LEADER_MATRICES["Experience"], ri="saaty-2005")
    assert rounded(experience.priorities, 3) == published(ex.LEADER_EXPERIENCE_3)
    assert round(experience.cr, 3) == pytest.approx(ex.LEADER_EXPERIENCE_CR_3)
    education = ahp.consistency(ex.LEADER_MATRICES["Education"], ri="saaty-2005")
    assert round(education.cr, 3) == pytest.approx(ex.LEADER_EDUCATION_CR_3)


def test_leader_example_cr_depends_on_the_random_index_table_used():
    # same CI (0.018448), RI(3) = 0.52 (Saaty 2005) -> 0.035 as published; 0.58 (Saaty 1980) -> 0.032
    classic = ahp.consistency(ex.LEADER_MATRICES["Experience"])
    assert classic.ri_table == "saaty" and round(classic.cr, 3) == pytest.approx(0.032)
    assert classic.ci == pytest.approx(ahp.consistency(ex.LEADER_MATRICES["Experience"], ri="saaty-2005").ci)


def test_leader_example_synthesis():
    # AHPy README: target weights Nell 0.493, Moll 0.358, Sue 0.15; education global weights Sue 0.093, Moll 0.024,
    # Nell 0.01 (distributive synthesis)
    weights = ahp.priorities(ex.LEADER_CRITERIA_MATRIX)
    local = np.column_stack([ahp.priorities(ex.LEADER_MATRICES[c]) for c in ex.LEADER_CRITERIA])
    target = ahp.synthesize(weights, local)
    assert rounded(target[:2], 3) == published(ex.LEADER_TARGET_3[:2])  # Moll 0.358, Nell 0.493
    # Sue is 0.14908 at full precision, 0.149 and not the printed 0.150: AHPy synthesises the local weights and
    # criteria weights it has already rounded to 3 decimals. From those rounded figures the engine prints theirs:
    # Sue = 0.548 x 0.066 + 0.127 x 0.731 + 0.270 x 0.063 + 0.056 x 0.063 = 0.149543 -> 0.150
    assert round(float(target[2]), 5) == pytest.approx(0.14908)
    target_of_rounded = ahp.synthesize(rounded(weights, 3), np.round(local, 3))
    assert rounded(target_of_rounded, 3) == published(ex.LEADER_TARGET_3)
    # global weight of each leader under education = 0.127 x local: 0.127 x (0.188, 0.081, 0.731)
    assert rounded(0.127 * np.round(local[:, 1], 3), 3) == published(ex.LEADER_EDUCATION_GLOBAL_3)


def test_car_example_priorities_and_cr_with_donegan_dodd():
    # Wikipedia "Analytic hierarchy process - car example", as computed in the AHPy README with its default
    # Donegan & Dodd table: criteria 0.51/0.234/0.041/0.215 CR 0.08; cost 0.488/0.252/0.1/0.161 CR 0.016;
    # price 0.246/0.025/0.025/0.246/0.366/0.093 CR 0.072; cargo 0.089/0.089/0.17/0.17/0.17/0.311 CR 0.002
    for matrix, weights, cr in (
        (ex.CAR_CRITERIA_MATRIX, ex.CAR_CRITERIA_WEIGHTS_3, ex.CAR_CRITERIA_CR_3),
        (ex.COST_MATRIX, ex.COST_WEIGHTS_3, ex.COST_CR_3),
        (ex.PRICE_MATRIX, ex.PRICE_WEIGHTS_3, ex.PRICE_CR_3),
        (ex.CARGO_MATRIX, ex.CARGO_WEIGHTS_3, ex.CARGO_CR_3),
    ):
        result = ahp.consistency(matrix, ri="donegan-dodd")
        assert rounded(result.priorities, 3) == published(weights)
        assert round(result.cr, 3) == pytest.approx(cr)
        assert result.ri_table == "donegan-dodd"


def test_city_example_saaty_2005_synthesis():
    # Saaty 2005 (Theory and Applications of the ANP), best city to live in, as asserted in AHPy's tests: Bethesda
    # 0.229, Boston 0.275, Pittsburgh 0.385, Santa Fe 0.111 (and 0.2291/0.2748/0.3852/0.1110)
    weights = ahp.priorities(ex.CITY_CRITERIA_MATRIX)
    local = np.column_stack([ahp.priorities(ex.CITY_MATRICES[c]) for c in ex.CITY_CRITERIA])
    target = ahp.synthesize(weights, local)
    assert rounded(target, 3) == published(ex.CITY_TARGET_3)
    assert rounded(target, 4) == published(ex.CITY_TARGET_4)
    assert target.sum() == pytest.approx(1.0)


def test_from_values_against_published_normalised_measurements():
    # Haas & Meixner fuel economy (AHPy tests): 34, 27, 24, 28 -> 0.3009, 0.2389, 0.2124, 0.2478
    assert rounded(ahp.from_values(ex.FUEL_ECONOMY_VALUES), 4) == published(ex.FUEL_ECONOMY_PRIORITIES_4)
    # AHPy README, car example reprised: passenger capacity and resale value, higher is better
    assert rounded(ahp.from_values(ex.PASSENGER_VALUES), 3) == published(ex.PASSENGER_PRIORITIES_3)
    assert rounded(ahp.from_values(ex.RESALE_VALUES), 3) == published(ex.RESALE_PRIORITIES_3)


# --- priorities and consistency by hand -----------------------------------------------------------------------------


def test_consistent_matrix_gives_its_generating_weights_by_both_methods_and_cr_0():
    w = np.array([8, 4, 2, 1]) / 15
    a = w[:, None] / w[None, :]
    for method in ahp.PRIORITY_METHODS:
        assert ahp.priorities(a, method) == pytest.approx(w, rel=1e-12)
    result = ahp.consistency(a)
    assert result.lambda_max == pytest.approx(4.0)
    assert result.ci == pytest.approx(0.0, abs=1e-12) and result.cr == pytest.approx(0.0, abs=1e-12)
    assert result.revision is None


def test_geometric_priorities_are_normalised_row_geometric_means():
    # rows: 1 x 2 x 8 = 16, 1/2 x 1 x 2 = 1, 1/8 x 1/2 x 1 = 1/16; cube roots 16^(1/3) = 2.519842, 1, 0.396850;
    # sum 3.916693 -> 0.643360, 0.255317, 0.101323
    a = [[1, 2, 8], [1 / 2, 1, 2], [1 / 8, 1 / 2, 1]]
    g = np.array([16 ** (1 / 3), 1.0, 16 ** (-1 / 3)])
    assert ahp.priorities(a, method="geometric") == pytest.approx(g / g.sum(), rel=1e-12)
    assert rounded(ahp.priorities(a, method="geometric"), 6) == published((0.643360, 0.255317, 0.101323))


def test_one_and_two_element_matrices_have_cr_0():
    one = ahp.consistency([[1]])
    assert (one.n, one.lambda_max, one.ci, one.cr, one.revision) == (1, 1.0, 0.0, 0.0, None)
    assert one.priorities == pytest.approx([1.0])
    # 2 x 2: w = (3/4, 1/4) for a_01 = 3; always consistent, CR 0 whatever the judgement
    two = ahp.consistency([[1, 3], [1 / 3, 1]], ri="alonso-lamata")
    assert (two.n, two.lambda_max, two.ci, two.cr) == (2, 2.0, 0.0, 0.0)
    assert two.priorities == pytest.approx([0.75, 0.25])
    assert two.acceptable and two.ri_table == "alonso-lamata"


def test_cr_above_the_limit_names_the_one_wrong_judgement():
    # Built from the consistent weights (8, 4, 2, 1), except a[1][3]: 1/4 instead of 4/1 = 4. Every triad that
    # avoids the pair (1, 3) is consistent, so (1, 3) is the judgement to revisit, obvious by hand.
    w = np.array([8.0, 4.0, 2.0, 1.0])
    a = w[:, None] / w[None, :]
    a[1, 3], a[3, 1] = 1 / 4, 4.0
    result = ahp.consistency(a)
    assert result.cr > ahp.CR_LIMIT and not result.acceptable
    assert round(result.cr, 3) == pytest.approx(0.403)
    revision = result.revision
    assert (revision.i, revision.j, revision.current) == (1, 3, 0.25)
    # suggested = w_1 / w_3 from the current (distorted) priorities, > 1/4: it moves towards 4
    assert revision.suggested == pytest.approx(result.priorities[1] / result.priorities[3])
    assert 0.25 < revision.suggested
    assert revision.cr_after < result.cr
    a[1, 3], a[3, 1] = revision.suggested, 1 / revision.suggested
    assert ahp.consistency(a).cr == pytest.approx(revision.cr_after)


def test_cr_above_the_limit_on_five_elements():
    # consistent weights (9, 3, 3, 1, 1) except a[2][4] = 1/3 instead of 3: CR 0.148 (RI(5) = 1.12) -> (2, 4)
    w = np.array([9.0, 3.0, 3.0, 1.0, 1.0])
    a = w[:, None] / w[None, :]
    a[2, 4], a[4, 2] = 1 / 3, 3.0
    result = ahp.consistency(a)
    assert round(result.cr, 3) == pytest.approx(0.148)
    assert (result.revision.i, result.revision.j) == (2, 4)
    assert result.revision.cr_after < ahp.CR_LIMIT


def test_random_index_tables():
    # DOMAIN.md: Saaty's classic RI for n = 1..15
    assert ahp.RANDOM_INDEX["saaty"] == (
        0,
        0,
        0.58,
        0.90,
        1.12,
        1.24,
        1.32,
        1.41,
        1.45,
        1.49,
        1.51,
        1.48,
        1.56,
        1.57,
        1.59,
    )
    for name, table in ahp.RANDOM_INDEX.items():
        assert len(table) == 15 and table[:2] == (0, 0), name
        assert name in ahp.RANDOM_INDEX_SOURCE


def test_a_matrix_larger_than_the_ri_table_or_an_unknown_table_is_refused():
    sixteen = np.ones((16, 16))
    assert ahp.priorities(sixteen) == pytest.approx(np.full(16, 1 / 16))  # priorities need no RI
    with pytest.raises(ValueError, match=r"the matrix is 16x16 but the 'saaty' random index table stops at n = 15"):
        ahp.consistency(sixteen)
    with pytest.raises(ValueError, match=r"ri is 'nope'; it must be one of 'saaty', 'saaty-2005'"):
        ahp.consistency(np.ones((3, 3)), ri="nope")


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        (
            [[1, 2, 4], [0.5, 1, 3], [0.25, 0.3, 1]],
            r"a\[2\]\[1\] is 0.3 but 1/a\[1\]\[2\] is 0.333333; a pairwise comparison matrix must be reciprocal",
        ),
        ([[1, 2], [2, 1]], r"a\[1\]\[0\] is 2 but 1/a\[0\]\[1\] is 0.5"),
        ([[1, 2, 3], [0.5, 1, 4]], r"a must be a non-empty square matrix, got shape \(2, 3\)"),
        ([], r"a must be a non-empty square matrix, got shape \(0,\)"),
        ([[1, 2], [0.5]], r"a must be a square matrix of numbers"),
        ([[1, 0], [0, 1]], r"a\[0\]\[1\] is 0; every judgement must be a finite number > 0"),
        ([[1, -2], [-0.5, 1]], r"a\[0\]\[1\] is -2; every judgement must be a finite number > 0"),
        ([[1, float("nan")], [1, 1]], r"a\[0\]\[1\] is nan; every judgement must be a finite number > 0"),
        ([[1, 2], [0.5, 2]], r"a\[1\]\[1\] is 2; an element compared with itself is 1"),
    ],
)
def test_invalid_matrices_are_refused_naming_the_entry(matrix, message):
    for call in (ahp.priorities, ahp.consistency):
        with pytest.raises(ValueError, match=message):
            call(matrix)


def test_reciprocal_tolerance_is_relative_1e_6():
    ahp.consistency([[1, 3], [1 / 3 * (1 + 5e-7), 1]])  # within 1e-6
    with pytest.raises(ValueError, match=r"a\[1\]\[0\] is 0.333 but 1/a\[0\]\[1\] is 0.333333"):
        ahp.consistency([[1, 3], [0.333, 1]])  # 0.333 x 3 = 0.999


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match=r"method is 'mean'; it must be one of 'eigenvector', 'geometric'"):
        ahp.priorities([[1]], method="mean")


# --- synthesis by hand ------------------------------------------------------------------------------------------------

# Two alternatives A, B under five criteria weighing 0.30, 0.25, 0.20, 0.15, 0.10; local scores as measured
# (columns not normalised): c1 A 3 B 1; c2 A 1 B 1; c3 A 1 B 4; c4 A 2 B 3; c5 A 9 B 1.
WEIGHTS_5 = (0.30, 0.25, 0.20, 0.15, 0.10)
LOCAL_2x5 = [[3, 1, 1, 2, 9], [1, 1, 4, 3, 1]]


def test_distributive_synthesis_by_hand():
    # columns to sum 1: A (0.75, 0.5, 0.2, 0.4, 0.9), B (0.25, 0.5, 0.8, 0.6, 0.1)
    # A = 0.30 x 0.75 + 0.25 x 0.5 + 0.20 x 0.2 + 0.15 x 0.4 + 0.10 x 0.9 = 0.225 + 0.125 + 0.04 + 0.06 + 0.09 = 0.54
    # B = 0.075 + 0.125 + 0.16 + 0.09 + 0.01 = 0.46
    assert ahp.synthesize(WEIGHTS_5, LOCAL_2x5) == pytest.approx([0.54, 0.46], rel=1e-12)


def test_ideal_synthesis_by_hand():
    # columns divided by their max: A (1, 1, 0.25, 2/3, 1), B (1/3, 1, 1, 1, 1/9)
    # A = 0.30 + 0.25 + 0.05 + 0.10 + 0.10 = 0.80 = 72/90; B = 0.10 + 0.25 + 0.20 + 0.15 + 0.0111 = 0.7111 = 64/90
    # normalised: A = 72/136 = 9/17 = 0.529412, B = 64/136 = 8/17 = 0.470588
    assert ahp.synthesize(WEIGHTS_5, LOCAL_2x5, mode="ideal") == pytest.approx([9 / 17, 8 / 17], rel=1e-12)


def test_synthesis_input_is_checked():
    with pytest.raises(ValueError, match=r"local_priorities must be an alternatives x criteria array with 5 columns"):
        ahp.synthesize(WEIGHTS_5, [[1, 2], [3, 4]])
    with pytest.raises(ValueError, match=r"local_priorities column 1 is all 0"):
        ahp.synthesize([0.5, 0.5], [[1, 0], [1, 0]])
    with pytest.raises(ValueError, match=r"local_priorities\[1\]\[0\] is -1; it must be a finite number >= 0"):
        ahp.synthesize([0.5, 0.5], [[1, 1], [-1, 1]])
    with pytest.raises(ValueError, match=r"weights\[2\] is -0.1; it must be a finite number >= 0"):
        ahp.synthesize([0.6, 0.5, -0.1], [[1, 1, 1]])
    with pytest.raises(ValueError, match=r"weights are all 0"):
        ahp.synthesize([0, 0], [[1, 1]])
    with pytest.raises(ValueError, match=r"mode is 'best'; it must be one of 'distributive', 'ideal'"):
        ahp.synthesize([1], [[1]], mode="best")


# --- group aggregation by hand ----------------------------------------------------------------------------------------


def test_aij_is_the_element_wise_geometric_mean_of_three_judges():
    # a01: (2 x 4 x 1)^(1/3) = 8^(1/3) = 2; a02: (4 x 8 x 2)^(1/3) = 64^(1/3) = 4; a12: (2 x 1 x 4)^(1/3) = 2;
    # the lower triangle is the reciprocal of each; the group matrix happens to be consistent (2 x 2 = 4), so its
    # priorities are (4, 2, 1)/7 and its CR 0
    def judge(a01, a02, a12):
        return [[1, a01, a02], [1 / a01, 1, a12], [1 / a02, 1 / a12, 1]]

    group = ahp.aggregate([judge(2, 4, 2), judge(4, 8, 1), judge(1, 2, 4)])
    assert group == pytest.approx(np.array(judge(2, 4, 2)), rel=1e-12)
    assert ahp.priorities(group) == pytest.approx(np.array([4, 2, 1]) / 7, rel=1e-12)
    assert ahp.consistency(group).cr == pytest.approx(0.0, abs=1e-12)


def test_aip_is_the_normalised_geometric_mean_of_the_judges_priorities():
    # judge 1: a01 = 4 -> (0.8, 0.2); judge 2: a01 = 1 -> (0.5, 0.5); geometric means sqrt(0.4) = 0.632456 and
    # sqrt(0.1) = 0.316228, ratio 2 -> (2/3, 1/3)
    result = ahp.aggregate([[[1, 4], [1 / 4, 1]], [[1, 1], [1, 1]]], method="aip")
    assert result == pytest.approx([2 / 3, 1 / 3], rel=1e-12)


def test_aggregation_input_is_checked():
    with pytest.raises(ValueError, match=r"matrices is empty"):
        ahp.aggregate([])
    with pytest.raises(ValueError, match=r"matrices\[1\] is 3x3 but matrices\[0\] is 2x2"):
        ahp.aggregate([np.ones((2, 2)), np.ones((3, 3))])
    with pytest.raises(ValueError, match=r"matrices\[1\]\[1\]\[0\] is 2 but 1/matrices\[1\]\[0\]\[1\] is 0.5"):
        ahp.aggregate([np.ones((2, 2)), [[1, 2], [2, 1]]], method="aip")


# --- measured values by hand ------------------------------------------------------------------------------------------


def test_from_values_lower_is_better_inverts():
    # 1/1, 1/2, 1/4 = 1, 0.5, 0.25, sum 1.75 -> 4/7, 2/7, 1/7
    assert ahp.from_values([1, 2, 4], higher_is_better=False) == pytest.approx(np.array([4, 2, 1]) / 7)
    assert ahp.from_values([1, 3, 0]) == pytest.approx([0.25, 0.75, 0.0])  # a zero gets nothing


def test_from_values_zeros_and_negatives():
    with pytest.raises(ValueError, match=r"values\[1\] is 0 and lower is better: .* take all the weight"):
        ahp.from_values([5, 0, 2], higher_is_better=False)
    with pytest.raises(ValueError, match=r"values are all 0"):
        ahp.from_values([0, 0])
    with pytest.raises(ValueError, match=r"values\[0\] is -1; it must be a finite number >= 0"):
        ahp.from_values([-1, 2])


# --- sensitivity by hand ----------------------------------------------------------------------------------------------


def test_sensitivity_two_criteria_distributive_by_hand():
    # A (0.7, 0.2), B (0.3, 0.8), weights (0.7, 0.3): A = 0.49 + 0.06 = 0.55, B = 0.21 + 0.24 = 0.45 -> A on top.
    # Criterion 0 at 0.7 + d (criterion 1 at 0.3 - d): A - B = 0.4 (0.7 + d) - 0.6 (0.3 - d) = 0.10 + d, zero at
    # d = -0.10 (weight 0.6); increasing it only widens the gap -> up None. Criterion 1 at 0.3 + d: A - B = 0.10 - d,
    # zero at d = +0.10 (weight 0.4); down None.
    result = ahp.sensitivity([0.7, 0.3], [[0.7, 0.2], [0.3, 0.8]])
    assert result.top == 0 and result.scores == pytest.approx([0.55, 0.45])
    c0, c1 = result.criteria
    assert (c0.delta_up, c0.new_top_up, c0.new_top_down) == (None, None, 1)
    assert c0.delta_down == pytest.approx(-0.10)
    assert (c1.delta_down, c1.new_top_down, c1.new_top_up) == (None, None, 1)
    assert c1.delta_up == pytest.approx(0.10)
    # at the crossing the two alternatives tie
    assert ahp.synthesize([0.6, 0.4], [[0.7, 0.2], [0.3, 0.8]]) == pytest.approx([0.5, 0.5])


def test_sensitivity_two_criteria_ideal_by_hand():
    # ideal columns: A (1, 0.25), B (3/7, 1). Criterion 0 at 0.7 + d: A - B = (4/7)(0.7 + d) - 0.75 (0.3 - d)
    # = 0.175 + (37/28) d, zero at d = -0.175 x 28/37 = -4.9/37 = -0.132432; criterion 1 symmetric: +4.9/37
    result = ahp.sensitivity([0.7, 0.3], [[0.7, 0.2], [0.3, 0.8]], mode="ideal")
    c0, c1 = result.criteria
    assert c0.delta_down == pytest.approx(-4.9 / 37) and c0.delta_up is None
    assert c1.delta_up == pytest.approx(4.9 / 37) and c1.delta_down is None
    assert result.scores == pytest.approx(ahp.synthesize([0.7, 0.3], [[0.7, 0.2], [0.3, 0.8]], mode="ideal"))


def test_sensitivity_three_criteria_rescales_the_others_in_proportion():
    # A (0.6, 0.5, 0.2), B (0.4, 0.5, 0.8), weights (0.5, 0.3, 0.2): A = 0.3 + 0.15 + 0.04 = 0.49,
    # B = 0.2 + 0.15 + 0.16 = 0.51 -> B (1) on top.
    # Criterion 0 at 0.5 + d, the others x (0.5 - d)/0.5: w1 = 0.6 (0.5 - d), w2 = 0.4 (0.5 - d);
    # B - A = -0.2 (0.5 + d) + 0 + 0.6 x 0.4 (0.5 - d) = 0.02 - 0.44 d -> A overtakes at d = 0.02/0.44 = 1/22.
    # Criterion 2 at 0.2 + d: w0 = 0.625 (0.8 - d), w1 = 0.375 (0.8 - d);
    # B - A = -0.2 x 0.625 (0.8 - d) + 0.6 (0.2 + d) = 0.02 + 0.725 d -> d = -0.02/0.725 = -4/145 (weight 5/29).
    # Criterion 1 (A and B score alike): B - A = 0.02 (0.7 - d)/0.7, a tie only at weight 1 -> no change either way.
    result = ahp.sensitivity([0.5, 0.3, 0.2], [[0.6, 0.5, 0.2], [0.4, 0.5, 0.8]])
    assert result.top == 1 and result.scores == pytest.approx([0.49, 0.51])
    c0, c1, c2 = result.criteria
    assert c0.delta_up == pytest.approx(1 / 22) and c0.new_top_up == 0 and c0.delta_down is None
    assert c2.delta_down == pytest.approx(-4 / 145) and c2.new_top_down == 0 and c2.delta_up is None
    assert (c1.delta_up, c1.delta_down) == (None, None)
    assert c2.weight + c2.delta_down == pytest.approx(5 / 29)


def test_sensitivity_with_a_criterion_weighing_everything():
    # weights (1, 0), same A and B: criterion 0 at 1 + d releases -d, shared equally by the other (only) criterion:
    # A - B = 0.4 (1 + d) - 0.6 (-d) = 0.4 + d -> d = -0.4 (weight 0.6, as above). Criterion 1 at d, criterion 0
    # at 1 - d: A - B = 0.4 (1 - d) - 0.6 d = 0.4 - d -> d = +0.4.
    c0, c1 = ahp.sensitivity([1, 0], [[0.7, 0.2], [0.3, 0.8]]).criteria
    assert c0.delta_down == pytest.approx(-0.4) and c0.delta_up is None
    assert c1.delta_up == pytest.approx(0.4) and c1.delta_down is None


def test_sensitivity_normalises_the_weights_and_handles_one_criterion():
    result = ahp.sensitivity([7, 3], [[0.7, 0.2], [0.3, 0.8]])  # same as (0.7, 0.3)
    assert result.criteria[0].weight == pytest.approx(0.7)
    assert result.criteria[0].delta_down == pytest.approx(-0.10)
    single = ahp.sensitivity([1], [[2], [1]])
    assert single.top == 0 and (single.criteria[0].delta_up, single.criteria[0].delta_down) == (None, None)
