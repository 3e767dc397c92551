"""Facilities as GeoJSON for the Leaflet maps, with one colour per role."""

from .models import Facility, Role

ROLE_COLOURS = {
    Role.COLLECTOR: "#2e7d32",
    Role.SORTER: "#1565c0",
    Role.RECOVERER: "#c62828",
    Role.END_COLLECTOR: "#6a1b9a",
}


def legend() -> list[dict]:
    return [{"role": role.value, "label": role.label, "colour": colour} for role, colour in ROLE_COLOURS.items()]


def facility_feature(facility: Facility, url: str = "") -> dict:
    roles = facility.roles
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(facility.longitude), float(facility.latitude)]},
        "properties": {
            "id": facility.pk,
            "name": facility.name,
            "organization": facility.organization.name,
            "roles": facility.role_labels,
            "colour": ROLE_COLOURS[Role(roles[0])] if roles else "#555555",
            "capacity_t_per_year": float(facility.capacity_t_per_year),
            "url": url,
        },
    }


def facility_collection(facilities, url_for=lambda f: "") -> dict:
    return {"type": "FeatureCollection", "features": [facility_feature(f, url_for(f)) for f in facilities]}
