"""Published AHP worked examples: the judgement matrices and the figures their publications print, with citations.

Every figure below was read in the source named next to it (through the stored copies of public material), not
recomputed here. Matrices are built from the published pairwise comparisons "(x, y): v" (x is v times y) in the
element order given; index 0-based.

Sources
- AHPY_README: Griffith, P., AHPy, "A Python implementation of the Analytic Hierarchy Process", README.md
  (github.com/PhilipGriffith/AHPy, commit 4343f568), sections "Relative consumption of drinks in the United States",
  "Choosing a leader" and "Purchasing a vehicle". AHPy computes the principal eigenvector (by repeated squaring of
  the matrix) and prints figures rounded to `precision` decimals; CRs use its 'saaty' table (Saaty 2005, p. 31) or
  its default 'dd' table (Donegan & Dodd 1991).
- AHPY_TESTS: the same repository, tests/test_ahp.py (commit 4be50e84), which asserts published figures of
  Saaty 2008 (drinks) and Saaty 2005 (choosing a city).
"""

import itertools

import numpy as np


def matrix(elements: tuple[str, ...], comparisons: dict[tuple[str, str], float]) -> np.ndarray:
    """Positive reciprocal matrix from pairwise comparisons {(x, y): v}, x being v times y; 1 elsewhere."""
    a = np.ones((len(elements), len(elements)))
    for (x, y), v in comparisons.items():
        i, j = elements.index(x), elements.index(y)
        a[i, j], a[j, i] = v, 1 / v
    return a


