// Charts of a pilot's evaluation (monitoring/pilots/detail.html): treatment and comparison group side by side.
// A static file, not an inline script, so that the Content-Security-Policy needs no 'unsafe-inline'.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.Chart) { return; }
  var colours = ["#154273", "#a4001c"];
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var spec = JSON.parse(document.getElementById(canvas.getAttribute("data-chart")).textContent);
    canvas.closest("figure").hidden = false;
    new window.Chart(canvas, {type: spec.type, data: {labels: spec.labels, datasets: spec.datasets.map(function (d, i) {
      return {label: d.label, data: d.data, backgroundColor: colours[i % 2], borderColor: colours[i % 2]}; })},
      options: {animation: still ? false : {duration: 400}, responsive: true, maintainAspectRatio: false,
                scales: {y: {beginAtZero: true, title: {display: true, text: spec.y_label || ""}}}}});
  });
});
