/* The dashboard's charts (Apache ECharts, vendored) and sortable tables. The data comes from the
   page's JSON (json_script); every chart has a table beside it with the same numbers. */
(function () {
  "use strict";
  var node = document.getElementById("dashboard-data");
  if (!node || !window.echarts) { return; }
  var data = JSON.parse(node.textContent);
  var charts = [];
  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var c = window.echarts.init(el, null, { renderer: "canvas" });
    c.setOption(option);
    charts.push(c);
  }
  chart("chart-months", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: 32 },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value" },
    series: data.series.map(function (s) { return { name: s.name, type: "line", data: s.data }; })
  });
  chart("chart-sites", {
    tooltip: { trigger: "axis" },
    grid: { left: 150, right: 16, top: 16, bottom: 24 },
    xAxis: { type: "value" },
    yAxis: { type: "category", data: data.sites, inverse: true },
    series: [{ name: data.labels.served, type: "bar", data: data.site_served }]
  });
  var maxSize = 1;
  data.where.forEach(function (p) { maxSize = Math.max(maxSize, p[2], p[3]); });
  function size(v) { return 6 + 30 * Math.sqrt(v / maxSize); }
  chart("chart-where", {
    tooltip: { formatter: function (p) { return p.data[4] + "：" + p.value[2 + (p.seriesIndex)] ; } },
    legend: { top: 0 },
    grid: { left: 56, right: 16, top: 40, bottom: 32 },
    xAxis: { type: "value", scale: true, name: "经度" },
    yAxis: { type: "value", scale: true, name: "纬度" },
    series: [
      { name: data.labels.positions, type: "scatter", data: data.where, symbolSize: function (v) { return size(v[2]); } },
      { name: data.labels.seekers, type: "scatter", data: data.where, symbolSize: function (v) { return size(v[3]); } }
    ]
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();

(function () {
  "use strict";
  /* Click a column's heading to sort the table by it (numbers as numbers), again to reverse. */
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("button.sort").forEach(function (button) {
      button.addEventListener("click", function () {
        var col = Number(button.getAttribute("data-col"));
        var desc = button.getAttribute("data-dir") !== "descending";
        table.querySelectorAll("th[aria-sort]").forEach(function (th) { th.removeAttribute("aria-sort"); });
        button.closest("th").setAttribute("aria-sort", desc ? "descending" : "ascending");
        table.querySelectorAll("button.sort").forEach(function (b) { b.removeAttribute("data-dir"); });
        button.setAttribute("data-dir", desc ? "descending" : "ascending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col], y = b.cells[col];
          var vx = x.getAttribute("data-value"), vy = y.getAttribute("data-value");
          var nx = parseFloat(vx), ny = parseFloat(vy);
          var r = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.textContent.localeCompare(y.textContent, "zh-CN");
          return desc ? -r : r;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
