/* The SteerOpt dashboard: the study list at #/, one study at #/studies/ID. Reads the REST API only. */
"use strict";
(() => {
  const app = document.getElementById("app");
  const marker = document.getElementById("render-marker");
  const POLL_MS = 4000, PAGE = 50, INTERMEDIATE_LINES = 300;
  let timer = null, charts = [];

  const esc = s => String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g,
    c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c]));
  const fmt = v => v === null || v === undefined ? "—" : typeof v === "number"
    ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : esc(v);
  const pct = v => v === null || v === undefined ? "—" : (100 * v).toFixed(1) + "%";
  const ci = c => c ? "[" + pct(c[0]) + ", " + pct(c[1]) + "]" : "—";

  async function api(path, pending) {
    const r = await (pending || fetch(path, { headers: { Accept: "application/json" } }));
    const body = await r.json();
    if (!r.ok) throw new Error(body.error ? body.error.message : r.status);
    return body;
  }

  function chart(el, option) {
    let c = echarts.getInstanceByDom(el);
    if (!c) { c = echarts.init(el); charts.push(c); }
    c.setOption(option, true);
    return c;
  }

  function reset() {
    if (timer) clearInterval(timer);
    timer = null;
    charts.forEach(c => c.dispose());
    charts = [];
    marker.removeAttribute("data-view");
    marker.removeAttribute("data-redraws");
    delete document.body.dataset.rendered;
    document.getElementById("live").textContent = "";
  }

  // ------------------------------------------------------------------ study list
  async function studyList() {
    document.getElementById("crumb").textContent = "Studies";
    const { study_summaries: list } = await api("/api/studies");
    const rows = list.map(s => {
      const best = "best_value" in s ? fmt(s.best_value) : (s.best_values || []).map(fmt).join(", ");
      const st = Object.entries(s.n_trials_by_state).filter(e => e[1] > 0).map(e => e[0] + " " + e[1]).join(", ");
      return `<tr><td>${s.study_id}</td><td><a href="#/studies/${s.study_id}">${esc(s.study_name)}</a></td>
        <td>${esc(s.directions.join(", "))}</td><td>${best}</td><td>${s.n_trials}</td><td>${esc(st)}</td>
        <td>${esc(s.datetime_start || "—")}</td><td>${esc(s.last_activity || "—")}</td></tr>`;
    }).join("");
    app.innerHTML = `<h2>Studies</h2><div class="card table-wrap"><table id="study-table"><thead><tr><th>ID</th>
      <th>Name</th><th>Direction(s)</th><th>Best</th><th>Trials</th><th>By state</th><th>Started</th>
      <th>Last activity</th></tr></thead><tbody>${rows || '<tr><td colspan="8" class="muted">No studies yet.</td></tr>'}
      </tbody></table></div>`;
    marker.dataset.view = "studies";
    marker.dataset.studies = String(list.length);
    document.body.dataset.rendered = "studies";
  }

  // ------------------------------------------------------------------ one study
  function toRows(pd) {
    const names = Object.keys(pd.params);
    return pd.numbers.map((n, i) => {
      const params = {};
      for (const p of names) { const v = pd.params[p].values[i]; if (v !== null && v !== undefined) params[p] = v; }
      return { number: n, state: pd.states[i], values: pd.values.map(col => col[i]), params, iv: [] };
    });
  }

  /** Puts each trial's reported values (GET .../intermediate_values) on its row. */
  function applyIntermediate(rows, d) {
    const byNumber = new Map(rows.map(r => [r.number, r]));
    d.numbers.forEach((n, i) => { const r = byNumber.get(n); if (r) r.iv = d.intermediate[i]; });
  }

  function mergeParams(into, from) {
    for (const [p, col] of Object.entries(from)) if (!into[p]) into[p] = { distribution: col.distribution, log: col.log };
    return into;
  }

  async function studyView(id) {
    const t0 = performance.now();
    const table = { offset: 0, sort: "number", order: "asc", state: "", valueMin: "", valueMax: "" };
    // the page's head may have asked already (index.html); those answers are used once, for this study only
    const pre = window.steeroptPrefetch && window.steeroptPrefetch.id === id ? window.steeroptPrefetch : {};
    window.steeroptPrefetch = null;
    const [detail, pd, firstPage] = await Promise.all([api(`/api/studies/${id}`, pre.detail),
      api(`/api/studies/${id}/plot_data`, pre.plot), api(`/api/studies/${id}/trials?limit=${PAGE}`, pre.page)]);
    const s = detail.summary;
    const multi = s.directions.length > 1;
    const objNames = s.directions.map((d, k) => (detail.metric_names && detail.metric_names[k]) || (multi ? "Objective " + k : "Objective value"));
    document.getElementById("crumb").textContent = "Study " + s.study_name;
    const state = { rows: toRows(pd), params: mergeParams({}, pd.params), nextAfter: pd.next_after, pareto: pd.pareto };
    const best = "best_value" in s ? fmt(s.best_value) : s.best_values.map(fmt).join(", ");
    const paramNames = Object.keys(state.params);
    app.innerHTML = `
      <h2>${esc(s.study_name)}</h2>
      <div class="card kpi" id="kpis"></div>
      <div class="grid" id="histories">${s.directions.map((d, k) => `<div class="card"><div class="chart" id="history-${k}"></div></div>`).join("")}
        ${multi ? '<div class="card"><div class="chart" id="pareto"></div></div>' : ""}</div>
      <div class="card"><h3>Trials</h3><div class="controls">
        <label>State <select id="f-state"><option value="">all</option><option>COMPLETE</option><option>PRUNED</option>
          <option>FAIL</option><option>RUNNING</option><option>WAITING</option></select></label>
        <label>Value ≥ <input id="f-min" type="number" step="any"></label>
        <label>≤ <input id="f-max" type="number" step="any"></label>
        <button id="prev">‹ Prev</button><span id="page-info"></span><button id="next">Next ›</button></div>
        <div class="table-wrap"><table id="trial-table"><thead></thead><tbody></tbody></table></div></div>
      <div class="grid">
        <div class="card"><div class="chart" id="intermediate"></div></div>
        <div class="card"><div class="chart" id="importance"></div></div></div>
      <div class="card"><div class="chart" id="parallel"></div></div>
      <div class="card"><h3>Slices</h3><div class="slices" id="slices">${paramNames.map(p => `<div class="chart small" data-param="${esc(p)}"></div>`).join("")}</div></div>
      <div class="card"><h3>Contour</h3><div class="controls">
        <label>x <select id="cx">${paramNames.map(p => `<option>${esc(p)}</option>`).join("")}</select></label>
        <label>y <select id="cy">${paramNames.map((p, i) => `<option ${i === 1 ? "selected" : ""}>${esc(p)}</option>`).join("")}</select></label>
        ${multi ? `<label>objective <select id="cobj">${objNames.map((n, k) => `<option value="${k}">${esc(n)}</option>`).join("")}</select></label>` : ""}
        </div><div class="chart" id="contour"></div></div>
      <div class="card" id="test-evaluation"><h3>Test evaluation</h3><p class="muted">Loading…</p></div>
      <div class="card artifacts" id="artifacts"><h3>Artifacts</h3><p class="muted">Loading…</p></div>`;

    function kpis() {
      const byState = {};
      for (const r of state.rows) byState[r.state] = (byState[r.state] || 0) + 1;
      document.getElementById("kpis").innerHTML = `<div>Direction(s)<b>${esc(s.directions.join(", "))}</b></div>
        <div>Best<b id="kpi-best">${best}</b></div><div>Trials<b id="kpi-trials">${state.rows.length}</b></div>
        ${Object.entries(byState).map(([k, v]) => `<div>${esc(k)}<b class="state-${esc(k)}">${v}</b></div>`).join("")}
        <div>Started<b>${esc(s.datetime_start || "—")}</b></div>`;
    }

    function histories() {
      return s.directions.map((d, k) => chart(document.getElementById("history-" + k),
        Charts.history(state.rows, k, d, multi ? objNames[k] : null)));
    }

    function renderTable(page) {
      const cols = [["number", "#"], ["state", "State"], ["value", multi ? "Values" : "Value"], ["duration", "Duration (s)"]]
        .concat(paramNames.map(p => ["param:" + p, p]));
      document.querySelector("#trial-table thead").innerHTML = "<tr>" + cols.map(([key, label]) =>
        `<th class="sortable ${table.sort === key ? "sorted" : ""} ${table.sort === key && table.order === "desc" ? "desc" : ""}"
          data-sort="${esc(key)}">${esc(label)}</th>`).join("") + "</tr>";
      document.querySelector("#trial-table tbody").innerHTML = page.trials.map(t => `<tr data-number="${t.number}">
        <td>${t.number}</td><td class="state-${esc(t.state)}">${esc(t.state)}</td>
        <td>${t.values ? t.values.map(fmt).join(", ") : "—"}</td><td>${fmt(t.duration_seconds)}</td>
        ${paramNames.map(p => `<td>${fmt(t.params[p])}</td>`).join("")}</tr>`).join("");
      const last = Math.min(page.total, page.offset + page.trials.length);
      document.getElementById("page-info").textContent = page.total === 0 ? "no trials"
        : `${page.offset + 1}–${last} of ${page.total}`;
      document.getElementById("prev").disabled = page.offset === 0;
      document.getElementById("next").disabled = last >= page.total;
      document.querySelectorAll("#trial-table th.sortable").forEach(th => th.onclick = () => {
        const key = th.dataset.sort;
        table.order = table.sort === key && table.order === "asc" ? "desc" : "asc";
        table.sort = key; table.offset = 0; loadTable();
      });
      return page.trials.length;
    }

    async function loadTable() {
      const q = new URLSearchParams({ offset: table.offset, limit: PAGE, sort: table.sort, order: table.order });
      if (table.state) q.set("state", table.state);
      if (table.valueMin !== "") q.set("value_min", table.valueMin);
      if (table.valueMax !== "") q.set("value_max", table.valueMax);
      return renderTable(await api(`/api/studies/${id}/trials?${q}`));
    }

    document.getElementById("f-state").onchange = e => { table.state = e.target.value; table.offset = 0; loadTable(); };
    document.getElementById("f-min").onchange = e => { table.valueMin = e.target.value; table.offset = 0; loadTable(); };
    document.getElementById("f-max").onchange = e => { table.valueMax = e.target.value; table.offset = 0; loadTable(); };
    document.getElementById("prev").onclick = () => { table.offset = Math.max(0, table.offset - PAGE); loadTable(); };
    document.getElementById("next").onclick = () => { table.offset += PAGE; loadTable(); };

    // First the history and the first table page, then the marker the browser test and the benchmark wait for.
    kpis();
    const hist = histories();
    const tableRows = renderTable(firstPage);
    const historyPoints = hist[0].getOption().series[0].data.length;
    marker.dataset.view = "study";
    marker.dataset.study = String(id);
    marker.dataset.historyPoints = String(historyPoints);
    marker.dataset.tableRows = String(tableRows);
    marker.dataset.tableTotal = String(firstPage.total);
    marker.dataset.ms = String(Math.round(performance.now() - t0));
    marker.dataset.sinceNavigationMs = String(Math.round(performance.now()));
    document.body.dataset.rendered = "study";

    function rest() {
      const k0 = multi && document.getElementById("cobj") ? Number(document.getElementById("cobj").value) : 0;
      chart(document.getElementById("intermediate"), Charts.intermediate(state.rows, INTERMEDIATE_LINES));
      if (paramNames.length) chart(document.getElementById("parallel"), Charts.parallel(state.rows, state.params, 0, objNames[0]));
      document.querySelectorAll("#slices [data-param]").forEach(el => chart(el,
        Charts.slice(state.rows, state.params[el.dataset.param], el.dataset.param, 0, objNames[0])));
      const cx = document.getElementById("cx").value, cy = document.getElementById("cy").value;
      if (cx && cy && cx !== cy) chart(document.getElementById("contour"), Charts.contour(state.rows, state.params, cx, cy, k0, objNames[k0]));
      else if (paramNames.length < 2) document.getElementById("contour").innerHTML = '<p class="muted">A contour needs two parameters; this study has ' + paramNames.length + '.</p>';
      if (multi) chart(document.getElementById("pareto"), Charts.pareto(state.rows, state.pareto, objNames));
    }
    ["cx", "cy", "cobj"].forEach(i => { const el = document.getElementById(i); if (el) el.onchange = rest; });
    setTimeout(async () => {
      rest();
      try { applyIntermediate(state.rows, await api(`/api/studies/${id}/intermediate_values`)); } catch (e) { /* shown empty */ }
      chart(document.getElementById("intermediate"), Charts.intermediate(state.rows, INTERMEDIATE_LINES));
      importances();
      testEvaluation();
      artifacts();
    }, 0);

    async function importances() {
      try {
        const imp = await api(`/api/studies/${id}/param_importances`);
        const list = imp.param_importances[0] || [];
        const el = document.getElementById("importance");
        if (list.length === 0) { el.innerHTML = `<p class="muted">${esc(imp.message || "Importances need at least two COMPLETE trials.")}</p>`; return; }
        chart(el, Charts.importance(imp.param_importances, objNames, imp.evaluator + ", " + imp.n_complete_trials + " complete trials"));
      } catch (e) { document.getElementById("importance").textContent = "Importances: " + e.message; }
    }

    async function testEvaluation() {
      const el = document.getElementById("test-evaluation");
      let te;
      try { te = (await api(`/api/studies/${id}/test_evaluation`)).test_evaluation; }
      catch (e) { el.innerHTML = `<h3>Test evaluation</h3><p class="muted">${esc(e.message)}</p>`; return; }
      const arms = [["baseline", "Baseline (α = 0)"], ["best", "Best configuration"], ["greedy_baseline", "Greedy unsteered"]]
        .filter(([k]) => te[k]);
      el.innerHTML = `<h3>Test evaluation — trial ${te.best_trial}, ${te.n_items} items, metric ${esc(te.metric)}</h3>
        <table id="test-table"><thead><tr><th>Arm</th><th>Flexible accuracy</th><th>Wilson 95% CI</th><th>Strict accuracy</th>
        <th>Wilson 95% CI</th><th>Correct</th><th>Mean tokens</th></tr></thead><tbody>
        ${arms.map(([k, label]) => `<tr><td>${label}</td><td>${pct(te[k].flexible_accuracy)}</td><td>${ci(te[k].flexible_ci95)}</td>
          <td>${pct(te[k].strict_accuracy)}</td><td>${ci(te[k].strict_ci95)}</td><td>${te[k].correct}</td>
          <td>${fmt(te[k].mean_generated_tokens)}</td></tr>`).join("")}</tbody></table>
        <p>Gain ${pct(te.gain.observed)}, paired bootstrap 95% CI ${ci(te.gain.ci95)} (${te.gain.resamples} resamples) ·
        McNemar exact p = <b id="mcnemar-p">${fmt(te.mcnemar.p_value)}</b> (baseline only ${te.mcnemar.b_baseline_only},
        best only ${te.mcnemar.c_best_only}) · baseline kind ${esc(te.baseline_kind)}
        ${te.minimum_detectable_effect != null ? " · MDE " + pct(te.minimum_detectable_effect) : ""}</p>`;
    }

    async function artifacts() {
      const el = document.getElementById("artifacts");
      try {
        const a = await api(`/api/studies/${id}/artifacts`);
        if (!a.artifacts.length) { el.innerHTML = '<h3>Artifacts</h3><p class="muted">No artifacts recorded for this study.</p>'; return; }
        const url = n => `/api/studies/${id}/artifacts/${encodeURIComponent(n)}`;
        el.innerHTML = `<h3>Artifacts <span class="muted">${esc(a.directory)}</span></h3><ul>${a.artifacts.map(f =>
          `<li><a href="${url(f.name)}" target="_blank">${esc(f.name)}</a> <span class="muted">${f.bytes} bytes</span></li>`).join("")}</ul>
          ${a.artifacts.filter(f => f.media_type === "image/png").map(f => `<figure><img alt="${esc(f.name)}" src="${url(f.name)}">
          <figcaption class="muted">${esc(f.name)}</figcaption></figure>`).join("")}`;
      } catch (e) { el.innerHTML = `<h3>Artifacts</h3><p class="error">${esc(e.message)}</p>`; }
    }

    // Live updates: only trials above next_after can be new or still changing.
    async function poll() {
      try {
        const [d, iv] = await Promise.all([api(`/api/studies/${id}/plot_data?after=${state.nextAfter}`),
          api(`/api/studies/${id}/intermediate_values?after=${state.nextAfter}`)]);
        const fresh = toRows(d);
        applyIntermediate(fresh, iv);
        // a trial still running comes back on every poll: redraw only when some trial's state, values or reports moved
        const sig = JSON.stringify(fresh.map(r => [r.number, r.state, r.values, r.iv.length]));
        const changed = sig !== state.freshSig;
        state.freshSig = sig;
        state.rows = state.rows.filter(r => r.number <= state.nextAfter).concat(fresh);
        mergeParams(state.params, d.params);
        state.nextAfter = d.next_after;
        if (d.pareto.length) state.pareto = d.pareto;
        const running = state.rows.filter(r => r.state === "RUNNING").length;
        document.getElementById("live").textContent = "live · " + state.rows.length + " trials" + (running ? ", " + running + " running" : "");
        if (fresh.length && changed) {
          kpis(); histories(); rest(); loadTable();
          marker.dataset.redraws = String(Number(marker.dataset.redraws || 0) + 1);
        }
      } catch (e) { document.getElementById("live").textContent = "live updates paused: " + e.message; }
    }
    timer = setInterval(poll, POLL_MS);
  }

  async function route() {
    reset();
    const m = location.hash.match(/^#\/studies\/(\d+)/);
    try {
      if (m) await studyView(Number(m[1])); else await studyList();
    } catch (e) {
      app.innerHTML = `<p class="error">${esc(e.message)}</p>`;
      marker.dataset.view = "error";
      document.body.dataset.rendered = "error";
    }
  }
  window.addEventListener("hashchange", route);
  window.addEventListener("resize", () => charts.forEach(c => c.resize()));
  route();
})();
