/* dependencia explore: asks the local app for the state, draws it, and sends edits back.
 * Every user-supplied string reaches the page through textContent, attribute values set by
 * setAttribute, or Plotly text after esc(); nothing here sets innerHTML. */
(function () {
  "use strict";

  var token = new URLSearchParams(window.location.search).get("token") || "";
  var WEBGL_ABOVE = 400;  // nodes drawn with WebGL above this many (docs/performance.md: the redraw of an edit)
  var renders = 0;
  var fixed = null;  // what no edit changes: sent with the first state only
  var timings = {};  // the last state's costs in ms (benchmarks/bench_explore.py reads window.dependenciaTimings)
  window.dependenciaTimings = timings;
  var PLOT_CONFIG = { displaylogo: false, responsive: true, scrollZoom: true };

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { el.textContent = attrs[key]; }
      else if (key === "className") { el.className = attrs[key]; }
      else { el.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) {
      el.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return el;
  }
  function esc(value) {  // Plotly renders a few HTML tags in its text: show ids as they are
    return String(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function fmt(value) {
    if (value === null || value === undefined) { return "\u2013"; }
    if (value === 0) { return "0"; }
    return Math.abs(value) >= 0.001 ? value.toFixed(4) : value.toExponential(3);
  }
  function signed(value) { return value === null ? "\u2013" : (value > 0 ? "+" : "") + fmt(value); }

  // ---- talking to the app --------------------------------------------------------------------------------
  function url(path) { return path + (path.indexOf("?") < 0 ? "?" : "&") + "token=" + encodeURIComponent(token); }
  function call(method, path, body) {
    errorBox.textContent = "";
    busy(true);
    var began = performance.now();
    return fetch(path, { method: method, headers: { "X-Dependencia-Token": token, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body), credentials: "omit", cache: "no-store" })
      .then(function (response) {
        return response.text().then(function (body) {
          var value = JSON.parse(body);
          if (!response.ok) { throw new Error(value.error || ("the app answered " + response.status)); }
          timings.server = performance.now() - began;
          timings.bytes = body.length;
          return value;
        });
      })
      .catch(function (problem) { errorBox.textContent = problem.message; busy(false); return null; });
  }
  function busy(on) { document.body.setAttribute("data-ready", on ? "false" : "true"); }
  function edit(spec) { return call("POST", "/api/edit", spec).then(function (s) { if (s) { show(s); } }); }

  // ---- the page's parts ----------------------------------------------------------------------------------
  var app = document.getElementById("app");
  app.textContent = "";
  var errorBox = h("p", { className: "error", id: "error", role: "alert" });
  var powerNote = h("p", { className: "status", id: "power-note" });
  var undoButton = h("button", { type: "button", id: "undo", text: "Undo" });
  var redoButton = h("button", { type: "button", id: "redo", text: "Redo" });
  undoButton.addEventListener("click", function () { call("POST", "/api/undo").then(function (s) { if (s) { show(s); } }); });
  redoButton.addEventListener("click", function () { call("POST", "/api/redo").then(function (s) { if (s) { show(s); } }); });
  var exports = ["model", "python", "cli", "report", "table"].map(function (kind) {
    return h("a", { id: "export-" + kind, href: url("/api/export/" + kind), download: "", text: {
      model: "Model file", python: "Python script", cli: "whatif command", report: "Report",
      table: "Power table (CSV)" }[kind] });
  });
  var panelBox = h("div", { id: "panel" });
  var panelButtons = ["rents", "measures"].map(function (name) {
    var button = h("button", { type: "button", id: "show-" + name, text: name === "rents" ? "Rents now" : "Measure panel now" });
    button.addEventListener("click", function () {
      call("GET", "/api/panel/" + name).then(function (p) { busy(false); if (p) { showPanel(p); } });
    });
    return button;
  });
  app.appendChild(h("section", { className: "block" }, [h("div", { className: "bar" },
    [undoButton, redoButton, h("span", { text: "Export:" })].concat(exports, [h("span", { text: "Compute:" })], panelButtons)),
    powerNote, errorBox]));

  var plot = h("div", { className: "network", id: "network-0", role: "img", "aria-label": "network view" });
  var viewNote = h("p", { className: "note", id: "view-note" });
  var legend = h("p", { className: "status", text: "Marker size: power now. Green: gained power, red: lost, " +
    "blue: unchanged; hollow grey: removed; diamonds: infrastructures. Click a node to pick it." });
  var tableBox = h("div", { className: "table-wrap" });
  var tableNote = h("p", { className: "status", id: "table-note" });
  var changesList = h("ul", { className: "changes", id: "changes" });
  var historyList = h("ol", { className: "history", id: "history" });
  var forms = h("div", { className: "edits" });
  app.appendChild(h("div", { className: "explore" }, [
    h("section", { className: "block" }, [h("h2", { text: "Network" }), viewNote, plot, legend,
      h("h2", { text: "Power of every actor: start and now" }), tableNote, tableBox]),
    h("section", { className: "block" }, [h("h2", { text: "Edit" }), forms,
      h("h2", { text: "Changes against the start" }), changesList,
      h("h2", { text: "History" }), historyList, panelBox])]));

  var lists = {};
  function datalist(name) {
    lists[name] = h("datalist", { id: "list-" + name });
    forms.appendChild(lists[name]);
    return "list-" + name;
  }
  var nodeList = datalist("nodes"), actorList = datalist("actors"), infraList = datalist("infrastructures");
  function input(id, placeholder, list) {
    var attrs = { id: id, placeholder: placeholder, "aria-label": placeholder, autocomplete: "off" };
    if (list) { attrs.list = list; }
    return h("input", attrs);
  }
  function button(id, label, action) {
    var b = h("button", { type: "button", id: id, text: label });
    b.addEventListener("click", action);
    return b;
  }
  function fieldset(title, children) { forms.appendChild(h("fieldset", {}, [h("legend", { text: title })].concat(children))); }
  function value(id) { return document.getElementById(id).value.trim(); }
  function route(id) { return value(id) ? value(id).split(";").map(function (x) { return x.trim(); }).filter(Boolean) : []; }

  fieldset("actor or infrastructure", [input("node", "id", nodeList),
    button("remove", "Remove", function () { edit({ op: "remove", id: value("node") }); }),
    button("restore", "Restore", function () { edit({ op: "restore", id: value("node") }); })]);
  var dimension = h("select", { id: "dep-dimension", "aria-label": "dimension" });
  fieldset("dependency (via: infrastructures, X;Y)", [input("dep-dependent", "dependent", actorList),
    input("dep-provider", "provider", actorList), dimension, input("dep-via", "via", infraList),
    button("add-dependency", "Add", function () { edit(dependency("add_dependency", true)); }),
    button("remove-dependency", "Remove", function () { edit(dependency("remove_dependency", false)); }),
    button("reroute", "Reroute", function () { edit(dependency("reroute", true)); })]);
  function dependency(op, withRoute) {
    var spec = { op: op, dependent: value("dep-dependent"), provider: value("dep-provider"), dimension: dimension.value };
    if (withRoute) { spec.via = route("dep-via"); }
    return spec;
  }
  fieldset("ownership of an infrastructure (empty owner: none)", [input("transfer-infrastructure", "infrastructure", infraList),
    input("transfer-owner", "new owner", actorList),
    button("transfer", "Transfer", function () {
      edit({ op: "transfer", infrastructure: value("transfer-infrastructure"), owner: value("transfer-owner") || null });
    })]);
  fieldset("shares between actors (0: sell the holding)", [input("hold-owner", "owner", actorList),
    input("hold-owned", "owned", actorList), input("hold-share", "share, 0 to 1"),
    button("hold", "Set holding", function () {
      edit({ op: "holding", owner: value("hold-owner"), owned: value("hold-owned"), share: value("hold-share") });
    })]);
  var transit = h("select", { id: "transit-value", "aria-label": "transit" },
    [h("option", { value: "open", text: "open" }), h("option", { value: "closed", text: "closed" })]);
  fieldset("transit of an infrastructure", [input("transit-infrastructure", "infrastructure", infraList), transit,
    button("transit", "Switch", function () { edit({ op: "transit", infrastructure: value("transit-infrastructure"), transit: transit.value }); })]);
  fieldset("interoperability (the policy's direct effect)", [input("interop-actor", "dominant actor", actorList),
    button("interoperate", "Apply", function () { edit({ op: "interoperate", actor: value("interop-actor") }); })]);


  // ---- drawing a state -----------------------------------------------------------------------------------
  function fill(list, ids) {
    list.textContent = "";
    ids.slice(0, 5000).forEach(function (id) { list.appendChild(h("option", { value: id })); });
  }
  function largest(values) {
    var best = 0;
    values.forEach(function (v) { if (typeof v === "number" && v > best) { best = v; } });
    return best;
  }
  function sameNumbers(a, b) {
    if (!a || !b || a.length !== b.length) { return false; }
    for (var k = 0; k < a.length; k++) { if (a[k] !== b[k]) { return false; } }
    return true;
  }

  var edgeTrace = null, drawnEdges = null;  // the edges' trace is rebuilt only when the edges change
  function edgesTrace(pairs, kind) {  // pairs: flat positions of the view's nodes, two per edge
    if (edgeTrace && edgeTrace.type === kind && sameNumbers(pairs, drawnEdges)) { return edgeTrace; }
    var nodes = fixed.nodes, xs = [], ys = [];
    for (var k = 0; k < pairs.length; k += 2) {
      xs.push(nodes.x[pairs[k]], nodes.x[pairs[k + 1]], null);
      ys.push(nodes.y[pairs[k]], nodes.y[pairs[k + 1]], null);
    }
    drawnEdges = pairs;
    edgeTrace = { type: kind, mode: "lines", x: xs, y: ys, hoverinfo: "skip", showlegend: false,
      line: { width: 0.8, color: "#8a96a8" }, opacity: 0.45 };
    return edgeTrace;
  }

  // removed nodes: hollow grey rings and diamonds (an open symbol takes its colour from marker.color, not marker.line)
  var STYLES = { gone: { color: "#9aa3ad", symbol: "circle-open", width: 1.5 }, up: { color: "#2e9b48" },
    down: { color: "#c9403a" }, same: { color: "#2f6db5" }, infra: { color: "#6f7780", symbol: "diamond" } };

  function drawNetwork(s) {
    var g = s.graph, nodes = fixed.nodes, n = nodes.id.length, start = fixed.power_start;
    var kind = n > WEBGL_ABOVE ? "scattergl" : "scatter";  // SVG redraws too slowly for an edit above that
    var top = Math.max(largest(g.power), largest(start));
    function size(p) { return p === null || top <= 0 ? 7 : 7 + 33 * Math.sqrt(Math.max(p, 0) / top); }
    var traces = [edgesTrace(g.edges, kind)];
    var groups = { gone: [], up: [], down: [], same: [], infra: [] };
    var named = [];
    for (var i = 0; i < n; i++) {
      if (!g.present[i]) { groups.gone.push(i); continue; }
      if (nodes.infrastructure[i]) { groups.infra.push(i); continue; }
      var change = (g.power[i] || 0) - (start[i] || 0);
      groups[Math.abs(change) <= 1e-12 ? "same" : change > 0 ? "up" : "down"].push(i);
      if (g.power[i] > 0) { named.push(i); }
    }
    named.sort(function (a, b) { return g.power[b] - g.power[a]; });
    var labelled = named.slice(0, fixed.label_top);
    var shown = 0;
    Object.keys(groups).forEach(function (key) {
      var members = groups[key], style = STYLES[key];
      shown += key === "gone" ? 0 : members.length;
      traces.push({ type: kind, mode: "markers", name: key,
        x: members.map(function (i) { return nodes.x[i]; }), y: members.map(function (i) { return nodes.y[i]; }),
        hovertext: members.map(function (i) {
          return "<b>" + esc(nodes.id[i]) + "</b><br>kind: " + esc(nodes.kind[i]) + (nodes.infrastructure[i] ? "" :
            "<br>power: " + esc(fmt(start[i])) + " \u2192 " + esc(fmt(g.present[i] ? g.power[i] : null)));
        }),
        customdata: members.map(function (i) { return nodes.id[i]; }),
        hoverinfo: "text", showlegend: false,
        marker: { size: members.map(function (i) {
            return nodes.infrastructure[i] ? (key === "gone" ? 11 : 9) : size(key === "gone" ? start[i] : g.power[i]);
          }),
          color: style.color, opacity: 0.9, symbol: key !== "gone" ? style.symbol || "circle" :
            members.map(function (i) { return nodes.infrastructure[i] ? "diamond-open" : "circle-open"; }),
          line: { width: style.width || 0.6, color: key === "gone" ? style.color : "#ffffff" } } });
    });
    // one small trace of names: text on every marker costs the redraw
    traces.push({ type: "scatter", mode: "markers+text", x: labelled.map(function (i) { return nodes.x[i]; }),
      y: labelled.map(function (i) { return nodes.y[i]; }), text: labelled.map(function (i) { return esc(nodes.id[i]); }),
      marker: { size: labelled.map(function (i) { return size(g.power[i]); }), color: "rgba(0,0,0,0)" },
      textposition: "middle right", textfont: { size: 11 }, cliponaxis: false, hoverinfo: "skip", showlegend: false });
    plot.setAttribute("data-nodes", String(shown));
    plot.setAttribute("data-removed", String(groups.gone.length));
    var layout = { margin: { l: 4, r: 4, t: 4, b: 4 }, hovermode: "closest", dragmode: "pan", uirevision: "keep",
      xaxis: { visible: false, range: [-0.05, 1.05] }, yaxis: { visible: false, range: [-0.05, 1.05], scaleanchor: "x" },
      plot_bgcolor: "#ffffff", paper_bgcolor: "#ffffff" };
    return Plotly.react(plot, traces, layout, PLOT_CONFIG);
  }

  var COLUMNS = [["id", "id"], ["kind", "kind"], ["power_before", "power (start)"], ["power_after", "power (now)"],
    ["change", "change"], ["share_before", "share (start)"], ["share_after", "share (now)"]];
  var tableHead = h("tr", {}, COLUMNS.map(function (c) { return h("th", { className: c[0] === "id" || c[0] === "kind" ? "text" : "", text: c[1] }); }));
  function drawTable(s) {  // the server sends the rows to show, in order: largest change, then power now, then id
    tableNote.textContent = s.table_total > s.table.length ? "The " + s.table.length + " actors whose power changed most, of " +
      s.table_total + " (Power table (CSV) has every actor)." : "";
    var body = h("tbody");
    s.table.forEach(function (row) {
      var tr = h("tr", { "data-id": row.id, className: row.power_after === null ? "gone" : Math.abs(row.change || 0) > 1e-12 ? "changed" : "" });
      COLUMNS.forEach(function (c) {
        var v = row[c[0]];
        tr.appendChild(h("td", { className: c[0] === "id" || c[0] === "kind" ? "text" : "", "data-column": c[0],
          "data-value": typeof v === "number" ? String(v) : "", text: typeof v === "number" ? (c[0] === "change" ? signed(v) : fmt(v)) : (v === null ? "\u2013" : v) }));
      });
      body.appendChild(tr);
    });
    tableBox.textContent = "";
    tableBox.appendChild(h("table", { className: "actors", id: "power-table" }, [h("thead", {}, [tableHead]), body]));
  }

  var listedChoices = null;
  function drawLists(s) {
    changesList.textContent = "";
    if (!s.changes.length && !s.gone.length) { changesList.appendChild(h("li", { text: "No change yet." })); }
    s.changes.forEach(function (c) {
      changesList.appendChild(h("li", { "data-id": c.id }, [c.id + ": " + fmt(c.before) + " \u2192 " + fmt(c.after) + " ",
        h("span", { className: c.after === null ? "" : c.change > 0 ? "up" : "down", text: c.after === null ? "(gone)" : "(" + signed(c.change) + ")" })]));
    });
    if (s.changes_total > s.changes.length) {
      changesList.appendChild(h("li", { className: "more", text: "\u2026 and " + (s.changes_total - s.changes.length) +
        " smaller changes (Power table (CSV) has every actor)." }));
    }
    historyList.textContent = "";
    s.history.forEach(function (line, k) {
      historyList.appendChild(h("li", { className: k < s.position ? "" : "undone", text: line }));
    });
    undoButton.disabled = !s.can_undo;
    redoButton.disabled = !s.can_redo;
    var c = s.choices, key = JSON.stringify(c);
    if (key !== listedChoices) {  // the ids offered change only when nodes are removed or restored
      listedChoices = key;
      var removed = {};
      c.removed.forEach(function (id) { removed[id] = true; });
      var keep = function (id) { return !removed[id]; };
      var actors = fixed.actors.filter(keep).concat(c.new_actors);
      var infrastructures = fixed.infrastructures.filter(keep).concat(c.new_infrastructures);
      fill(lists.nodes, actors.concat(infrastructures, c.removed));
      fill(lists.actors, actors);
      fill(lists.infrastructures, infrastructures);
      var kept = dimension.value;
      dimension.textContent = "";
      c.dimensions.forEach(function (d) { dimension.appendChild(h("option", { value: d, text: d })); });
      if (kept && c.dimensions.indexOf(kept) >= 0) { dimension.value = kept; }
    }
  }

  function showPanel(p) {
    panelBox.textContent = "";
    var rows = p.rows.slice(0, fixed.rows);
    var table = h("table", { className: "actors", id: "panel-" + p.panel }, [h("thead", {}, [h("tr", {},
      p.columns.map(function (c) { return h("th", { text: c }); }))]), h("tbody", {}, rows.map(function (row) {
      return h("tr", { "data-id": row.id }, p.columns.map(function (c) {
        var v = row[c];
        return h("td", { className: c === "id" ? "text" : "", "data-column": c, "data-value": typeof v === "number" ? String(v) : "",
          text: typeof v === "number" ? fmt(v) : (v === null ? "\u2013" : String(v)) });
      }));
    }))]);
    panelBox.appendChild(h("h2", { text: (p.panel === "rents" ? "Rents" : "Measure panel") + " of the network now" }));
    if (p.rows.length > rows.length) {
      panelBox.appendChild(h("p", { className: "status", text: "The first " + rows.length + " of " + p.rows.length + " actors." }));
    }
    panelBox.appendChild(h("div", { className: "table-wrap" }, [table]));
  }

  function show(s) {
    if (s.fixed) {
      fixed = s.fixed;
      viewNote.textContent = fixed.note || "";
      viewNote.style.display = fixed.note ? "" : "none";
    }
    powerNote.textContent = s.power_note;
    var t0 = performance.now();
    drawTable(s);
    var t1 = performance.now();
    drawLists(s);
    var t2 = performance.now();
    panelBox.textContent = "";
    return drawNetwork(s).then(function () {
      timings.table = t1 - t0;
      timings.lists = t2 - t1;
      timings.plot = performance.now() - t2;
      renders += 1;
      document.body.setAttribute("data-version", String(renders));
      busy(false);
    });
  }

  call("GET", "/api/state").then(function (s) {
    if (!s) { return; }
    show(s).then(function () {
      plot.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        if (point && point.customdata !== undefined) { document.getElementById("node").value = point.customdata; }
      });
    });
  });
})();
