// The timetable as a Gantt-style chart: one line per milestone, from its planned date (◇) to
// its actual date, or while not reached its forecast (●), coloured green / blue / yellow / red.
(function () {
  "use strict";
  var source = document.getElementById("projects-gantt-data");
  var node = document.getElementById("projects-gantt");
  if (!source || !node || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  if (!data.items || !data.items.length) { return; }
  var palette = { green: "#198754", blue: "#0d6efd", yellow: "#ffc107", red: "#dc3545" };
  var font = "system-ui, 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif";
  var labels = data.labels;
  var categories = [];
  var planned = [];
  var reached = [];
  var spans = [];
  data.items.forEach(function (item, index) {
    var name = item.project + " · " + item.name;
    categories.push(name);
    var end = item.actual || item.forecast;
    var colour = palette[item.colour] || palette.blue;
    if (item.planned) {
      planned.push({ value: [item.planned, index], itemStyle: { borderColor: colour } });
    }
    if (end) {
      reached.push({
        value: [end, index],
        itemStyle: { color: colour },
        kind: item.actual ? labels.actual : labels.forecast
      });
    }
    var start = item.planned || end;
    if (start && end) {
      spans.push({ value: [start, end, index], colour: colour });
    }
  });
  var chart = echarts.init(node, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: font },
    tooltip: {
      trigger: "item",
      formatter: function (p) {
        if (p.seriesType === "custom") { return categories[p.value[2]] + "<br>" + p.value[0] + " → " + p.value[1]; }
        return categories[p.value[1]] + "<br>" + (p.data.kind || labels.planned) + "：" + p.value[0];
      }
    },
    grid: { left: 10, right: 30, top: 20, bottom: 30, containLabel: true },
    xAxis: { type: "time" },
    yAxis: { type: "category", data: categories, inverse: true, axisLabel: { width: 220, overflow: "truncate" } },
    series: [
      {
        type: "custom",
        renderItem: function (params, api) {
          var from = api.coord([api.value(0), api.value(2)]);
          var to = api.coord([api.value(1), api.value(2)]);
          var colour = spans[params.dataIndex].colour;
          return {
            type: "line",
            shape: { x1: from[0], y1: from[1], x2: to[0], y2: to[1] },
            style: { stroke: colour, lineWidth: 4, opacity: 0.5 }
          };
        },
        encode: { x: [0, 1], y: 2 },
        data: spans.map(function (s) { return s.value; }),
        z: 1
      },
      { type: "scatter", name: labels.planned, symbol: "diamond", symbolSize: 12, itemStyle: { color: "#fff", borderWidth: 2 }, data: planned, z: 2 },
      {
        type: "scatter", name: labels.actual, symbol: "circle", symbolSize: 10, data: reached, z: 3,
        markLine: { silent: true, symbol: "none", lineStyle: { color: "#6c757d", type: "dashed" }, data: [{ xAxis: data.today }] }
      }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
