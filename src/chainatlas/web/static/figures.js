/* Draw every plotly figure of a page from its JSON (in a script tag beside the div). */
(function () {
  "use strict";
  document.querySelectorAll("div.plot[data-figure]").forEach(function (div) {
    var src = document.getElementById(div.dataset.figure);
    if (!src) { return; }
    var fig = JSON.parse(src.textContent);
    var layout = fig.layout || {};
    layout.autosize = true;
    delete layout.width;
    window.Plotly.newPlot(div, fig.data || [], layout, { responsive: true, displaylogo: false })
      .then(function () { div.dataset.rendered = "1"; });
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("div.plot[data-rendered]").forEach(function (d) { window.Plotly.Plots.resize(d); });
  });
})();
