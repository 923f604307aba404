// Charts beside the analysis tables (monitoring/_tables.html) and the pilot evaluation: one per canvas[data-chart],
// fed by the json_script the attribute names. Without JavaScript the tables alone carry the figures.
// A static file, not an inline script, so that the Content-Security-Policy needs no 'unsafe-inline'.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.Chart) { return; }
  var colours = ["#154273", "#a4001c", "#39870c", "#e17000", "#6f3a8c", "#007bc7", "#94710a", "#42145f", "#d52b1e",
                 "#275937", "#673327", "#01689b"];
  var styles = ["rect", "triangle", "circle", "rectRot", "star", "crossRot", "cross", "rectRounded"];
  var dashes = [[], [6, 4], [2, 3], [8, 3, 2, 3]];
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  window.Chart.defaults.color = "#4a4a4a";
  window.Chart.defaults.font.size = 13;
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var figure = canvas.closest("figure");
    figure.hidden = false;
    var datasets = spec.datasets.map(function (d, i) {
      var colour = colours[i % colours.length];
      return {label: d.label, data: d.data, borderColor: colour, backgroundColor: colour, spanGaps: false,
              pointStyle: styles[i % styles.length], pointRadius: spec.steps ? 0 : 4, borderWidth: 2,
              borderDash: spec.type === "line" ? dashes[i % dashes.length] : undefined,
              stepped: spec.steps ? "before" : false};
    });
    new window.Chart(canvas, {
      type: spec.type,
      data: {labels: spec.labels, datasets: datasets},
      options: {
        animation: still ? false : {duration: 400}, responsive: true, maintainAspectRatio: false,
        scales: {
          x: {stacked: !!spec.stacked, title: {display: !!spec.x_label, text: spec.x_label || ""}},
          y: {stacked: !!spec.stacked, beginAtZero: true, max: spec.y_max || undefined,
              title: {display: true, text: spec.y_label || ""}}
        }
      }
    });
  });
});
