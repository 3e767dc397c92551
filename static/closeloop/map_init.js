/* Starts the Leaflet maps of a page without inline script (the Content-Security-Policy allows none).
 * partners/templatetags/closeloop_maps.py renders <div data-leaflet="{django-leaflet options}" data-map-ready="name">;
 * each becomes a django-leaflet map (L.Map.djangoMap, leaflet.extras.js), handed to window.closeloop[name]. */
(function () {
  "use strict";

  function start(root) {
    (root || document).querySelectorAll("[data-leaflet]").forEach(function (el) {
      if (el._leaflet_id) return;  /* already a map */
      var ready = window.closeloop && window.closeloop[el.dataset.mapReady];
      if (typeof ready !== "function") throw new Error("No map function window.closeloop." + el.dataset.mapReady);
      L.Map.djangoMap(el.id, {
        djoptions: JSON.parse(el.dataset.leaflet), globals: false, callback: ready
      });
    });
  }

  window.addEventListener("load", function () { start(document); });
  document.addEventListener("htmx:afterSettle", function (event) { start(event.target); });
})();
