/* Charts of a scenario's assessment (Chart.js, static/vendor), from the JSON of
 * <script id="assessment-charts" type="application/json"> (assessment.charts):
 * - <canvas data-lca="i">: life-cycle indicator i of this scenario against its 0 % recycled baseline, end of life
 *   and whole life cycle side by side;
 * - <canvas data-costs>: the annual cost per partner, stacked by part.
 * Labels are text drawn on the canvas; the tooltips show the figures as the tables write them. The result part of
 * the page is replaced by htmx when a run finishes: the charts are drawn again after each swap. */
(function () {
  "use strict";

  var SCENARIO = "#1565c0";
  var BASELINE = "#9e9e9e";
  var PARTS = ["#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a", "#00838f"];

  /* The rule of partners.figures.number: whole numbers from 1,000 up, two decimals from 1, three significant digits
   * below; thousands separated; no trailing zeros. */
  function figure(x) {
    var size = Math.abs(x);
    if (x === 0 || !isFinite(x)) return "0";
    var places = size >= 1000 ? 0 : size >= 1 ? 2 : Math.min(9, 2 - Math.floor(Math.log10(size)));
    return x.toLocaleString("en", {minimumFractionDigits: 0, maximumFractionDigits: places});
  }

  /* A long name in lines of about `width` characters, broken between words (Chart.js draws an array as lines). */
  function lines(name, width) {
    var out = [], line = "";
    name.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) { out.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) out.push(line);
    return out;
  }

  function source() {
    var element = document.getElementById("assessment-charts");
    return element ? JSON.parse(element.textContent) : null;
  }

  function lca(canvas, data, indicator) {
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: indicator.phases,
        datasets: [
          {label: data.series.scenario, data: indicator.scenario, backgroundColor: SCENARIO, text: indicator.scenario_text},
          {label: data.series.baseline, data: indicator.baseline, backgroundColor: BASELINE, text: indicator.baseline_text}
        ]
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: {y: {beginAtZero: true, title: {display: true, text: indicator.unit},
                     ticks: {callback: function (value) { return figure(value); }}}},
        plugins: {
          legend: {position: "bottom", labels: {boxWidth: 12, font: {size: 11}}},
          tooltip: {callbacks: {label: function (item) {
            return item.dataset.label + ": " + item.dataset.text[item.dataIndex] + " " + indicator.unit;
          }}}
        }
      }
    });
  }

  function costs(canvas, data) {
    var c = data.costs;
    var width = canvas.parentNode.clientWidth < 600 ? 16 : 28;
    var labels = c.partners.map(function (name) { return lines(name, width); });
    var rows = labels.reduce(function (sum, l) { return sum + Math.max(l.length, 2); }, 0);
    canvas.parentNode.style.height = (120 + 22 * rows) + "px";
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: labels,
        datasets: c.parts.map(function (part, i) {
          return {label: part.label, data: part.values, text: part.text, stack: "cost",
                  backgroundColor: PARTS[i % PARTS.length]};
        })
      },
      options: {
        indexAxis: "y", animation: false, responsive: true, maintainAspectRatio: false,
        scales: {
          x: {stacked: true, beginAtZero: true, title: {display: true, text: c.unit},
              ticks: {callback: function (value) { return figure(value); }}},
          y: {stacked: true, ticks: {autoSkip: false, font: {size: 11}}}
        },
        plugins: {
          legend: {position: "bottom", labels: {boxWidth: 12, font: {size: 11}}},
          tooltip: {callbacks: {
            title: function (items) { return c.partners[items[0].dataIndex]; },
            label: function (item) { return item.dataset.label + ": " + item.dataset.text[item.dataIndex] + " " + c.unit; },
            footer: function (items) { return "All parts: " + c.totals_text[items[0].dataIndex] + " " + c.unit; }
          }}
        }
      }
    });
  }

  function drawAll() {
    if (!window.Chart) return;
    var data = source();
    if (!data) return;
    document.querySelectorAll("canvas[data-lca]").forEach(function (canvas) {
      var indicator = data.lca[Number(canvas.dataset.lca)];
      if (indicator && !window.Chart.getChart(canvas)) lca(canvas, data, indicator);
    });
    document.querySelectorAll("canvas[data-costs]").forEach(function (canvas) {
      if (!window.Chart.getChart(canvas)) costs(canvas, data);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
  document.addEventListener("htmx:afterSettle", drawAll);
})();
