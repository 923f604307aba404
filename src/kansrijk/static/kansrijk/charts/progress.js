// The client's progress chart (diagnosis/overview.html): trede and ZRM average over time, on two axes.
// A static file, not an inline script, so that the Content-Security-Policy needs no 'unsafe-inline'.
document.addEventListener("DOMContentLoaded", function () {
  var canvas = document.getElementById("voortgang-grafiek");
  if (!canvas || !window.Chart) { return; }
  var data = JSON.parse(document.getElementById("voortgang-data").textContent);
  document.getElementById("voortgang-figuur").hidden = false;
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  window.Chart.defaults.color = "#4a4a4a";
  window.Chart.defaults.font.size = 13;
  new window.Chart(canvas, {
    type: "line",
    data: {labels: data.labels, datasets: [
      {label: data.tredeLabel, data: data.trede, yAxisID: "trede", spanGaps: true, borderColor: "#154273",
       backgroundColor: "#154273", pointStyle: "rect", pointRadius: 5, borderWidth: 3},
      {label: data.zrmLabel, data: data.zrm, yAxisID: "zrm", spanGaps: true, borderColor: "#a4001c",
       backgroundColor: "#a4001c", pointStyle: "triangle", pointRadius: 6, borderWidth: 3, borderDash: [6, 4]}
    ]},
    options: {
      animation: still ? false : {duration: 400}, responsive: true, maintainAspectRatio: false,
      scales: {
        trede: {type: "linear", position: "left", min: 1, max: 6, ticks: {stepSize: 1},
                title: {display: true, text: data.tredeLabel}},
        zrm: {type: "linear", position: "right", min: 1, max: 5, ticks: {stepSize: 1}, grid: {drawOnChartArea: false},
              title: {display: true, text: data.zrmLabel}}
      }
    }
  });
});
