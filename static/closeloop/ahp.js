/* AHP pages (assessment.views): the criteria-set form shows the criteria of the chosen kind; a pairwise matrix
 * fills its lower triangle with the reciprocals of the judgements above the diagonal as they are chosen (the weights
 * and CR come from the server through htmx); on the partner ranking form a criterion's matrix shows only when its
 * local scores come from pairwise judgements (also on the scenario ranking form, which hides the scenarios not
 * ticked and shows each matrix's CR); the ranking pages draw their sensitivity chart (Chart.js), also when
 * it arrives later with a polled part of the page (htmx). */
(function () {
  "use strict";

  function parse(text) {
    text = String(text || "").trim().replace(",", ".");
    var value = text.indexOf("/") >= 0 ? Number(text.split("/")[0]) / Number(text.split("/")[1]) : Number(text);
    return isFinite(value) && value > 0 ? value : null;
  }

  function scaleText(x) {  // as assessment.forms.saaty_text: 3, 1/3, else 3 significant digits
    if (Math.abs(x - Math.round(x)) < 1e-6 && Math.round(x) >= 1) return String(Math.round(x));
    if (x < 1 && Math.abs(1 / x - Math.round(1 / x)) < 1e-6) return "1/" + Math.round(1 / x);
    return String(Number(x.toPrecision(3)));
  }

  function reciprocal(input) {
    // several matrices may share a page (one per criterion when ranking partners): look in the input's own table
    var key = input.dataset.column + "-" + input.dataset.row;
    var table = input.closest("table");
    var cell = (table && table.querySelector("[data-reciprocal='" + key + "']")) ||
      document.getElementById("reciprocal-" + key);
    if (!cell) return;
    var value = parse(input.value);
    cell.textContent = value === null ? "—" : scaleText(1 / value);
    cell.classList.remove("changed");
    void cell.offsetWidth;  // restart the highlight
    cell.classList.add("changed");
  }

  function matrix() {
    ["judgement-form", "partner-rank-form", "rank-form"].forEach(function (id) {
      var form = document.getElementById(id);
      if (!form) return;
      var update = function (event) { if (event.target.dataset.row !== undefined) reciprocal(event.target); };
      form.addEventListener("change", update);
      form.addEventListener("input", update);
    });
  }

  function origins() {  // partner ranking: a criterion's matrix only when it is judged pairwise
    document.querySelectorAll("fieldset.criterion-origin").forEach(function (fieldset) {
      var pairwise = fieldset.querySelector(".pairwise");
      if (!pairwise) return;
      function show() {
        var checked = fieldset.querySelector("input[type=radio]:checked");
        var judged = !!checked && checked.value === "judgements";
        pairwise.hidden = !judged;
        pairwise.querySelectorAll("select").forEach(function (select) { select.disabled = !judged; });
      }
      fieldset.querySelectorAll("input[type=radio]").forEach(function (radio) {
        radio.addEventListener("change", show);
      });
      show();
    });
  }

  // Scenario ranking (a scenario criteria set's page): each criterion's matrix lists every scenario of the study;
  // only the ticked ones count, so the others' rows and columns are hidden, and each matrix's CR is that of the
  // ticked scenarios' sub-matrix (the principal eigenvalue by power iteration; CI = (lambda_max - n) / (n - 1),
  // CR = CI / RI(n) from the set's random-index table, as assessment.ahp computes it on the server).
  function judgementAt(table, i, j) {
    if (i === j) return 1;
    var upper = i < j;
    var row = upper ? i : j, column = upper ? j : i;
    var select = table.querySelector("select[data-row='" + row + "'][data-column='" + column + "']");
    var value = select ? parse(select.value) : null;
    if (value === null) return null;
    return upper ? value : 1 / value;
  }

  function consistencyRatio(a, ri) {
    var n = a.length;
    if (n < 3) return 0;
    var w = a.map(function () { return 1 / n; });
    var lambda = n;
    for (var step = 0; step < 200; step++) {
      var next = a.map(function (row) {
        return row.reduce(function (sum, x, j) { return sum + x * w[j]; }, 0);
      });
      lambda = next.reduce(function (x, y) { return x + y; }, 0);  // w sums to 1
      w = next.map(function (x) { return x / lambda; });
    }
    var index = ri[n - 1];
    if (!index) return null;
    return Math.max(0, (lambda - n) / (n - 1)) / index;
  }

  function figure(x) {  // as partners.figures.number for a ratio: 0, else three significant digits below 1
    if (Math.abs(x) < 5e-10) return "0";
    return String(Number(Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3)));
  }

  function rankScenarios() {
    var form = document.getElementById("rank-form");
    if (!form) return;
    var ri = String(form.dataset.ri || "").split(",").map(Number);
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=scenarios]"));
    function update() {
      var chosen = [];
      boxes.forEach(function (box, k) { if (box.checked) chosen.push(k); });
      form.querySelectorAll("table.matrix").forEach(function (table) {
        table.querySelectorAll("tr").forEach(function (tr) {
          var body = tr.parentElement.tagName === "TBODY";
          var row = Array.prototype.indexOf.call(tr.parentElement.children, tr);
          tr.hidden = body && !boxes[row].checked;
          Array.prototype.forEach.call(tr.children, function (cell, k) {
            if (k > 0) cell.hidden = !boxes[k - 1].checked;
          });
        });
      });
      form.querySelectorAll("output[data-cr-for]").forEach(function (output) {
        var table = document.getElementById(output.dataset.crFor);
        var verdict = output.parentElement.querySelector(".cr-verdict");
        var a = chosen.map(function (i) { return chosen.map(function (j) { return judgementAt(table, i, j); }); });
        var complete = chosen.length >= 2 && a.every(function (row) {
          return row.every(function (x) { return x !== null; });
        });
        var cr = complete ? consistencyRatio(a, ri) : null;
        output.textContent = cr === null ? "—" : figure(cr);
        if (verdict) {
          verdict.textContent = cr === null ? "" : cr <= 0.1 ? "consistent (CR ≤ 0.1)"
            : "inconsistent (CR above 0.1): revisit these judgements";
          verdict.classList.toggle("flag", cr !== null && cr > 0.1);
        }
      });
    }
    form.addEventListener("change", update);
    form.addEventListener("input", update);
    update();
  }

  function kinds() {
    var form = document.getElementById("set-form");
    if (!form) return;
    function show() {
      var checked = form.querySelector("input[name=kind]:checked");
      var kind = checked ? checked.value : "scenario";
      form.querySelectorAll(".criteria-choice").forEach(function (fieldset) {
        var hidden = fieldset.dataset.kind !== kind;
        fieldset.hidden = hidden;
        fieldset.querySelectorAll("input").forEach(function (box) { box.disabled = hidden; });
      });
    }
    form.querySelectorAll("input[name=kind]").forEach(function (radio) { radio.addEventListener("change", show); });
    show();
  }

  function sensitivity() {
    var canvas = document.querySelector("canvas[data-sensitivity]");
    var source = canvas && document.getElementById(canvas.dataset.sensitivity);
    if (!source || !window.Chart || window.Chart.getChart(canvas)) return;
    var data = JSON.parse(source.textContent);
    var box = canvas.closest(".sensitivity-box");  // its height follows the number of criteria (set here: no style attribute)
    if (box && box.dataset.height) box.style.height = box.dataset.height + "px";
    // Where nothing changes, the bar runs to the end of the feasible range (weight 0 or 1), in grey.
    var down = data.down.map(function (d, k) { return d === null ? -data.weights[k] : d; });
    var up = data.up.map(function (d, k) { return d === null ? 1 - data.weights[k] : d; });
    function colours(values, colour) {
      return values.map(function (d) { return d === null ? "#cfd8dc" : colour; });
    }
    function describe(delta, by, k) {
      if (delta === null) return "no change";
      var to = data.weights[k] + delta;
      return (delta > 0 ? "+" : "−") + Math.abs(delta).toFixed(3) + " (weight " + to.toFixed(3) + "): " + by +
        " ties with " + data.winner;
    }
    var chart = new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          {label: "May fall by", data: down, backgroundColor: colours(data.down, "#c62828"), stack: "s"},
          {label: "May rise by", data: up, backgroundColor: colours(data.up, "#1565c0"), stack: "s"}
        ]
      },
      options: {
        indexAxis: "y",
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: {min: -1, max: 1, stacked: true, title: {display: true, text: "change in the criterion's weight"},
              ticks: {callback: function (v) { return (v > 0 ? "+" : "") + Number(v).toFixed(2); }}},
          y: {stacked: true}
        },
        plugins: {
          legend: {
            position: "bottom",
            // the bars' colours vary (grey where nothing changes): a fixed key instead of the first bar's colour
            labels: {generateLabels: function () {
              return [["May fall by", "#c62828"], ["May rise by", "#1565c0"], ["No change up to a weight of 0 or 1",
                "#cfd8dc"]].map(function (item) {
                return {text: item[0], fillStyle: item[1], strokeStyle: item[1], lineWidth: 0, hidden: false};
              });
            }}
          },
          tooltip: {
            callbacks: {
              label: function (item) {
                var k = item.dataIndex;
                return item.datasetIndex === 0 ? "May fall by " + describe(data.down[k], data.down_by[k], k)
                  : "May rise by " + describe(data.up[k], data.up_by[k], k);
              }
            }
          }
        }
      }
    });
    canvas.dataset.drawn = String(chart.data.datasets.length);
  }

  function start() {
    matrix();
    kinds();
    origins();
    rankScenarios();
    sensitivity();
    document.body.addEventListener("htmx:afterSettle", sensitivity);  // a polled ranking that has just finished
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
