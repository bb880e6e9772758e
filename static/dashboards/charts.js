/* Draws every chart of a dashboard page with Apache ECharts (static/vendor/echarts-*): each element with
   data-option names a <script type="application/json"> (Django's json_script) holding its option. No inline
   script: the Content-Security-Policy forbids it. The command centre (data-refresh on <body>) fetches its figures
   again every data-every seconds; the map registers the district's boundary (data-geo) before drawing. */
(function () {
  "use strict";
  var charts = {};
  var dark = document.body.classList.contains("screen");

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function draw(el) {
    var option = readJson(el.dataset.option);
    if (!option) { return; }
    if (el.dataset.geo) {
      var boundary = readJson(el.dataset.geo);
      if (boundary) { echarts.registerMap("district", boundary); }
    }
    var chart = echarts.init(el, dark ? "dark" : null, { renderer: "canvas" });
    if (dark) { option.backgroundColor = "transparent"; }
    chart.setOption(option);
    if (el.dataset.links) {
      chart.on("click", function (params) {
        if (params.data && params.data.url) { window.location.href = params.data.url; }
      });
    }
    charts[el.id] = chart;
  }

  document.querySelectorAll("[data-option]").forEach(draw);
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (id) { charts[id].resize(); });
  });
  // A chart inside a closed <details> has no size until it opens.
  document.querySelectorAll("details").forEach(function (d) {
    d.addEventListener("toggle", function () {
      Object.keys(charts).forEach(function (id) { charts[id].resize(); });
    });
  });

  // The period selector: "custom" shows the range, the others the day they fall on.
  var form = document.querySelector(".dash-period");
  if (form) {
    var sync = function () {
      var checked = form.querySelector("input[name=period]:checked");
      var custom = checked && checked.value === "custom";
      form.classList.toggle("is-custom", custom);
      form.querySelectorAll(".dash-seg label").forEach(function (l) {
        l.classList.toggle("on", l.querySelector("input").checked);
      });
      form.querySelectorAll("input[type=date]").forEach(function (input) {
        var forCustom = input.name !== "at";
        input.disabled = forCustom !== custom;
      });
    };
    form.addEventListener("change", sync);
    sync();
  }

  // The command centre: figures again every N seconds, and a clock.
  var body = document.body;
  if (body.dataset.refresh) {
    var every = parseInt(body.dataset.every || "60", 10) * 1000;
    var refresh = function () {
      fetch(body.dataset.refresh, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (data) {
          Object.keys(data.charts).forEach(function (id) {
            if (charts[id]) {
              var option = data.charts[id];
              option.backgroundColor = "transparent";
              charts[id].setOption(option, { notMerge: true });
            }
          });
          Object.keys(data.kpis).forEach(function (key) {
            var card = document.querySelector(".kpi-" + key);
            if (card) {
              card.querySelector("strong").textContent = data.kpis[key].value;
              card.querySelector(".dash-kpi-note").textContent = data.kpis[key].note;
            }
          });
          var stamp = document.getElementById("screen-updated");
          if (stamp) { stamp.textContent = new Date().toLocaleTimeString(); }
          body.classList.remove("is-stale");
        })
        .catch(function () { body.classList.add("is-stale"); });
    };
    window.setInterval(refresh, every);
    var stamp = document.getElementById("screen-updated");
    if (stamp) { stamp.textContent = new Date().toLocaleTimeString(); }
    var clock = document.getElementById("screen-clock");
    if (clock) {
      var tick = function () { clock.textContent = new Date().toLocaleString(); };
      tick();
      window.setInterval(tick, 1000);
    }
  }
})();
