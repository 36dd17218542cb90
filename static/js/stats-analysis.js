// Charts of the analysis page: trend, ranking and contributions, from the page's JSON data.
(function () {
  "use strict";
  var source = document.getElementById("stats-chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var font = "system-ui, 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif";
  var charts = [];

  function draw(id, option) {
    var node = document.getElementById(id);
    if (!node) { return; }
    var chart = echarts.init(node, null, { renderer: "svg" });
    option.textStyle = { fontFamily: font };
    option.animation = false;
    chart.setOption(option);
    charts.push(chart);
  }

  var labels = data.labels;
  draw("chart-trend", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 50, right: 50, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.periods },
    yAxis: [
      { type: "value", name: data.unit },
      { type: "value", name: "%", splitLine: { show: false } }
    ],
    series: [
      { name: labels.month, type: "bar", data: data.month, itemStyle: { color: "#a61b1b" } },
      { name: labels.ytd, type: "bar", data: data.ytd, itemStyle: { color: "#e8a0a0" } },
      { name: labels.month_yoy, type: "line", yAxisIndex: 1, data: data.month_yoy, connectNulls: false },
      { name: labels.ytd_yoy, type: "line", yAxisIndex: 1, data: data.ytd_yoy, connectNulls: false }
    ]
  });

  draw("chart-ranking", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 90, right: 30, top: 10, bottom: 30 },
    xAxis: { type: "value", name: "%" },
    yAxis: { type: "category", data: data.ranking.names },
    series: [{
      type: "bar", name: labels.ytd_yoy, data: data.ranking.values,
      itemStyle: { color: function (p) { return p.value < 0 ? "#198754" : "#a61b1b"; } },
      label: { show: true, position: "right", formatter: "{c}%" }
    }]
  });

  draw("chart-contribution", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 50, right: 20, top: 20, bottom: 50 },
    xAxis: { type: "category", data: data.contribution.names, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: "value" },
    series: [{
      type: "bar", name: labels.contribution, data: data.contribution.values,
      itemStyle: { color: function (p) { return p.value < 0 ? "#198754" : "#a61b1b"; } }
    }]
  });

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
