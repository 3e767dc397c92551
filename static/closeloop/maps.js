/* Closeloop maps on top of django-leaflet. The page puts a GeoJSON FeatureCollection of facilities in a
   <script type="application/json" id="facilities-geojson"> element (Django's json_script). */
(function () {
  "use strict";

  function readFeatures() {
    var el = document.getElementById("facilities-geojson");
    return el ? JSON.parse(el.textContent) : { type: "FeatureCollection", features: [] };
  }

  function popup(p) {
    var div = document.createElement("div");
    var title = document.createElement(p.url ? "a" : "strong");
    title.textContent = p.name;
    if (p.url) title.href = p.url;
    div.appendChild(title);
    var lines = [p.organization, p.roles.join(", "), p.capacity_t_per_year.toLocaleString("en") + " t/year"];
    lines.forEach(function (text) { div.appendChild(document.createElement("br")); div.appendChild(document.createTextNode(text)); });
    return div;
  }

  /* Leaflet treats a string tooltip or popup as HTML: names typed by another organisation go in as text. */
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }

  function addFacilities(map, data) {
    var layer = L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, {
          radius: 8, color: "#ffffff", weight: 2, fillColor: feature.properties.colour, fillOpacity: 0.95,
          className: "facility-marker"
        });
      },
      onEachFeature: function (feature, marker) {
        marker.bindPopup(popup(feature.properties));
        marker.bindTooltip(text(feature.properties.name));
      }
    }).addTo(map);
    if (data.features.length) map.fitBounds(layer.getBounds(), { padding: [30, 30], maxZoom: 9 });
    return layer;
  }

  /* Facilities map: one marker per facility, coloured by its first role. */
  function showFacilities(map) {
    var layer = addFacilities(map, readFeatures());
    map.getContainer().dataset.markers = String(layer.getLayers().length);
  }

  /* Location picker: clicking the map fills the latitude and longitude fields; typing in them moves the pin. */
  function pickLocation(map) {
    var lat = document.getElementById("id_latitude"), lon = document.getElementById("id_longitude");
    var marker = null;
    function place(latlng, pan) {
      if (marker) marker.setLatLng(latlng);
      else marker = L.marker(latlng, { draggable: true }).addTo(map).on("dragend", function () {
        write(marker.getLatLng());
      });
      if (pan) map.setView(latlng, Math.max(map.getZoom(), 7));
    }
    function write(latlng) {
      lat.value = latlng.lat.toFixed(6);
      lon.value = L.Util.wrapNum(latlng.lng, [-180, 180], true).toFixed(6);
      lat.dispatchEvent(new Event("change"));
    }
    function readTyped() {
      var a = parseFloat(lat.value), b = parseFloat(lon.value);
      if (isFinite(a) && isFinite(b) && Math.abs(a) <= 90 && Math.abs(b) <= 180) place([a, b], true);
    }
    map.on("click", function (e) { place(e.latlng, false); write(e.latlng); });
    lat.addEventListener("input", readTyped);
    lon.addEventListener("input", readTyped);
    readTyped();
    map.getContainer().classList.add("picker");
  }

  window.closeloop = Object.assign(window.closeloop || {}, { showFacilities: showFacilities, pickLocation: pickLocation, text: text });
})();
