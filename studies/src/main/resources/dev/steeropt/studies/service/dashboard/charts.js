/* ECharts option builders of the SteerOpt dashboard: each takes the study's trial rows and returns an option. */
"use strict";
const Charts = (() => {
  const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];
  const base = (title) => ({ animation: false, color: PALETTE, title: { text: title, textStyle: { fontSize: 13 } },
    tooltip: { trigger: "item" }, grid: { left: 60, right: 24, top: 40, bottom: 44 } });

  function axisFor(param, label) {
    if (!param) return { type: "value", name: label, nameLocation: "middle", nameGap: 28, scale: true };
    const d = param.distribution;
    if (d.name === "CategoricalDistribution") {
      return { type: "category", name: label, nameLocation: "middle", nameGap: 28, data: d.attributes.choices.map(String) };
    }
    return { type: param.log ? "log" : "value", name: label + (param.log ? " (log)" : ""), nameLocation: "middle",
      nameGap: 28, scale: true };
  }

  function paramValue(param, v) {
    return param.distribution.name === "CategoricalDistribution" ? String(v) : v;
  }

  /** Objective value per trial number, and the best so far. */
  function history(rows, objective, direction, name) {
    const pts = [], best = [];
    let b = null;
    for (const r of rows) {
      const v = r.state === "COMPLETE" && r.values ? r.values[objective] : null;
      if (v === null || v === undefined) continue;
      pts.push([r.number, v]);
      if (b === null || (direction === "maximize" ? v > b : v < b)) b = v;
      best.push([r.number, b]);
    }
    const o = base("Optimisation history" + (name ? " — " + name : ""));
    o.legend = { top: 4, right: 10, data: ["Objective value", "Best value"] };
    o.xAxis = { type: "value", name: "Trial", nameLocation: "middle", nameGap: 28, min: 0 };
    o.yAxis = { type: "value", name: name || "Objective value", nameLocation: "middle", nameGap: 44, scale: true };
    o.series = [
      { name: "Objective value", type: "scatter", symbolSize: 5, large: true, largeThreshold: 2000, data: pts },
      { name: "Best value", type: "line", step: "end", showSymbol: false, data: best, lineStyle: { width: 2 } }];
    return o;
  }

  /** Reported values per step, one line per trial (the latest {@code limit} trials that reported). */
  function intermediate(rows, limit) {
    const withSteps = rows.filter(r => r.iv.length > 0).slice(-limit);
    const o = base("Intermediate values" + (withSteps.length === limit ? " (latest " + limit + " trials)" : ""));
    o.xAxis = { type: "value", name: "Step", nameLocation: "middle", nameGap: 28 };
    o.yAxis = { type: "value", name: "Intermediate value", nameLocation: "middle", nameGap: 44, scale: true };
    o.legend = { top: 4, right: 10, data: ["COMPLETE", "PRUNED", "other"] };
    const colour = { COMPLETE: PALETTE[0], PRUNED: PALETTE[1] };
    o.series = withSteps.map(r => {
      const data = [];
      for (let i = 0; i < r.iv.length; i += 2) data.push([r.iv[i], r.iv[i + 1]]);
      const group = colour[r.state] ? r.state : "other";
      return { name: group, type: "line", data, showSymbol: false, lineStyle: { width: 1, opacity: 0.6 },
        itemStyle: { color: colour[r.state] || PALETTE[7] }, emphasis: { disabled: true }, tooltip: { show: false } };
    });
    return o;
  }

  /** One axis per parameter and one for the objective; a line per COMPLETE trial, coloured by its value. */
  function parallel(rows, params, objective, name) {
    const names = Object.keys(params);
    const done = rows.filter(r => r.state === "COMPLETE" && r.values && r.values[objective] !== null);
    const axes = names.map((p, i) => {
      const d = params[p].distribution;
      if (d.name === "CategoricalDistribution") return { dim: i, name: p, type: "category", data: d.attributes.choices.map(String) };
      return { dim: i, name: p + (params[p].log ? " (log)" : ""), type: params[p].log ? "log" : "value", scale: true };
    });
    axes.push({ dim: names.length, name: name || "Objective", type: "value", scale: true });
    const vals = done.map(r => r.values[objective]);
    const data = done.map(r => names.map(p => r.params[p] === undefined || r.params[p] === null ? null
      : paramValue(params[p], r.params[p])).concat([r.values[objective]]));
    const o = base("Parallel coordinates");
    o.parallelAxis = axes;
    o.parallel = { left: 60, right: 80, top: 60, bottom: 30 };
    let lo = Infinity, hi = -Infinity;
    for (const v of vals) { if (v < lo) lo = v; if (v > hi) hi = v; }
    if (!(lo < hi)) { lo = isFinite(lo) ? lo - 0.5 : 0; hi = lo + 1; }
    o.visualMap = { type: "continuous", dimension: names.length, min: lo, max: hi,
      right: 0, top: "middle", calculable: true, inRange: { color: ["#d73027", "#fee08b", "#1a9850"] } };
    o.series = [{ type: "parallel", lineStyle: { width: 1, opacity: 0.45 }, progressive: 1000, data }];
    return o;
  }

  /** The objective against one parameter. */
  function slice(rows, param, p, objective, name) {
    const data = [];
    for (const r of rows) {
      if (r.state !== "COMPLETE" || !r.values || r.params[p] === undefined || r.params[p] === null) continue;
      data.push([paramValue(param, r.params[p]), r.values[objective], r.number]);
    }
    const o = base(p);
    o.grid = { left: 54, right: 12, top: 34, bottom: 40 };
    o.xAxis = axisFor(param, p);
    o.yAxis = { type: "value", name: name || "Objective", nameLocation: "middle", nameGap: 38, scale: true };
    o.visualMap = { show: false, dimension: 2, min: 0, max: Math.max(1, rows.length), inRange: { color: ["#c6dbef", "#08306b"] } };
    o.tooltip = { formatter: x => "trial " + x.value[2] + "<br>" + p + " = " + x.value[0] + "<br>value = " + x.value[1] };
    o.series = [{ type: "scatter", symbolSize: 5, large: true, data }];
    return o;
  }

  function bins(param, values, n) {
    const d = param.distribution;
    if (d.name === "CategoricalDistribution") {
      const labels = d.attributes.choices.map(String);
      return { labels, index: v => labels.indexOf(String(v)) };
    }
    if (d.name === "IntDistribution" && !param.log && (d.attributes.high - d.attributes.low) / d.attributes.step < n) {
      const labels = [];
      for (let v = d.attributes.low; v <= d.attributes.high; v += d.attributes.step) labels.push(String(v));
      return { labels, index: v => Math.round((v - d.attributes.low) / d.attributes.step) };
    }
    const f = param.log ? Math.log10 : (x => x);
    const lo = f(d.attributes.low), hi = f(d.attributes.high);
    const width = (hi - lo) / n || 1;
    const labels = [];
    for (let i = 0; i < n; i++) {
      const c = lo + (i + 0.5) * width;
      labels.push(Number((param.log ? Math.pow(10, c) : c).toPrecision(3)).toString());
    }
    return { labels, index: v => Math.max(0, Math.min(n - 1, Math.floor((f(v) - lo) / width))) };
  }

  /** Mean objective over a grid of two parameters (log-spaced cells for log distributions). */
  function contour(rows, params, px, py, objective, name) {
    const bx = bins(params[px], null, 16), by = bins(params[py], null, 16);
    const sum = new Map();
    for (const r of rows) {
      if (r.state !== "COMPLETE" || !r.values || r.params[px] == null || r.params[py] == null) continue;
      const k = bx.index(r.params[px]) + "," + by.index(r.params[py]);
      const s = sum.get(k) || [0, 0];
      s[0] += r.values[objective]; s[1] += 1;
      sum.set(k, s);
    }
    const data = [];
    let lo = Infinity, hi = -Infinity;
    for (const [k, s] of sum) {
      const [i, j] = k.split(",").map(Number);
      const m = s[0] / s[1];
      lo = Math.min(lo, m); hi = Math.max(hi, m);
      data.push([i, j, m, s[1]]);
    }
    const o = base("Contour: mean " + (name || "objective") + " by " + px + " × " + py);
    o.xAxis = { type: "category", data: bx.labels, name: px + (params[px].log ? " (log)" : ""), nameLocation: "middle", nameGap: 28 };
    o.yAxis = { type: "category", data: by.labels, name: py + (params[py].log ? " (log)" : ""), nameLocation: "middle", nameGap: 44 };
    o.grid = { left: 70, right: 90, top: 40, bottom: 44 };
    o.visualMap = { min: isFinite(lo) ? lo : 0, max: isFinite(hi) ? hi : 1, calculable: true, right: 0, top: "middle",
      inRange: { color: ["#d73027", "#fee08b", "#1a9850"] } };
    o.tooltip = { formatter: x => px + " ≈ " + bx.labels[x.value[0]] + ", " + py + " ≈ " + by.labels[x.value[1]]
      + "<br>mean " + x.value[2].toPrecision(4) + " over " + x.value[3] + " trials" };
    o.series = [{ type: "heatmap", data }];
    return o;
  }

  /** Horizontal bars, most important (for the first objective) on top; one colour per objective. */
  function importance(lists, names, evaluator) {
    const params = lists[0].map(i => i.name).reverse();
    const o = base("Parameter importances");
    o.title.subtext = evaluator;
    o.grid = { left: 110, right: 40, top: 56, bottom: 30 };
    if (lists.length > 1) o.legend = { top: 4, right: 10, data: names };
    o.xAxis = { type: "value", name: "Importance" };
    o.yAxis = { type: "category", data: params };
    o.series = lists.map((list, k) => {
      const by = new Map(list.map(i => [i.name, i.importance]));
      return { name: names[k], type: "bar", data: params.map(p => by.has(p) ? by.get(p) : 0),
        label: { show: true, position: "right", formatter: x => x.value.toFixed(3) } };
    });
    return o;
  }

  /** First two objectives, the non-dominated trials highlighted. */
  function pareto(rows, front, names) {
    const onFront = new Set(front);
    const a = [], b = [];
    for (const r of rows) {
      if (r.state !== "COMPLETE" || !r.values || r.values[0] == null || r.values[1] == null) continue;
      (onFront.has(r.number) ? a : b).push([r.values[0], r.values[1], r.number]);
    }
    a.sort((x, y) => x[0] - y[0]);
    const o = base("Pareto front");
    o.legend = { top: 4, right: 10, data: ["Pareto front", "Dominated"] };
    o.xAxis = { type: "value", name: names[0], nameLocation: "middle", nameGap: 28, scale: true };
    o.yAxis = { type: "value", name: names[1], nameLocation: "middle", nameGap: 44, scale: true };
    o.tooltip = { formatter: x => "trial " + x.value[2] + "<br>" + names[0] + " = " + x.value[0] + "<br>" + names[1] + " = " + x.value[1] };
    o.series = [{ name: "Dominated", type: "scatter", symbolSize: 5, large: true, data: b, itemStyle: { color: "#9ca3af" } },
      { name: "Pareto front", type: "line", step: false, symbolSize: 8, data: a, itemStyle: { color: PALETTE[3] } }];
    return o;
  }

  return { history, intermediate, parallel, slice, contour, importance, pareto };
})();
