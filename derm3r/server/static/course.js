/* The course of treatment: measurement trends as inline SVG, syndrome and plan changes per visit. */
"use strict";
const SEVERITY_LEVEL = { "轻度": 1, "中度": 2, "重度": 3 };
const COLORS = ["#0f6e5a", "#b54708", "#6941c6", "#b42318"];
const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text != null) node.textContent = text;
  return node;
}

/* One line chart: series = [{name, points: [[visitNumber, value]]}] on a shared y axis from 0. */
function lineChart(title, series, yMax) {
  const W = 640, H = 220, L = 40, R = 12, T = 24, B = 28;
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const top = yMax || Math.max(1, ...series.flatMap((s) => s.points.map((p) => p[1]))) * 1.15;
  const x = (n) => L + (xs.length < 2 ? (W - L - R) / 2 : ((xs.indexOf(n)) / (xs.length - 1)) * (W - L - R));
  const y = (v) => T + (1 - v / top) * (H - T - B);
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": title, "data-chart": title });
  chart.append(svg("text", { x: L, y: 14, "font-size": 12 }, title));
  chart.append(svg("line", { x1: L, y1: y(0), x2: W - R, y2: y(0), stroke: "#98a2b3" }));
  for (const tick of [0, top / 2, top]) {
    chart.append(svg("text", { x: L - 6, y: y(tick) + 4, "font-size": 10, "text-anchor": "end" }, +tick.toFixed(1)));
  }
  for (const n of xs) chart.append(svg("text", { x: x(n), y: H - 8, "font-size": 11, "text-anchor": "middle" }, `#${n}`));
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const path = s.points.map(([n, v], j) => `${j ? "L" : "M"}${x(n).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
    chart.append(svg("path", { d: path, fill: "none", stroke: color, "stroke-width": 2 }));
    for (const [n, v] of s.points) {
      chart.append(svg("circle", { cx: x(n), cy: y(v), r: 4, fill: color, "data-series": s.name, "data-visit": n, "data-value": v }));
    }
    chart.append(svg("text", { x: W - R - 4, y: T + 14 * (i + 1), "font-size": 11, fill: color, "text-anchor": "end" }, s.name));
  });
  return chart;
}

function seriesOf(visits, key) {
  return visits.filter((v) => v.measurements[key] != null).map((v) => [v.number, v.measurements[key]]);
}

function renderTrend(visits) {
  const box = document.getElementById("trend");
  const charts = [];
  const area = seriesOf(visits, "area_percent");
  if (area.length) charts.push(lineChart(t("trendArea"), [{ name: measureName("area_percent"), points: area }]));
  const pasi = ["pasi_erythema", "pasi_induration", "pasi_scale"].map((key) => ({
    name: measureName(key), points: seriesOf(visits, key) })).filter((s) => s.points.length);
  if (pasi.length) charts.push(lineChart("PASI 0–4", pasi, 4));
  const severity = visits.filter((v) => SEVERITY_LEVEL[v.severity]).map((v) => [v.number, SEVERITY_LEVEL[v.severity]]);
  if (!charts.length && severity.length) charts.push(lineChart(t("trendSeverity"), [{ name: t("trendSeverity"), points: severity }], 3));
  box.replaceChildren(...(charts.length ? charts : [el("p", { class: "muted", text: t("noTrend") })]));
}

function describeChange(change) {
  if (change.change === "formula") {
    return el("div", { class: "chg-formula", text: `${t("formulaChange")}：${named("terms", change.before)} → ${named("terms", change.after)}` });
  }
  const herb = named("herbs", change.herb);
  if (change.change === "added") return el("span", { class: "chg-added", text: `+${herb}${LANG === "en" ? " " : ""}${change.after}g ` });
  if (change.change === "removed") return el("span", { class: "chg-removed", text: `${herb} ` });
  if (change.change === "dose") return el("span", { class: "chg-dose", text: `${herb} ${change.before}→${change.after}g ` });
  return el("span", { class: "chg-role", text: `${herb} ${change.before || "—"}→${change.after || "—"} ` });
}

/* The clinical names a course shows: each visit's syndrome and formula, and the herbs of its plan changes. */
function courseNames(course) {
  const changes = course.visits.flatMap((visit) => visit.changes);
  return {
    terms: [...course.visits.flatMap((visit) => [visit.syndrome, visit.formula]),
      ...changes.filter((c) => c.change === "formula").flatMap((c) => [c.before, c.after])],
    herbs: changes.map((c) => c.herb),
  };
}

async function loadCourse(patientId) {
  const box = document.getElementById("course");
  STATE.course = null;
  if (!patientId) { box.hidden = true; return null; }
  const course = await api("GET", `/api/patients/${patientId}/course`);
  STATE.course = course;
  renderCourse(course);
  return course;
}

/* The course's trend and table in the page's language; drawn again when the English labels of its names arrive. */
function renderCourse(course) {
  const box = document.getElementById("course");
  box.hidden = course.visits.length === 0;
  renderTrend(course.visits);
  const open = STATE.openVisit && STATE.openVisit.id;
  document.getElementById("course-body").replaceChildren(...course.visits.map((visit) => el("tr", { "data-visit": visit.number,
    "data-visit-id": visit.visit_id, class: visit.visit_id === open ? "open" : "" },
    el("td", { text: `#${visit.number}` }), el("td", { text: visit.date || "" }),
    el("td", { text: `${named("terms", visit.syndrome) || "—"}${visit.confidence != null ? " " + pct(visit.confidence) : ""}` }),
    el("td", { text: `${named("terms", visit.formula) || "—"}${visit.edited ? " ✎" : ""}`, title: visit.edited ? t("edited") : "" }),
    el("td", {}, ...(visit.number === 1 ? [t("firstVisit")] : visit.changes.map(describeChange))),
    el("td", { class: "no-print" }, el("button", { type: "button", "data-testid": "open-visit", text: t("openVisit"),
      onclick: () => openVisit(visit.visit_id).catch(showError) })))));
  loadNameLabels(courseNames(course)).then((fresh) => {
    if (fresh && STATE.course === course && LANG === "en") renderCourse(course);
  }, (error) => console.warn("labels", error));  // the names stay as written
}
