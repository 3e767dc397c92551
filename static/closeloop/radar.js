/* Radar charts of the comparison page (Chart.js, static/vendor). Each <canvas data-radar="ID"> draws the JSON of
 * <script id="ID" type="application/json"> (assessment.compare.radar plus each figure): one axis per indicator, its
 * label saying which way is better, each scenario's score between 0 and 1, outward is better. */
(function () {
  "use strict";

  var COLOURS = ["#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037", "#ad1457"];

  function withAlpha(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.radar);
    if (!source || !window.Chart) return;
    var data = JSON.parse(source.textContent);
    var chart = new window.Chart(canvas, {
      type: "radar",
      data: {
        // Two lines per axis: the indicator, then the direction, e.g. "Total RL cost" / "(lower is better)".
        labels: data.axes.map(function (axis) { return [axis.label, "(" + axis.direction + ")"]; }),
        datasets: data.scenarios.map(function (scenario, i) {
          var colour = COLOURS[i % COLOURS.length];
          return {label: scenario.name, data: scenario.scores, borderColor: colour, borderWidth: 2,
                  backgroundColor: withAlpha(colour, 0.12), pointBackgroundColor: colour, pointRadius: 3};
        })
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        layout: {padding: 4},
        scales: {
          r: {min: 0, max: 1, beginAtZero: true,
              ticks: {stepSize: 0.25, backdropColor: "rgba(255,255,255,0.8)", font: {size: 10},
                      callback: function (value) { return value.toFixed(2); }},
              pointLabels: {font: {size: 11}, color: "#37474f"}}
        },
        plugins: {
          legend: {position: "bottom"},
          tooltip: {
            callbacks: {
              title: function (items) { return data.axes[items[0].dataIndex].label; },
              label: function (item) {
                var axis = data.axes[item.dataIndex];
                var scenario = data.scenarios[item.datasetIndex];
                return scenario.name + ": " + scenario.values[item.dataIndex] + " " + axis.unit +
                  " (score " + item.parsed.r.toFixed(2) + ")";
              }
            }
          }
        }
      }
    });
    canvas.dataset.drawn = String(chart.data.datasets.length);
  }

  function drawAll() {
    document.querySelectorAll("canvas[data-radar]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
