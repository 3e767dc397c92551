/* The cost-CO2e trade-off of an optimisation (Chart.js, static/vendor). <canvas data-tradeoff="ID"> draws the JSON of
 * <script id="ID" type="application/json"> (assessment.views_optimisation._tradeoff): `front` [{x: kg CO2e/year,
 * y: EUR/year, point, label, partners}], least CO2e first, joined by a line; `scenarios` [{x, y, name, stale, short,
 * delivered, need}], the study's assessed scenarios, drawn with their names (and whether they fall short of the
 * need); `proposal` {x, y, label}, the run's own answer, when it has one.
 * Clicking a point of the front chooses it in the form #point-form (hidden #chosen-point, text #chosen-text, button
 * #create-point-draft) and marks its row of #point-table; without JavaScript that table's buttons do the same. */
(function () {
  "use strict";

  var FRONT = "#1565c0", CHOSEN = "#ef6c00", SCENARIO = "#c62828", PROPOSAL = "#2e7d32";

  function fmt(x) {
    return Number(x).toLocaleString("en", {maximumFractionDigits: 0});
  }

  /* The scenarios' names next to their points. */
  var names = {
    id: "closeloopNames",
    afterDatasetsDraw: function (chart) {
      var index = chart.data.datasets.findIndex(function (d) { return d.names; });
      if (index < 0 || !chart.isDatasetVisible(index)) return;
      var ctx = chart.ctx, meta = chart.getDatasetMeta(index), area = chart.chartArea;
      ctx.save();
      ctx.font = "12px system-ui, sans-serif";
      ctx.fillStyle = "#37474f";
      ctx.textBaseline = "middle";
      meta.data.forEach(function (element, i) {
        var point = chart.data.datasets[index].data[i];
        var text = point.name + (point.short ? " (short of the need)" : "");
        var width = ctx.measureText(text).width;
        var left = element.x + 10 + width > area.right;  // no room on the right: write it on the left
        ctx.textAlign = left ? "right" : "left";
        ctx.fillText(text, left ? element.x - 10 : element.x + 10, element.y - 10);
      });
      ctx.restore();
    }
  };

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.tradeoff);
    if (!source || !window.Chart) return;
    var data = JSON.parse(source.textContent);
    var chosen = null;
    var datasets = [{
      label: "Trade-off front", data: data.front, showLine: true, borderColor: FRONT, borderWidth: 2,
      backgroundColor: data.front.map(function () { return FRONT; }),
      pointRadius: data.front.map(function () { return 5; }), pointHoverRadius: 8, order: 2
    }];
    if (data.scenarios.length) {
      datasets.push({
        label: "Assessed scenarios", data: data.scenarios, names: true, showLine: false, pointStyle: "rectRot",
        pointRadius: 8, pointHoverRadius: 10, borderColor: SCENARIO, backgroundColor: "rgba(198,40,40,0.25)",
        borderWidth: 2, order: 1
      });
    }
    if (data.proposal) {
      datasets.push({
        label: data.proposal.label, data: [data.proposal], showLine: false, pointStyle: "crossRot",
        pointRadius: 10, pointHoverRadius: 12, borderColor: PROPOSAL, borderWidth: 3, order: 0
      });
    }

    function select(i) {
      var front = chart.data.datasets[0];
      chosen = i;
      front.backgroundColor = data.front.map(function (p, k) { return k === i ? CHOSEN : FRONT; });
      front.pointRadius = data.front.map(function (p, k) { return k === i ? 9 : 5; });
      chart.update("none");
      var p = data.front[i];
      var input = document.getElementById("chosen-point"), text = document.getElementById("chosen-text");
      var button = document.getElementById("create-point-draft");
      if (input) input.value = String(p.point);
      if (text) text.textContent = p.label + " chosen: " + fmt(p.y) + " EUR/year, " + fmt(p.x) + " kg CO2e/year.";
      if (button) button.disabled = false;
      document.querySelectorAll("#point-table tr[data-point]").forEach(function (row) {
        row.classList.toggle("chosen", row.dataset.point === String(p.point));
      });
      canvas.dataset.chosen = String(p.point);
    }

    var chart = new window.Chart(canvas, {
      type: "scatter",
      data: {datasets: datasets},
      plugins: [names],
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        layout: {padding: {right: 12, top: 8}},
        scales: {
          x: {type: "linear", grace: "5%",
              title: {display: true, text: "Climate change at end of life (kg CO2e/year)"},
              ticks: {callback: function (value) { return fmt(value); }}},
          y: {type: "linear", grace: "5%",
              title: {display: true, text: "Total cost (EUR/year)"},
              ticks: {callback: function (value) { return fmt(value); }}}
        },
        plugins: {
          legend: {position: "bottom", labels: {
            usePointStyle: true, boxWidth: 8, boxHeight: 8,
            sort: function (a, b) { return a.datasetIndex - b.datasetIndex; }}},
          tooltip: {
            callbacks: {
              label: function (item) {
                var raw = item.raw;
                var name = raw.name ? raw.name + (raw.stale ? " (out of date)" : "") : raw.label;
                var line = name + ": " + fmt(raw.y) + " EUR/year, " + fmt(raw.x) + " kg CO2e/year";
                if (raw.short) return [line, "delivers " + raw.delivered + " of the " + raw.need + " t/year needed"];
                return raw.partners ? [line, raw.partners] : line;
              }
            }
          }
        },
        onHover: function (event, elements) {
          var onFront = elements.some(function (e) { return e.datasetIndex === 0; });
          canvas.style.cursor = onFront && document.getElementById("point-form") ? "pointer" : "default";
        },
        onClick: function (event) {
          var hits = chart.getElementsAtEventForMode(event, "nearest", {intersect: true}, true)
            .filter(function (e) { return e.datasetIndex === 0; });
          if (hits.length && document.getElementById("point-form")) select(hits[0].index);
        }
      }
    });
    canvas.dataset.drawn = String(chart.data.datasets.length);
    window.closeloop = Object.assign(window.closeloop || {}, {
      tradeoff: {chart: chart, select: select, chosen: function () { return chosen; }}
    });
  }

  function drawAll() {
    document.querySelectorAll("canvas[data-tradeoff]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
