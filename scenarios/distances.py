"""Distances between facilities. Pure: numbers in, numbers out; no Django import.

The geodesic distance on the WGS-84 ellipsoid comes from GeographicLib (C. F. F. Karney, "Algorithms for
geodesics", J. Geodesy 87(1), 43-55, 2013), accurate to about 15 nm. A transport distance is that geodesic distance
times a circuity factor for the mode (e.g. about 1.3 for European road freight: DOMAIN.md, after Newell 1980 and
O'Sullivan 1996); the factors themselves are settings, passed in by the caller.
"""

from geographiclib.geodesic import Geodesic

_WGS84 = Geodesic.WGS84


def _check(latitude: float, longitude: float) -> None:
    if not -90 <= latitude <= 90:
        raise ValueError(f"latitude {latitude} is outside -90..90")
    if not -180 <= longitude <= 180:
        raise ValueError(f"longitude {longitude} is outside -180..180")


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The shortest distance over the WGS-84 ellipsoid between two points given in decimal degrees, in km."""
    _check(lat1, lon1)
    _check(lat2, lon2)
    return _WGS84.Inverse(float(lat1), float(lon1), float(lat2), float(lon2), Geodesic.DISTANCE)["s12"] / 1000.0


def transport_km(lat1: float, lon1: float, lat2: float, lon2: float, circuity: float) -> float:
    """The geodesic distance times the mode's circuity factor (>= 1): an estimate of the travelled distance."""
    if circuity < 1:
        raise ValueError(f"a circuity factor is at least 1 (got {circuity})")
    return geodesic_km(lat1, lon1, lat2, lon2) * circuity
