"""`{% map_canvas "partners-map" "showFacilities" %}`: a Leaflet map without inline script.

django-leaflet's own `{% leaflet_map %}` writes an inline <script> that the Content-Security-Policy refuses. This tag
renders only the map's <div>, with django-leaflet's options (LEAFLET_CONFIG: tiles, centre, zooms) worked out by
django-leaflet itself in a data attribute; static/closeloop/map_init.js starts every such map and hands it to the
named function of `window.closeloop` (maps.js, scenario_map.js).
"""

from django import template
from leaflet.templatetags import leaflet_tags

register = template.Library()


@register.inclusion_tag("partners/_map_canvas.html")
def map_canvas(name: str, callback: str):
    return {"name": name, "callback": callback, "options": leaflet_tags.leaflet_map(name)["djoptions"]}
