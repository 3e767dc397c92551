/* Closeloop scenario maps, on top of django-leaflet (see maps.js for the facility maps).

The page puts the network as a GeoJSON FeatureCollection in <script id="scenario-geojson"> (scenarios.network.geojson:
node points with colour/role_label/inflow_t/outflow_t/capacity_use/flags, route lines with width/material/quantity_t/
mode/distance_km/distance_source/is_backhaul) and, for editors of a draft, the candidate facilities in
<script id="candidates-geojson">: faint markers whose click fills the "Add a node" form.
Also: the study form's derived tonnage (share x mass x units / 1000), recomputed as one types. */
(function () {
  "use strict";

  var MODES = { road: "Road", rail: "Rail", inland_waterway: "Inland waterway", sea: "Sea" };
  var SOURCES = { computed: "geodesic x circuity", typed: "typed", same_site: "same site" };

  function read(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  /* Leaflet treats a string tooltip or popup as HTML: what partners typed goes in as text. */
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }

  function t(x) {
    return Number(x).toLocaleString("en", { maximumFractionDigits: 2 });
  }

  function box(title, lines, flags) {
    var div = document.createElement("div");
    var strong = document.createElement("strong");
    strong.textContent = title;
    div.appendChild(strong);
    lines.forEach(function (text) {
      div.appendChild(document.createElement("br"));
      div.appendChild(document.createTextNode(text));
    });
    (flags || []).forEach(function (text) {
      var span = document.createElement("span");
      span.className = "flag-text";
      span.textContent = text;
      div.appendChild(document.createElement("br"));
      div.appendChild(span);
    });
    return div;
  }

  function nodePopup(p) {
    var use = p.capacity_use === null ? "no capacity given" : (p.capacity_use * 100).toFixed(1) + " % of capacity";
    return box(p.name, [p.role_label + (p.organization ? " · " + p.organization : ""),
      "Inflow " + t(p.inflow_t) + " t/year · outflow " + t(p.outflow_t) + " t/year", "Capacity use: " + use],
      p.flags);
  }

  function routePopup(p) {
    var source = p.distance_source === "computed" ? SOURCES.computed : SOURCES[p.distance_source];
    return box(p.material, [
      t(p.quantity_t) + " t/year (" + (p.typed ? "typed; recommended " + t(p.recommended_t) : "recommended") + ")",
      (MODES[p.mode] || p.mode) + " · " + t(p.distance_km) + " km (" + source + ")",
      p.is_backhaul ? "Backhaul: yes" : "Backhaul: no"]);
  }

  /* The first role a facility offers upstream of the end collector (or the end collector role if that is all). */
  function firstRole(roleValues) {
    var upstream = (roleValues || []).filter(function (r) { return r !== "end_collector"; });
    return upstream.length ? upstream[0] : (roleValues || [])[0];
  }

  /* Choosing a facility in the "Add a node" form (from the list or the map) proposes the first role it offers. */
  function followFacility() {
    var facility = document.getElementById("id_facility"), role = document.getElementById("id_role");
    var candidates = read("candidates-geojson");
    if (!facility || !role || !candidates) return;
    var roles = {};
    candidates.features.forEach(function (f) { roles[String(f.properties.id)] = f.properties.role_values; });
    facility.addEventListener("change", function () {
      var proposed = firstRole(roles[facility.value]);
      if (proposed) role.value = proposed;
    });
  }

  /* A click on a candidate facility picks it in the "Add a node" form. */
  function pick(p) {
    var facility = document.getElementById("id_facility");
    if (!facility) return;
    facility.value = String(p.id);
    facility.dispatchEvent(new Event("change", { bubbles: true }));
    var role = document.getElementById("id_role");
    if (role && firstRole(p.role_values)) role.value = firstRole(p.role_values);
    var form = document.getElementById("node-form");
    if (form) {
      form.classList.remove("picked");
      void form.offsetWidth; /* restart the highlight */
      form.classList.add("picked");
    }
  }

  function showScenario(map) {
    var data = read("scenario-geojson") || { type: "FeatureCollection", features: [] };
    var candidates = read("candidates-geojson");
    var everything = L.featureGroup().addTo(map);
    if (candidates) {
      L.geoJSON(candidates, {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, {
            radius: 8, color: feature.properties.colour, weight: 2, dashArray: "3 3", opacity: 0.7,
            fillColor: feature.properties.colour, fillOpacity: 0.15,
            className: "candidate-marker candidate-" + feature.properties.id
          });
        },
        onEachFeature: function (feature, marker) {
          var p = feature.properties;
          marker.bindTooltip(text(p.name + " (" + p.organization + "): " + p.roles.join(", ") + ". Click to pick it."));
          marker.on("click", function () { pick(p); });
        }
      }).addTo(everything);
    }
    var routes = data.features.filter(function (f) { return f.properties.kind === "route"; });
    var nodes = data.features.filter(function (f) { return f.properties.kind === "node"; });
    L.geoJSON({ type: "FeatureCollection", features: routes }, {
      style: function (feature) {
        return { color: "#37474f", weight: feature.properties.width, opacity: 0.75, lineCap: "round",
                 dashArray: feature.properties.is_backhaul ? "8 6" : null, className: "route-line" };
      },
      onEachFeature: function (feature, line) { line.bindPopup(routePopup(feature.properties)); }
    }).addTo(everything);
    L.geoJSON({ type: "FeatureCollection", features: nodes }, {
      pointToLayer: function (feature, latlng) {
        var flagged = feature.properties.flags && feature.properties.flags.length;
        return L.circleMarker(latlng, {
          radius: 9, color: flagged ? "#c62828" : "#ffffff", weight: flagged ? 3 : 2,
          fillColor: feature.properties.colour, fillOpacity: 0.95, className: "node-marker"
        });
      },
      onEachFeature: function (feature, marker) {
        marker.bindPopup(nodePopup(feature.properties));
        marker.bindTooltip(text(feature.properties.role_label + ": " + feature.properties.name));
      }
    }).addTo(everything);
    map.options.zoomSnap = 0.25; /* fit the network snugly */
    if (everything.getLayers().length && everything.getBounds().isValid()) {
      map.fitBounds(everything.getBounds(), { padding: [30, 30], maxZoom: 9, animate: false });
    }
    var container = map.getContainer();
    container.dataset.nodes = String(nodes.length);
    container.dataset.routes = String(routes.length);
    container.dataset.candidates = String(candidates ? candidates.features.length : 0);
  }

  /* Study form: show the tonnage the recycled share gives, as one types. */
  function deriveNeed() {
    var out = document.getElementById("derived-need");
    if (!out) return;
    var ids = ["id_recycled_share_pct", "id_product_mass_kg", "id_units_per_year", "id_need_t_per_year"];
    var inputs = ids.map(function (id) { return document.getElementById(id); });
    function update() {
      var share = parseFloat(inputs[0].value) / 100, mass = parseFloat(inputs[1].value), units = parseFloat(inputs[2].value);
      var typed = inputs[3].value.trim() !== "";
      if (isFinite(share) && isFinite(mass) && isFinite(units)) {
        out.textContent = "The share gives " + t(share * mass * units / 1000) + " t/year of recycled material" +
          (typed ? "; the typed need is used instead." : ".");
      } else if (typed) {
        out.textContent = "The typed need is used.";
      } else {
        out.textContent = "Give the need in t/year, or a share with the mass per unit and units per year.";
      }
    }
    inputs.forEach(function (input) { if (input) input.addEventListener("input", update); });
    if (inputs.every(Boolean)) update();
  }

  document.addEventListener("DOMContentLoaded", deriveNeed);
  document.addEventListener("DOMContentLoaded", followFacility);
  window.closeloop = Object.assign(window.closeloop || {}, { showScenario: showScenario, pickFacility: pick });
})();
