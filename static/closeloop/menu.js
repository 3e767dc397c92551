// The navigation's "Menu" disclosure shows its links on wide screens through CSS (::details-content). Browsers
// without that selector get the same by opening the disclosure while the screen is wide.
(function () {
  "use strict";
  var menu = document.getElementById("site-menu");
  if (!menu || !window.matchMedia || (window.CSS && CSS.supports && CSS.supports("selector(::details-content)"))) {
    return;
  }
  var wide = window.matchMedia("(min-width: 1024px)");
  function follow() { menu.open = wide.matches; }
  follow();
  if (wide.addEventListener) { wide.addEventListener("change", follow); }
})();
