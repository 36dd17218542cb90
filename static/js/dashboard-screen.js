// The big screen (大屏) of the command centre: key figures as tiles, charts, a live clock, and a
// refresh every minute from /dashboard/screen/data.json.
//
// Built to run for days on a wall: every chart is created once, at load, one per container; a
// refresh only calls chart.setOption(…) on the charts that exist and rewrites the text of the
// tiles. One clock timer, one refresh timer, one resize listener, one "finished" listener per
// chart; no fetch overlaps another, and a fetch that fails keeps the last figures on screen and
// shows the "offline" marker until the next one succeeds.
(function () {
  "use strict";
  var script = document.currentScript;
  var source = document.getElementById("screen-data");
  if (!script || !source || typeof echarts === "undefined") { return; }

  var DATA_URL = script.getAttribute("data-url");
  var EVERY_MS = Math.max(10, parseInt(script.getAttribute("data-refresh"), 10) || 60) * 1000;
  var LOCALE = script.getAttribute("data-locale") || "zh-CN";
  var TIME_ZONE = "Asia/Shanghai";
  var FONT = "'Microsoft YaHei', 'PingFang SC', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif";
  var PALETTE = ["#4fd2ff", "#ffd35a", "#5ee2a0", "#ff8a65", "#b18cff", "#3d8bff", "#ff6b9a", "#c0e26a"];
  var TEXT = "#dce7f8";
  var MUTED = "#9fb3d1";

  var charts = {}; // chart id → { chart, type, horizontal, node }
  var busy = false;
  var failures = 0;

  // font sizes follow the screen's height (designed at 1080 px)
  function px(size) { return Math.max(1, Math.round(size * window.innerHeight / 1080)); }

  function byAttr(name, value) {
    var found = [];
    var nodes = document.querySelectorAll("[" + name + "]");
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i].getAttribute(name) === value) { found.push(nodes[i]); }
    }
    return found;
  }

  function formatNumber(value) {
    if (value === null || value === undefined || value === "") { return "—"; }
    return Number(value).toLocaleString(LOCALE, { maximumFractionDigits: 2 });
  }

  // --- chart options ----------------------------------------------------------------------------

  // street names on an axis without their common "街道": the panel's title says "by street"
  var shortNames = {};
  function shortName(name) { return shortNames[name] || name; }
  function learnShortNames(categories) {
    var all = categories.length > 2 && categories.every(function (c) {
      return c.length > 3 && c.slice(-2) === "街道";
    });
    if (all) { categories.forEach(function (c) { shortNames[c] = c.slice(0, -2); }); }
  }

  // two series where the second is part of the first (visited of assigned, resolved of
  // received): one bar over the other, labelled "part/whole"
  function nested(spec) {
    if (spec.series.length !== 2) { return false; }
    var whole = spec.series[0].data;
    var part = spec.series[1].data;
    for (var i = 0; i < whole.length; i++) {
      if (part[i] !== null && part[i] !== undefined && Number(part[i]) > Number(whole[i] || 0)) { return false; }
    }
    return true;
  }

  function barStyle(entry, overlap, index) {
    var style = { borderRadius: entry.horizontal ? [0, 3, 3, 0] : [3, 3, 0, 0] };
    if (overlap) { style.color = index === 0 ? "rgba(79, 210, 255, .3)" : PALETTE[0]; }
    return style;
  }

  function axisOption(spec, entry) {
    var multi = spec.series.length > 1;
    var overlap = entry.type === "bar" && nested(spec);
    var count = Math.max(1, spec.categories.length);
    var width = entry.node.clientWidth || 600;
    var category = {
      type: "category",
      data: spec.categories.map(shortName),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: "rgba(120, 170, 240, .45)" } },
      axisLabel: {
        color: TEXT, fontSize: px(16), interval: 0,
        width: entry.horizontal ? Math.round(width * 0.26) : Math.max(40, Math.floor((width - 90) / count) - 6),
        overflow: "truncate"
      }
    };
    var counts = spec.series.every(function (s) {
      return s.data.every(function (v) { return v === null || v === undefined || Number(v) % 1 === 0; });
    });
    var value = {
      type: "value",
      minInterval: counts ? 1 : 0,
      axisLabel: { color: MUTED, fontSize: px(14) },
      splitLine: { lineStyle: { color: "rgba(120, 170, 240, .14)" } }
    };
    if (entry.horizontal) { category.inverse = true; }
    return {
      backgroundColor: "transparent",
      color: PALETTE,
      textStyle: { fontFamily: FONT },
      animationDurationUpdate: 800,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { show: multi, top: 0, right: 0, itemGap: px(16), textStyle: { color: TEXT, fontSize: px(15) } },
      grid: { left: px(8), right: px(entry.horizontal ? 64 : 16), top: px(multi ? 34 : 24), bottom: px(4), containLabel: true },
      xAxis: entry.horizontal ? value : category,
      yAxis: entry.horizontal ? category : value,
      series: spec.series.map(function (s, i) {
        var line = entry.type === "line";
        var label = {
          show: overlap ? i === 0 : spec.series.length <= 2,
          position: entry.horizontal ? "right" : "top",
          color: "#fff", fontSize: px(15),
          formatter: function (p) { return formatNumber(p.value); }
        };
        if (overlap) {
          label.formatter = function (p) {
            return formatNumber(spec.series[1].data[p.dataIndex]) + " / " + formatNumber(p.value);
          };
        }
        return {
          id: "s" + i,
          name: s.name,
          type: line ? "line" : "bar",
          data: s.data,
          smooth: line,
          symbolSize: px(8),
          lineStyle: line ? { width: px(3) } : undefined,
          areaStyle: line && !multi ? { opacity: 0.15 } : undefined,
          barMaxWidth: px(36),
          barGap: overlap ? "-100%" : "20%",
          z: overlap ? 2 + i : 2,
          itemStyle: line ? undefined : barStyle(entry, overlap, i),
          label: label
        };
      })
    };
  }

  function pieOption(spec) {
    var series = spec.series[0] || { name: spec.name, data: [] };
    var data = spec.categories.map(function (name, i) {
      var v = series.data[i];
      return { name: name, value: v === null || v === undefined ? 0 : v };
    });
    var total = data.reduce(function (sum, d) { return sum + Number(d.value || 0); }, 0);
    return {
      backgroundColor: "transparent",
      color: PALETTE,
      textStyle: { fontFamily: FONT },
      animationDurationUpdate: 800,
      tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
      title: {
        text: formatNumber(total), subtext: spec.unit || "",
        left: "39%", top: "40%", textAlign: "center",
        textStyle: { color: "#fff", fontSize: px(30), fontWeight: "bold" },
        subtextStyle: { color: MUTED, fontSize: px(15) }
      },
      legend: {
        orient: "vertical", right: px(4), top: "middle", itemGap: px(10),
        textStyle: { color: TEXT, fontSize: px(16) },
        formatter: function (name) {
          for (var i = 0; i < data.length; i++) {
            if (data[i].name === name) { return name + "  " + formatNumber(data[i].value); }
          }
          return name;
        }
      },
      series: [{
        id: "s0",
        name: series.name || spec.name,
        type: "pie",
        radius: ["48%", "74%"],
        center: ["40%", "52%"],
        avoidLabelOverlap: true,
        itemStyle: { borderColor: "#061330", borderWidth: 2 },
        label: { show: false },
        data: data
      }]
    };
  }

  function option(spec, entry) {
    learnShortNames(spec.categories);
    return entry.type === "pie" ? pieOption(spec) : axisOption(spec, entry);
  }

  // --- create once, update in place -------------------------------------------------------------

  function setUp(list) {
    list.forEach(function (spec) {
      var node = byAttr("data-chart", spec.id)[0];
      if (!node || charts[spec.id]) { return; }
      var entry = {
        chart: echarts.init(node, "dark", { renderer: "canvas" }),
        type: spec.type,
        horizontal: spec.type === "bar" && spec.categories.length > 6,
        node: node
      };
      entry.chart.on("finished", function () { node.setAttribute("data-rendered", "1"); });
      charts[spec.id] = entry;
      entry.chart.setOption(option(spec, entry));
    });
  }

  function fit(node) {
    // shrink a tile's big number until it fits its tile (long amounts), never below half its
    // size; the smaller figures keep their size and their labels give way instead
    var number = node.querySelector(".screen-value");
    if (!number) { return; }
    number.style.fontSize = "";
    var size = parseFloat(window.getComputedStyle(number).fontSize);
    var floor = size / 2;
    while (node.scrollWidth > node.clientWidth + 1 && size > floor) {
      size -= 1;
      number.style.fontSize = size + "px";
    }
  }

  function fitAll() {
    var nodes = document.querySelectorAll(".screen-tile-number");
    for (var i = 0; i < nodes.length; i++) { fit(nodes[i]); }
  }

  function updateFigures(sections) {
    sections.forEach(function (section) {
      section.figures.forEach(function (f) {
        byAttr("data-figure", f.key).forEach(function (node) {
          var value = node.querySelector(".screen-value");
          var unit = node.querySelector(".screen-unit");
          if (value && value.textContent !== f.screen_display) { value.textContent = f.screen_display; }
          if (unit && unit.textContent !== f.screen_unit) { unit.textContent = f.screen_unit; }
        });
      });
    });
    fitAll();
  }

  function updateLines(sections) {
    var footer = document.getElementById("screen-lines");
    if (!footer) { return; }
    var lines = [];
    sections.forEach(function (s) { lines = lines.concat(s.lines || []); });
    if (footer.getAttribute("data-lines") === JSON.stringify(lines)) { return; }
    footer.setAttribute("data-lines", JSON.stringify(lines));
    footer.textContent = "";
    lines.forEach(function (line) {
      var span = document.createElement("span");
      span.textContent = line;
      footer.appendChild(span);
    });
  }

  function updateCharts(list) {
    var seen = {};
    list.forEach(function (spec) {
      var entry = charts[spec.id];
      if (!entry) { return; } // a chart that was not on the screen at load waits for a reload
      seen[spec.id] = true;
      entry.chart.setOption(option(spec, entry), { replaceMerge: ["series"] });
    });
    Object.keys(charts).forEach(function (id) {
      if (seen[id]) { return; }
      var entry = charts[id];
      entry.chart.setOption(option({ name: "", unit: "", categories: [], series: [] }, entry), { replaceMerge: ["series"] });
    });
  }

  function setReadAt(label) {
    var node = document.getElementById("screen-read-at");
    if (!node || !label) { return; }
    var template = node.getAttribute("data-template") || "__TIME__";
    node.textContent = template.replace("__TIME__", label);
  }

  function setOffline(offline) {
    var marker = document.getElementById("screen-offline");
    if (marker) { marker.hidden = !offline; }
    document.documentElement.setAttribute("data-offline", offline ? "1" : "0");
  }

  function apply(data) {
    updateFigures(data.sections || []);
    updateCharts(data.charts || []);
    updateLines(data.sections || []);
    setReadAt(data.read_at_label);
  }

  function refresh() {
    if (busy) { return Promise.resolve(false); }
    busy = true;
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timeout = controller ? window.setTimeout(function () { controller.abort(); }, 20000) : null;
    return window.fetch(DATA_URL, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      // a lapsed session answers with the login page: that is "offline" too
      if (!response.ok || response.redirected) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      apply(data);
      failures = 0;
      setOffline(false);
      return true;
    }).catch(function () {
      failures += 1;
      setOffline(true);
      return false;
    }).then(function (ok) {
      if (timeout !== null) { window.clearTimeout(timeout); }
      busy = false;
      return ok;
    });
  }

  // --- the clock --------------------------------------------------------------------------------

  var dateFormat = new Intl.DateTimeFormat(LOCALE, {
    timeZone: TIME_ZONE, year: "numeric", month: "long", day: "numeric", weekday: "long"
  });
  var timeFormat = new Intl.DateTimeFormat(LOCALE, {
    timeZone: TIME_ZONE, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23"
  });
  var dateNode = document.getElementById("screen-date");
  var clockNode = document.getElementById("screen-clock");

  function tick() {
    var now = new Date();
    var date = dateFormat.format(now);
    if (dateNode && dateNode.textContent !== date) { dateNode.textContent = date; }
    if (clockNode) { clockNode.textContent = timeFormat.format(now); }
  }

  // --- start ------------------------------------------------------------------------------------

  var initial = JSON.parse(source.textContent);
  setUp(initial.charts || []);
  fitAll();
  tick();
  window.setInterval(tick, 1000);
  window.setInterval(refresh, EVERY_MS);
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (id) { charts[id].chart.resize(); });
    fitAll();
  });

  // for the browser journeys: refresh now, and look at the charts without creating any
  window.qifuScreen = {
    refresh: refresh,
    chartIds: function () { return Object.keys(charts); },
    failures: function () { return failures; }
  };
})();
