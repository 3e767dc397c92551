"""Geodesic distances against a published value and a value worked out by hand."""

import math

import pytest

from scenarios.distances import geodesic_km, transport_km


def test_wellington_to_salamanca_matches_geographiclib_documentation():
    # GeographicLib's documented example (geographiclib-geodesic README, C. Karney): Wellington, NZ (41.32 S,
    # 174.81 E) to Salamanca, Spain (40.96 N, 5.50 W) is 19959679.267 m on WGS-84.
    assert geodesic_km(-41.32, 174.81, 40.96, -5.50) == pytest.approx(19959.679267, abs=1e-6)


def test_new_york_to_singapore_matches_the_geodsolve_manual():
    # GeographicLib's GeodSolve manual page, EXAMPLES: "Route from JFK Airport to Singapore Changi Airport",
    # echo 40:38:23N 073:46:44W 01:21:33N 103:59:22E | GeodSolve -i -: -p 0  ->  ... 15347628 (metres).
    jfk = (40 + 38 / 60 + 23 / 3600, -(73 + 46 / 60 + 44 / 3600))
    sin = (1 + 21 / 60 + 33 / 3600, 103 + 59 / 60 + 22 / 3600)
    assert geodesic_km(*jfk, *sin) == pytest.approx(15347.628, rel=0.005)
    assert geodesic_km(*jfk, *sin) == pytest.approx(15347.628, abs=0.0005)  # the manual prints whole metres


def test_one_degree_along_the_equator_is_the_arc_of_the_semi_major_axis():
    # Along the equator the geodesic is the equator itself: a * (pi / 180) with WGS-84's a = 6378137 m,
    # i.e. 111.3194908 km for one degree of longitude.
    assert geodesic_km(0, 10, 0, 11) == pytest.approx(6378.137 * math.pi / 180, rel=1e-12)


def test_transport_distance_applies_the_circuity_factor():
    assert transport_km(0, 10, 0, 11, circuity=1.3) == pytest.approx(1.3 * 6378.137 * math.pi / 180, rel=1e-12)


@pytest.mark.parametrize(
    "args,message",
    [
        ((91, 0, 0, 0), "latitude 91 is outside -90..90"),
        ((0, 0, 0, -181), "longitude -181 is outside -180..180"),
    ],
)
def test_coordinates_out_of_range_are_refused(args, message):
    with pytest.raises(ValueError, match=message):
        geodesic_km(*args)


def test_circuity_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        transport_km(0, 0, 1, 1, circuity=0.9)