# --- 1. Relative consumption of drinks in the United States ---------------------------------------------------------
# Saaty, T.L., 2008, "Decision making with the analytic hierarchy process", Int. J. Services Sciences 1(1), 83-98
# (30 participants' judgements of relative consumption), as given in AHPY_README (matrix table and printed output)
# and AHPY_TESTS (test_drinks_*).
DRINKS = ("coffee", "wine", "tea", "beer", "soda", "milk", "water")
DRINKS_MATRIX = np.array(
    [  # AHPY_README's matrix table, row i = how much more element i is consumed than column j
        [1, 9, 5, 2, 1, 1, 1 / 2],
        [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
        [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
        [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
        [1, 9, 4, 2, 1, 2, 1 / 2],
        [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
        [2, 9, 9, 3, 2, 3, 1],
    ]
)
# AHPY_README: "|AHP|0.177|0.019|0.042|0.116|0.190|0.129|0.327|" and, with random_index='saaty' (Saaty 2005) and
# precision=3, "print(drinks.consistency_ratio) 0.022".
DRINKS_PRIORITIES_3 = (0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327)
DRINKS_CR_SAATY_2005_3 = 0.022
# AHPY_TESTS test_drinks_weights_precision_4_dd / test_drinks_cr_dd: "'beer': 0.1164, 'coffee': 0.1775,
# 'milk': 0.1288, 'soda': 0.1896, 'tea': 0.0418, 'water': 0.3268, 'wine': 0.0191" and "consistency_ratio == 0.0235".
DRINKS_PRIORITIES_4 = (0.1775, 0.0191, 0.0418, 0.1164, 0.1896, 0.1288, 0.3268)
DRINKS_CR_DONEGAN_DODD_4 = 0.0235

# --- 2. Choosing a leader ---------------------------------------------------------------------------------------------
# Wikipedia, "Analytic hierarchy process - leader example" (input judgements; candidates renamed Moll, Nell, Sue),
# as computed in AHPY_README "Choosing a leader" with random_index='saaty' (Saaty 2005) and precision=3.
LEADERS = ("Moll", "Nell", "Sue")
LEADER_CRITERIA = ("Experience", "Education", "Charisma", "Age")
LEADER_CRITERIA_MATRIX = matrix(
    LEADER_CRITERIA,
    {
        ("Experience", "Education"): 4,
        ("Experience", "Charisma"): 3,
        ("Experience", "Age"): 7,
        ("Education", "Charisma"): 1 / 3,
        ("Education", "Age"): 3,
        ("Charisma", "Age"): 5,
    },
)
LEADER_MATRICES = {  # one per criterion, over LEADERS
    "Experience": matrix(LEADERS, {("Moll", "Nell"): 1 / 4, ("Moll", "Sue"): 4, ("Nell", "Sue"): 9}),
    "Education": matrix(LEADERS, {("Moll", "Nell"): 3, ("Moll", "Sue"): 1 / 5, ("Nell", "Sue"): 1 / 7}),
    "Charisma": matrix(LEADERS, {("Moll", "Nell"): 5, ("Moll", "Sue"): 9, ("Nell", "Sue"): 4}),
    "Age": matrix(LEADERS, {("Moll", "Nell"): 1 / 3, ("Moll", "Sue"): 5, ("Nell", "Sue"): 9}),
}
# AHPY_README: criteria "local_weights": {"Experience": 0.548, "Charisma": 0.27, "Education": 0.127, "Age": 0.056},
# "consistency_ratio": 0.044
LEADER_CRITERIA_WEIGHTS_3 = (0.548, 0.127, 0.270, 0.056)  # LEADER_CRITERIA order
LEADER_CRITERIA_CR_3 = 0.044
# AHPY_README: "experience.local_weights {'Nell': 0.717, 'Moll': 0.217, 'Sue': 0.066}", "experience.consistency_ratio
# 0.035", "education.consistency_ratio 0.062"
LEADER_EXPERIENCE_3 = (0.217, 0.717, 0.066)  # LEADERS order
LEADER_EXPERIENCE_CR_3 = 0.035
LEADER_EDUCATION_CR_3 = 0.062
# AHPY_README: "education.global_weights {'Sue': 0.093, 'Moll': 0.024, 'Nell': 0.01}" and
# "criteria.target_weights {'Nell': 0.493, 'Moll': 0.358, 'Sue': 0.15}"
LEADER_EDUCATION_GLOBAL_3 = (0.024, 0.010, 0.093)
LEADER_TARGET_3 = (0.358, 0.493, 0.150)

# --- 3. Purchasing a vehicle ------------------------------------------------------------------------------------------
# Wikipedia, "Analytic hierarchy process - car example" (input judgements), as computed in AHPY_README "Purchasing a
# vehicle" with the default random_index='dd' (Donegan & Dodd 1991; the report prints "random_index":
# "Donegan & Dodd") and precision=3.
CAR_CRITERIA = ("Cost", "Safety", "Style", "Capacity")
CAR_CRITERIA_MATRIX = matrix(
    CAR_CRITERIA,
    {
        ("Cost", "Safety"): 3,
        ("Cost", "Style"): 7,
        ("Cost", "Capacity"): 3,
        ("Safety", "Style"): 9,
        ("Safety", "Capacity"): 1,
        ("Style", "Capacity"): 1 / 7,
    },
)
# AHPY_README: "local_weights": {"Cost": 0.51, "Safety": 0.234, "Capacity": 0.215, "Style": 0.041},
# "consistency_ratio": 0.08
CAR_CRITERIA_WEIGHTS_3 = (0.510, 0.234, 0.041, 0.215)  # CAR_CRITERIA order
CAR_CRITERIA_CR_3 = 0.080
COST_SUBCRITERIA = ("Price", "Fuel", "Maintenance", "Resale")
COST_MATRIX = matrix(
    COST_SUBCRITERIA,
    {
        ("Price", "Fuel"): 2,
        ("Price", "Maintenance"): 5,
        ("Price", "Resale"): 3,
        ("Fuel", "Maintenance"): 2,
        ("Fuel", "Resale"): 2,
        ("Maintenance", "Resale"): 1 / 2,
    },
)
# AHPY_README cost report: "local_weights": {"Price": 0.488, "Fuel": 0.252, "Resale": 0.161, "Maintenance": 0.1},
# "consistency_ratio": 0.016
COST_WEIGHTS_3 = (0.488, 0.252, 0.100, 0.161)  # COST_SUBCRITERIA order
COST_CR_3 = 0.016
VEHICLES = ("Accord Sedan", "Accord Hybrid", "Pilot", "CR-V", "Element", "Odyssey")
_VEHICLE_PAIRS = list(itertools.combinations(VEHICLES, 2))
# AHPY_README: "price_values = (9, 9, 1, 1/2, 5, 1, 1/9, 1/9, 1/7, 1/9, 1/9, 1/7, 1/2, 5, 6)" zipped with the
# itertools.combinations of VEHICLES
PRICE_MATRIX = matrix(
    VEHICLES, dict(zip(_VEHICLE_PAIRS, (9, 9, 1, 1 / 2, 5, 1, 1 / 9, 1 / 9, 1 / 7, 1 / 9, 1 / 9, 1 / 7, 1 / 2, 5, 6)))
)
# AHPY_README price report: "local_weights": {"Element": 0.366, "Accord Sedan": 0.246, "CR-V": 0.246,
# "Odyssey": 0.093, "Accord Hybrid": 0.025, "Pilot": 0.025}, "consistency_ratio": 0.072
PRICE_WEIGHTS_3 = (0.246, 0.025, 0.025, 0.246, 0.366, 0.093)  # VEHICLES order
PRICE_CR_3 = 0.072
# AHPY_README: "cargo_values = (1, 1/2, 1/2, 1/2, 1/3, 1/2, 1/2, 1/2, 1/3, 1, 1, 1/2, 1, 1/2, 1/2)"
CARGO_MATRIX = matrix(
    VEHICLES,
    dict(
        zip(_VEHICLE_PAIRS, (1, 1 / 2, 1 / 2, 1 / 2, 1 / 3, 1 / 2, 1 / 2, 1 / 2, 1 / 3, 1, 1, 1 / 2, 1, 1 / 2, 1 / 2))
    ),
)
# AHPY_README complete_report['Cargo']: "'local_weights': {'Odyssey': 0.311, 'Pilot': 0.17, 'CR-V': 0.17,
# 'Element': 0.17, 'Accord Sedan': 0.089, 'Accord Hybrid': 0.089}, 'consistency_ratio': 0.002"
CARGO_WEIGHTS_3 = (0.089, 0.089, 0.170, 0.170, 0.170, 0.311)
CARGO_CR_3 = 0.002
# AHPY_README "Purchasing a vehicle reprised": measured passenger capacities "(5, 5, 8, 5, 4, 8)" give
# "passenger_normalized.local_weights {'Pilot': 0.229, 'Odyssey': 0.229, 'Accord Sedan': 0.143,
# 'Accord Hybrid': 0.143, 'CR-V': 0.143, 'Element': 0.114}"; resale values "(0.52, 0.46, 0.44, 0.55, 0.48, 0.48)" give
# "{'CR-V': 0.188, 'Accord Sedan': 0.177, 'Element': 0.164, 'Odyssey': 0.164, 'Accord Hybrid': 0.157, 'Pilot': 0.15}"
PASSENGER_VALUES = (5, 5, 8, 5, 4, 8)
PASSENGER_PRIORITIES_3 = (0.143, 0.143, 0.229, 0.143, 0.114, 0.229)
RESALE_VALUES = (0.52, 0.46, 0.44, 0.55, 0.48, 0.48)
RESALE_PRIORITIES_3 = (0.177, 0.157, 0.150, 0.188, 0.164, 0.164)

# --- 4. Choosing the best city to live in -------------------------------------------------------------------------
# Saaty, T.L., 2005, Theory and Applications of the Analytic Network Process, RWS Publications, as transcribed in
# AHPY_TESTS ("Example from Saaty, Thomas, L., Theory and Applications of the Analytic Network Process, 2005").
CITY_CRITERIA = ("Culture", "Family", "Housing", "Jobs", "Transportation")
CITY_CRITERIA_MATRIX = matrix(
    CITY_CRITERIA,
    {
        ("Culture", "Housing"): 3,
        ("Culture", "Transportation"): 5,
        ("Family", "Culture"): 5,
        ("Family", "Housing"): 7,
        ("Family", "Transportation"): 7,
        ("Housing", "Transportation"): 3,
        ("Jobs", "Culture"): 2,
        ("Jobs", "Housing"): 4,
        ("Jobs", "Transportation"): 7,
        ("Family", "Jobs"): 1,
    },
)
CITIES = ("Bethesda", "Boston", "Pittsburgh", "Santa Fe")
CITY_MATRICES = {  # one per criterion, over CITIES
    "Culture": matrix(
        CITIES,
        {
            ("Bethesda", "Pittsburgh"): 1,
            ("Boston", "Bethesda"): 2,
            ("Boston", "Pittsburgh"): 2.5,
            ("Boston", "Santa Fe"): 1,
            ("Santa Fe", "Bethesda"): 2,
            ("Santa Fe", "Pittsburgh"): 2.5,
        },
    ),
    "Family": matrix(
        CITIES,
        {
            ("Bethesda", "Boston"): 2,
            ("Bethesda", "Santa Fe"): 4,
            ("Boston", "Santa Fe"): 2,
            ("Pittsburgh", "Bethesda"): 3,
            ("Pittsburgh", "Boston"): 8,
            ("Pittsburgh", "Santa Fe"): 9,
        },
    ),
    "Housing": matrix(
        CITIES,
        {
            ("Bethesda", "Boston"): 5,
            ("Bethesda", "Santa Fe"): 2.5,
            ("Pittsburgh", "Bethesda"): 2,
            ("Pittsburgh", "Boston"): 9,
            ("Pittsburgh", "Santa Fe"): 7,
            ("Santa Fe", "Boston"): 4,
        },
    ),
    "Jobs": matrix(
        CITIES,
        {
            ("Bethesda", "Pittsburgh"): 3,
            ("Bethesda", "Santa Fe"): 4,
            ("Boston", "Bethesda"): 2,
            ("Boston", "Pittsburgh"): 6,
            ("Boston", "Santa Fe"): 8,
            ("Pittsburgh", "Santa Fe"): 1,
        },
    ),
    "Transportation": matrix(
        CITIES,
        {
            ("Bethesda", "Boston"): 1.5,
            ("Bethesda", "Santa Fe"): 4,
            ("Boston", "Santa Fe"): 2.5,
            ("Pittsburgh", "Bethesda"): 2,
            ("Pittsburgh", "Boston"): 3.5,
            ("Pittsburgh", "Santa Fe"): 9,
        },
    ),
}
# AHPY_TESTS test_cities_weights_saaty_precision_3 / _dd_precision_4: "{'Bethesda': 0.229, 'Boston': 0.275,
# 'Pittsburgh': 0.385, 'Santa Fe': 0.111}" and "{'Bethesda': 0.2291, 'Boston': 0.2748, 'Pittsburgh': 0.3852,
# 'Santa Fe': 0.1110}" (distributive synthesis of eigenvector priorities; no CR asserted)
CITY_TARGET_3 = (0.229, 0.275, 0.385, 0.111)
CITY_TARGET_4 = (0.2291, 0.2748, 0.3852, 0.1110)

# --- 5. Normalised measured values ------------------------------------------------------------------------------------
# Haas, R. and Meixner, O. (AHPy cites "Meixner, L."), "An Illustrated Guide to the Analytic Hierarchy Process"
# (fuel economy, higher is better), as transcribed in AHPY_TESTS test_normalized_weights:
# "{'civic': 34, 'saturn': 27, 'escort': 24, 'clio': 28}" -> "{'civic': 0.3009, 'saturn': 0.2389, 'escort': 0.2124,
# 'clio': 0.2478}"
FUEL_ECONOMY_VALUES = (34, 27, 24, 28)
FUEL_ECONOMY_PRIORITIES_4 = (0.3009, 0.2389, 0.2124, 0.2478)
