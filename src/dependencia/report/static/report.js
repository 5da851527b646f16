/* dependencia report: draws the panels embedded in #report-data with Plotly.
 * Every user-supplied string reaches the page through textContent, or through
 * Plotly text after esc(); nothing here sets innerHTML. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("report-data").textContent);
  var panels = data.panels;
  var LABEL_LIMIT = 200;  // the most names the view draws (more would hide the network)
  var PALETTE = ["#2f6db5", "#e07b24", "#3a9a4a", "#c9403a", "#8a63b8", "#8c5a46", "#d16fae", "#6f7780",
    "#b3b02f", "#22a3b5", "#9fbbe3", "#f2b27a", "#94d08a", "#f0908c", "#c3aee0", "#c9a394", "#f2b2d6",
    "#b8bec5", "#dcd98a", "#93d6e0"];
  var DIMENSION_COLORS = ["#2f6db5", "#e07b24", "#3a9a4a", "#c9403a", "#8a63b8", "#8c5a46", "#d16fae",
    "#22a3b5", "#b3b02f", "#6f7780"];
  var PLOT_CONFIG = { displaylogo: false, responsive: true, scrollZoom: true };
  var CHART_FONT = { family: "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", size: 12, color: "#1d2430" };

  // ---- small helpers ------------------------------------------------------------------------------
  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; }
      else if (key === "className") { node.className = attrs[key]; }
      else { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  // Plotly reads text as a small subset of HTML (tags and a few entities): escape what the user wrote.
  // With < and > escaped no tag can start, so quotes need no escape (Plotly would show &quot; as is).
  function esc(value) {
    return String(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function fmt(value) {
    if (value === null || value === undefined || value === "") { return ""; }
    if (typeof value !== "number") { return String(value); }
    if (Number.isInteger(value)) { return value.toLocaleString("en"); }
    var magnitude = Math.abs(value);
    if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) { return value.toExponential(3); }
    var text = value.toPrecision(4);
    return text.indexOf(".") >= 0 ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
  }
  function maxOf(values) {
    var best = 0;
    values.forEach(function (v) { if (typeof v === "number" && v > best) { best = v; } });
    return best;
  }
  function shared(values) { return panels.length > 1 ? maxOf(values) : null; }
  function yRange(top) { return top === null ? undefined : [0, top > 0 ? top * 1.05 : 1]; }

  // One colour per category, the same in every panel.
  var categories = {};
  panels.forEach(function (panel) {
    var nodes = panel.graph.nodes;
    nodes.kind.concat(nodes.owner).forEach(function (c) { categories[c] = true; });
  });
  var categoryColor = {};
  Object.keys(categories).sort().forEach(function (c, i) { categoryColor[c] = PALETTE[i % PALETTE.length]; });
  var allDimensions = {};
  panels.forEach(function (panel) { panel.graph.dimensions.forEach(function (d) { allDimensions[d] = true; }); });
  var dimensionColor = {};
  Object.keys(allDimensions).sort().forEach(function (d, i) { dimensionColor[d] = DIMENSION_COLORS[i % DIMENSION_COLORS.length]; });
  var largestPower = maxOf([].concat.apply([], panels.map(function (panel) {
    return [].concat.apply([], panel.graph.frames.map(function (f) { return f.power; }));
  })));

  function markerSize(power) {
    if (power === null || power === undefined || largestPower <= 0) { return 7; }
    return 7 + 33 * Math.sqrt(Math.max(power, 0) / largestPower);
  }

  // ---- network view -------------------------------------------------------------------------------
  function networkView(container, panel, which) {
    var graph = panel.graph;
    var nodes = graph.nodes;
    var n = nodes.id.length;
    var state = { frame: graph.frames.length - 1, colorBy: "kind", found: -1, hidden: {},
      labelTop: Math.min(graph.label_top === undefined ? 10 : graph.label_top, LABEL_LIMIT) };
    var controls = h("div", { className: "controls" });
    var plot = h("div", { className: "network", id: "network-" + which, role: "img",
      "aria-label": "network view of " + panel.label });
    var status = h("p", { className: "status", "aria-live": "polite" });
    var legend = h("p", { className: "status legend" });

    graph.dimensions.forEach(function (dimension) {
      var box = h("input", { type: "checkbox", "data-dimension": dimension });
      box.checked = true;
      box.addEventListener("change", function () {
        if (box.checked) { delete state.hidden[dimension]; } else { state.hidden[dimension] = true; }
        draw();
      });
      controls.appendChild(h("label", {}, [box, h("span", { className: "swatch", style: "background:" + dimensionColor[dimension] }), dimension]));
    });
    var colorBy = h("select", { "aria-label": "colour nodes by" }, [
      h("option", { value: "kind", text: "colour by kind" }), h("option", { value: "owner", text: "colour by controller" })]);
    colorBy.addEventListener("change", function () { state.colorBy = colorBy.value; draw(); });
    controls.appendChild(colorBy);
    // the most powerful actors are named next to their markers; every node shows its id on hover
    var labelTop = h("input", { type: "number", min: "0", max: String(LABEL_LIMIT), step: "1",
      value: String(state.labelTop), "aria-label": "name the most powerful actors", className: "label-top" });
    labelTop.addEventListener("change", function () {
      var wanted = Math.floor(Number(labelTop.value));
      state.labelTop = isFinite(wanted) ? Math.max(0, Math.min(wanted, LABEL_LIMIT)) : 0;
      labelTop.value = String(state.labelTop);
      draw();
    });
    controls.appendChild(h("label", {}, ["name the top ", labelTop]));

    var listId = "ids-" + which;
    var list = h("datalist", { id: listId });
    nodes.id.slice(0, 5000).forEach(function (id) { list.appendChild(h("option", { value: id })); });
    var search = h("input", { type: "search", placeholder: "find an id", list: listId, "aria-label": "find a node by id" });
    var find = h("button", { type: "button", text: "Find" });
    function lookUp() {
      var wanted = search.value.trim();
      state.found = -1;
      if (wanted) {
        state.found = nodes.id.indexOf(wanted);
        if (state.found < 0) {
          var lower = wanted.toLowerCase();
          state.found = nodes.id.findIndex(function (id) { return id.toLowerCase().indexOf(lower) >= 0; });
        }
      }
      status.textContent = !wanted ? "" : state.found < 0 ? "No node matches \u201c" + wanted + "\u201d."
        : "Found \u201c" + nodes.id[state.found] + "\u201d.";
      draw(state.found >= 0);
    }
    find.addEventListener("click", lookUp);
    search.addEventListener("keydown", function (event) { if (event.key === "Enter") { lookUp(); } });
    controls.appendChild(list);
    controls.appendChild(search);
    controls.appendChild(find);

    var slider = null;
    var stepLabel = h("span", { className: "step-label" });
    if (graph.frames.length > 1) {
      slider = h("input", { type: "range", min: "0", max: String(graph.frames.length - 1), step: "1",
        value: String(state.frame), "aria-label": "step" });
      slider.addEventListener("input", function () { state.frame = Number(slider.value); draw(); });
      controls.appendChild(h("label", {}, ["step ", slider, stepLabel]));
    }
    container.appendChild(controls);
    if (graph.note) { container.appendChild(h("p", { className: "note", text: graph.note })); }
    container.appendChild(plot);
    container.appendChild(legend);
    container.appendChild(status);

    function hover(i, power) {
      var lines = ["<b>" + esc(nodes.id[i]) + "</b>"];
      if (nodes.label[i]) { lines.push(esc(nodes.label[i])); }
      lines.push("kind: " + esc(nodes.kind[i]));
      lines.push((nodes.infrastructure[i] ? "owner: " : "controlled by: ") + esc(nodes.owner[i]));
      if (!nodes.infrastructure[i]) { lines.push("power: " + esc(fmt(power))); }
      return lines.join("<br>");
    }

    // the state.labelTop actors of largest power in this frame (power > 0; ties by id)
    function named(frame) {
      var chosen = {};
      var order = [];
      for (var i = 0; i < n; i++) {
        if (!nodes.infrastructure[i] && frame.present[i] && typeof frame.power[i] === "number" && frame.power[i] > 0) {
          order.push(i);
        }
      }
      order.sort(function (a, b) { return frame.power[b] - frame.power[a] || (nodes.id[a] < nodes.id[b] ? -1 : nodes.id[a] > nodes.id[b] ? 1 : 0); });
      order.slice(0, state.labelTop).forEach(function (i) { chosen[i] = true; });
      return chosen;
    }

    function traces() {
      var frame = graph.frames[state.frame];
      var result = [];
      var names = named(frame);
      var shownEdges = 0;
      graph.dimensions.forEach(function (dimension) {
        var pairs = frame.edges[dimension] || [];
        var xs = [], ys = [];
        for (var k = 0; k < pairs.length; k += 2) {
          xs.push(nodes.x[pairs[k]], nodes.x[pairs[k + 1]], null);
          ys.push(nodes.y[pairs[k]], nodes.y[pairs[k + 1]], null);
        }
        var visible = !state.hidden[dimension];
        if (visible) { shownEdges += pairs.length / 2; }
        result.push({ type: "scatter", mode: "lines", x: xs, y: ys, name: dimension, hoverinfo: "skip",
          visible: visible, showlegend: false, line: { width: 0.8, color: dimensionColor[dimension] }, opacity: 0.45 });
      });
      var groups = [{ infra: false, symbol: "circle" }, { infra: true, symbol: "diamond" }];
      var shownNodes = 0;
      var used = {};
      var shownLabels = 0;
      groups.forEach(function (group) {
        var xs = [], ys = [], sizes = [], colors = [], texts = [], labels = [];
        for (var i = 0; i < n; i++) {
          if (nodes.infrastructure[i] !== group.infra || !frame.present[i]) { continue; }
          var category = state.colorBy === "kind" ? nodes.kind[i] : nodes.owner[i];
          used[category] = true;
          xs.push(nodes.x[i]); ys.push(nodes.y[i]);
          sizes.push(group.infra ? 9 : markerSize(frame.power[i]));
          colors.push(categoryColor[category]);
          texts.push(hover(i, frame.power[i]));
          labels.push(names[i] ? esc(nodes.id[i]) : "");
          if (names[i]) { shownLabels += 1; }
        }
        shownNodes += xs.length;
        result.push({ type: "scatter", mode: group.infra ? "markers" : "markers+text", x: xs, y: ys,
          text: group.infra ? undefined : labels, hovertext: texts, hoverinfo: "text",
          textposition: "middle right", textfont: { size: 11, color: "#1d2430" }, cliponaxis: false,
          name: group.infra ? "infrastructures" : "actors", showlegend: false,
          marker: { size: sizes, color: colors, symbol: group.symbol, opacity: 0.9, line: { width: 0.6, color: "#ffffff" } } });
      });
      var mark = state.found >= 0 && frame.present[state.found];
      result.push({ type: "scatter", mode: "markers", x: mark ? [nodes.x[state.found]] : [],
        y: mark ? [nodes.y[state.found]] : [], hoverinfo: "skip", showlegend: false, name: "found",
        marker: { size: 30, color: "rgba(0,0,0,0)", line: { width: 3, color: "#111" } } });
      plot.setAttribute("data-nodes", String(shownNodes));
      plot.setAttribute("data-labels", String(shownLabels));
      plot.setAttribute("data-edges", String(shownEdges));
      plot.setAttribute("data-frame", frame.label);
      stepLabel.textContent = " " + frame.label;
      legend.textContent = "";
      var keys = Object.keys(used).sort();
      keys.slice(0, 16).forEach(function (c) {
        legend.appendChild(h("span", { className: "swatch", style: "background:" + categoryColor[c] + ";height:10px;width:10px;border-radius:5px" }));
        legend.appendChild(document.createTextNode(" " + c + "\u2003"));
      });
      if (keys.length > 16) { legend.appendChild(document.createTextNode("and " + (keys.length - 16) + " more")); }
      return result;
    }

    var layout = {
      margin: { l: 4, r: 4, t: 4, b: 4 }, hovermode: "closest", dragmode: "pan", uirevision: "keep",
      xaxis: { visible: false, range: [-0.05, 1.05] }, yaxis: { visible: false, range: [-0.05, 1.05], scaleanchor: "x" },
      plot_bgcolor: "#ffffff", paper_bgcolor: "#ffffff", font: CHART_FONT
    };
    function draw(zoom) {
      var next = Object.assign({}, layout);
      if (zoom) {
        var x = nodes.x[state.found], y = nodes.y[state.found];
        next.xaxis = Object.assign({}, layout.xaxis, { range: [x - 0.12, x + 0.12] });
        next.yaxis = Object.assign({}, layout.yaxis, { range: [y - 0.12, y + 0.12] });
        next.uirevision = "found-" + state.found + "-" + Date.now();
      }
      Plotly.react(plot, traces(), next, PLOT_CONFIG);
    }
    draw();
  }

  // ---- charts -------------------------------------------------------------------------------------
  var chartKinds = [
    { key: "concentration", title: "Concentration of power over time", build: concentrationChart,
      top: function (c) { return maxOf(c.gini.concat(c.hhi, c.top5_share)); } },
    { key: "top_power", title: "Power share of the top actors over time", build: topPowerChart,
      top: function (c) { return maxOf([].concat.apply([], c.series.map(function (s) { return s.values; }))); } },
    { key: "lorenz", title: "Lorenz curve of power", build: lorenzChart, top: function () { return 1; } },
    { key: "by_dimension", title: "Power share by dimension (top actors)", build: dimensionChart,
      top: function (c) { return maxOf([].concat.apply([], c.values)); } },
    { key: "rents", title: "Income by source (top earners)", build: rentsChart,
      top: function (c) { var sums = c.actors.map(function (_, i) { return c.values.reduce(function (s, v) { return s + (v[i] || 0); }, 0); }); return maxOf(sums); } },
    { key: "infrastructure", title: "Public and private infrastructure", build: infrastructureChart,
      top: function (c) { return maxOf(c.public.map(function (p, i) { return p + c.private[i] + (c.unowned ? c.unowned[i] : 0); })); } }
  ];
  var missingText = {
    concentration: "Over time: a run shows this, a single network has no history.",
    top_power: "Over time: a run shows this, a single network has no history.",
    by_dimension: "Only one dimension carries dependencies.",
    rents: "No income was paid in this network.",
    infrastructure: "No infrastructure in this network."
  };

  function axisTitle(text) { return { text: text, font: { size: 12 } }; }
  function chartLayout(extra) {
    return Object.assign({ margin: { l: 56, r: 12, t: 8, b: 44 }, font: CHART_FONT, hovermode: "closest",
      legend: { orientation: "h", y: -0.22 }, plot_bgcolor: "#ffffff", paper_bgcolor: "#ffffff" }, extra);
  }
  function concentrationChart(c, top) {
    var names = { gini: "gini", hhi: "hhi", top5_share: "top5_share" };  // steps.parquet column names
    return { traces: Object.keys(names).map(function (k) { return { type: "scatter", mode: "lines", x: c.step, y: c[k], name: names[k] }; }),
      layout: chartLayout({ xaxis: { title: axisTitle("step") }, yaxis: { title: axisTitle("value"), range: yRange(top) }, legend: { orientation: "h", y: -0.25 } }) };
  }
  function topPowerChart(c, top) {
    return { traces: c.series.map(function (s) { return { type: "scatter", mode: "lines", x: c.step, y: s.values, name: esc(s.id) }; }),
      layout: chartLayout({ xaxis: { title: axisTitle("step") }, yaxis: { title: axisTitle("power share"), range: yRange(top) },
        legend: { orientation: "v", x: 1.02, y: 1 }, margin: { l: 56, r: 8, t: 8, b: 44 } }) };
  }
  function lorenzChart(c) {
    return { traces: [{ type: "scatter", mode: "lines", x: [0, 1], y: [0, 1], name: "equality", line: { dash: "dot", color: "#9aa3ad" } },
      { type: "scatter", mode: "lines", x: c.x, y: c.y, name: "power" + (c.gini === null ? "" : " (Gini " + fmt(c.gini) + ")"), line: { color: "#2f6db5" } }],
      layout: chartLayout({ xaxis: { title: axisTitle("share of actors (poorest first)"), range: [0, 1] },
        yaxis: { title: axisTitle("share of power"), range: [0, 1] } }) };
  }
  function dimensionChart(c, top) {
    return { traces: c.dimensions.map(function (d, j) { return { type: "bar", x: c.actors.map(esc), y: c.values[j], name: esc(d), marker: { color: dimensionColor[d] } }; }),
      layout: chartLayout({ barmode: "group", yaxis: { title: axisTitle("power share in the dimension"), range: yRange(top) } }) };
  }
  function rentsChart(c, top) {
    return { traces: c.sources.map(function (s, j) { return { type: "bar", x: c.actors.map(esc), y: c.values[j], name: esc(s) }; }),
      layout: chartLayout({ barmode: "stack", yaxis: { title: axisTitle("income"), range: yRange(top) } }) };
  }
  function infrastructureChart(c, top) {
    if (c.step === null) {  // one network: owned by public actors, by private ones, by no one (named only in via)
      return { traces: [{ type: "bar", x: ["public", "private", "no owner"], y: [c.public[0], c.private[0], c.unowned ? c.unowned[0] : 0],
        marker: { color: ["#3a9a4a", "#c9403a", "#9aa3ad"] } }],
        layout: chartLayout({ yaxis: { title: axisTitle("infrastructures"), range: yRange(top) } }) };
    }
    return { traces: [
      { type: "scatter", mode: "lines", stackgroup: "one", x: c.step, y: c.public, name: "public", line: { color: "#3a9a4a" } },
      { type: "scatter", mode: "lines", stackgroup: "one", x: c.step, y: c.private, name: "private", line: { color: "#c9403a" } }],
      layout: chartLayout({ xaxis: { title: axisTitle("step") }, yaxis: { title: axisTitle("infrastructures"), range: yRange(top) } }) };
  }

  function chartsSection() {
    var section = h("section", { className: "block", id: "charts" }, [h("h2", { text: "Charts" })]);
    var single = panels.length === 1;
    var grid = h("div", { className: "charts" });
    chartKinds.forEach(function (kind) {
      var present = panels.map(function (p) { return p.charts[kind.key]; });
      var top = shared(present.filter(Boolean).map(kind.top));
      var row = single ? grid : h("div", { className: "columns", style: "--panels:" + panels.length });
      present.forEach(function (chart, i) {
        var cell = h("div", {}, [h("h3", { text: kind.title + (single ? "" : " \u2014 " + panels[i].label) })]);
        var box = h("div", { className: chart ? "chart" : "chart absent", id: "chart-" + kind.key + "-" + i, "data-chart": kind.key });
        cell.appendChild(box);
        row.appendChild(cell);
        if (!chart) {
          box.appendChild(h("div", { className: "missing", text: missingText[kind.key] || "Not available." }));
          return;
        }
        if (chart.unowned_end) {  // a run's steps count owned infrastructures only
          cell.appendChild(h("p", { className: "status", text: "Not in the chart: " + fmt(chart.unowned_end) +
            " infrastructure" + (chart.unowned_end === 1 ? "" : "s") + " with no owner at the end." }));
        }
        var built = kind.build(chart, top);
        requestAnimationFrame(function () { Plotly.newPlot(box, built.traces, built.layout, PLOT_CONFIG); });
      });
      if (!single) { section.appendChild(row); }
    });
    if (single) { section.appendChild(grid); }
    return section;
  }

  // ---- table --------------------------------------------------------------------------------------
  var COLUMN_TITLES = { id: "actor", kind: "kind", power: "power", power_share: "power share", dependents: "dependents",
    dependencies: "dependencies", asymmetry: "asymmetry", income: "income", latent_power: "latent power",
    formal_authority: "formal authority over" };
  var TEXT_COLUMNS = { id: true, kind: true, formal_authority: true };
  var TABLE_ROWS = 500;

  // the concentration of power above the ranking (power shares of top-level actors; steps.parquet names)
  var HEADLINE = ["gini", "hhi", "top5_share"];
  function headlineView(panel) {
    var line = h("p", { className: "headline" });
    if (!panel.headline) { return line; }
    HEADLINE.forEach(function (key, j) {
      if (j) { line.appendChild(document.createTextNode(" \u00b7 ")); }
      line.appendChild(h("span", { className: "figure", "data-figure": key }, [key + " ", h("b", { text: fmt(panel.headline[key]) })]));
    });
    line.appendChild(h("span", { className: "status", text: " (power shares of top-level actors)" }));
    return line;
  }

  function tableView(container, panel, which) {
    container.appendChild(headlineView(panel));
    var columns = panel.table.columns;
    var rows = panel.table.rows.slice();
    var table = h("table", { className: "actors", id: "table-" + which });
    var head = h("tr");
    var body = h("tbody");
    var sortState = { column: columns.indexOf("power"), descending: true };
    var limit = TABLE_ROWS;  // the first rows in the current order; all of them after "show all"
    var more = h("button", { type: "button", className: "more" });
    more.addEventListener("click", function () { limit = Infinity; sortRows(); });
    columns.forEach(function (column, j) {
      var button = h("button", { type: "button", text: COLUMN_TITLES[column] || column });
      var th = h("th", { scope: "col", "data-column": column, className: TEXT_COLUMNS[column] ? "text" : "" }, [button]);
      button.addEventListener("click", function () {
        sortState = { column: j, descending: sortState.column === j ? !sortState.descending : !TEXT_COLUMNS[column] };
        sortRows();
      });
      head.appendChild(th);
    });
    table.appendChild(h("thead", {}, [head]));
    table.appendChild(body);
    function compare(a, b) {
      var j = sortState.column, x = a[j], y = b[j];
      var xMissing = x === null || x === "", yMissing = y === null || y === "";
      if (xMissing || yMissing) { return xMissing === yMissing ? 0 : xMissing ? 1 : -1; }  // missing last
      var order = typeof x === "number" ? x - y : String(x).localeCompare(String(y));
      return sortState.descending ? -order : order;
    }
    function sortRows() {
      rows.sort(function (a, b) { return compare(a, b) || String(a[0]).localeCompare(String(b[0])); });
      Array.prototype.forEach.call(head.children, function (th, j) {
        if (j === sortState.column) { th.setAttribute("aria-sort", sortState.descending ? "descending" : "ascending"); }
        else { th.removeAttribute("aria-sort"); }
      });
      var fragment = document.createDocumentFragment();
      rows.slice(0, limit).forEach(function (row) {
        var tr = h("tr");
        row.forEach(function (value, j) {
          tr.appendChild(h("td", { className: TEXT_COLUMNS[columns[j]] ? "text" : "", text: fmt(value) }));
        });
        fragment.appendChild(tr);
      });
      body.textContent = "";
      body.appendChild(fragment);
      more.hidden = rows.length <= limit;
      more.textContent = "show all " + rows.length.toLocaleString("en") + " actors";
    }
    sortRows();
    container.appendChild(h("div", { className: "table-wrap" }, [table]));
    container.appendChild(h("p", { className: "status" }, [
      rows.length.toLocaleString("en") + " actors" + (rows.length > TABLE_ROWS ? " (the first " + TABLE_ROWS +
        " in the chosen order are shown) " : ". ") + "Click a column to sort. ", more]));
  }

  // ---- summary ------------------------------------------------------------------------------------
  function summaryView(container, panel) {
    var main = h("table", { className: "summary" });
    var params = h("table", { className: "summary" });
    panel.summary.forEach(function (pair) {
      var target = pair[0].indexOf("parameter: ") === 0 ? params : main;
      var name = target === params ? pair[0].slice("parameter: ".length) : pair[0];
      target.appendChild(h("tr", {}, [h("th", { scope: "row", text: name }), h("td", { text: String(pair[1]) })]));
    });
    container.appendChild(main);
    if (params.children.length) {
      container.appendChild(h("details", {}, [h("summary", { text: "all parameters (" + params.children.length + ")" }), params]));
    }
  }

  // ---- comparison of two panels -------------------------------------------------------------------
  function comparisonSection(c) {
    var block = h("section", { className: "block", id: "comparison" }, [h("h2", { text: "Comparison" })]);
    var table = h("table", { className: "actors comparison", id: "comparison-table" });
    var head = h("tr", {}, [h("th", { scope: "col", className: "text", text: "" })]);
    c.labels.forEach(function (label) { head.appendChild(h("th", { scope: "col", text: label })); });
    head.appendChild(h("th", { scope: "col", text: "change" }));
    table.appendChild(h("thead", {}, [head]));
    var body = h("tbody");
    function row(name, a, b, className) {
      var change = typeof a === "number" && typeof b === "number" ? b - a : null;
      body.appendChild(h("tr", { className: className || "" }, [h("th", { scope: "row", className: "text", text: name }),
        h("td", { text: fmt(a) }), h("td", { text: fmt(b) }),
        h("td", { text: change === null ? "" : (change > 0 ? "+" : "") + fmt(change) })]));
    }
    c.figures.forEach(function (f) { row(f[0], f[1], f[2], "figure"); });
    body.appendChild(h("tr", { className: "divider" }, [h("th", { scope: "row", className: "text", colspan: "4",
      text: "power share of the top actors" })]));
    c.actors.forEach(function (a) { row(a[0], a[1], a[2], "actor"); });
    table.appendChild(body);
    block.appendChild(h("div", { className: "table-wrap comparison-wrap" }, [table]));
    block.appendChild(h("p", { className: "status", text: "gini, hhi, top5_share: concentration of the power shares " +
      "of top-level actors (a run: after its last step). Actors: the " + c.actors.length + " with the largest power share " +
      "in either (actors with no power in both are left out); change = right minus left; blank where an actor is absent." }));
    return block;
  }

  // ---- page ---------------------------------------------------------------------------------------
  function section(id, title, draw) {
    var block = h("section", { className: "block", id: id }, [h("h2", { text: title })]);
    var row = h("div", { className: "columns", style: "--panels:" + panels.length });
    panels.forEach(function (panel, i) {
      var cell = h("div", { "data-panel": String(i) });
      if (panels.length > 1) { cell.appendChild(h("h3", { text: panel.label })); }
      row.appendChild(cell);
      draw(cell, panel, i);
    });
    block.appendChild(row);
    return block;
  }

  var app = document.getElementById("app");
  app.textContent = "";
  // findings first (the comparison of two, the ranking), then the network and the charts; the details of the
  // data and the run (scenario, seed, versions, timings, parameters) last
  if (data.comparison) { app.appendChild(comparisonSection(data.comparison)); }
  app.appendChild(section("actors", "Actors by power", tableView));
  app.appendChild(section("network", "Network", networkView));
  app.appendChild(chartsSection());
  app.appendChild(section("summary", "Details", summaryView));
  requestAnimationFrame(function () {
    requestAnimationFrame(function () { document.body.setAttribute("data-ready", "true"); });
  });
})();
