/* The consultation on the page: referral banner, diagnosis, editable prescription re-checked on every edit, photos. */
"use strict";
const ROLES = ["", "君", "臣", "佐", "使"];
let safetyTimer = null;
let safetyRound = 0;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value; else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value); else node.setAttribute(key, value);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

/* A probability as a percentage; one that rounds to 0 but is not 0 reads "<1%", not "0%". */
function pct(value) {
  if (value == null) return "—";
  return value > 0 && value < 0.005 ? "<1%" : `${Math.round(value * 100)}%`;
}

function renderConsultation(consultation) {
  const { assessment, safety, plan, representation } = consultation;
  document.getElementById("result").hidden = false;
  const referral = document.getElementById("referral");
  referral.hidden = !(safety.red_flags.length || safety.referral);
  referral.replaceChildren(el("div", { text: `⚠ ${t("referral")}：${safety.referral || safety.reason}` }),
    el("ul", {}, ...safety.red_flags.map((flag) => el("li", { text: flag }))));
  const abstain = document.getElementById("abstain");
  abstain.hidden = !safety.abstained || !referral.hidden;
  abstain.replaceChildren(el("b", { text: `${t("abstained")}：` }), safety.reason || "",
    safety.questions.length ? el("ul", {}, ...safety.questions.map((q) => el("li", { text: q }))) : null);
  const disease = [assessment.disease, assessment.disease_western && `（${assessment.disease_western}）`].filter(Boolean).join("");
  document.getElementById("r-disease").textContent = disease || "—";
  const syndrome = assessment.syndrome;
  const secondary = assessment.secondary_syndrome;
  document.getElementById("r-syndrome").textContent = syndrome
    ? syndrome.name + (secondary ? `；${t("secondary")}：${secondary.name}` : "") : "—";
  document.getElementById("r-confidence").textContent = syndrome ? pct(syndrome.confidence) : "—";
  document.getElementById("r-meter").style.width = syndrome ? `${Math.round(syndrome.confidence * 100)}%` : "0";
  document.getElementById("r-pathogenesis").textContent = assessment.pathogenesis || representation.pathogenesis || "—";
  document.getElementById("r-principle").textContent = assessment.treatment_principle || "—";
  document.getElementById("r-formula").value = (plan.formula && plan.formula.name) || "";
  renderDifferential(assessment);
  fillPrescription(plan.herbs);
  STATE.withheld = safety.abstained && plan.herbs.length === 0;
  document.getElementById("rx-box").hidden = STATE.withheld;
  renderFindings(safety.warnings);
  renderModifications(plan);
  renderImages(consultation.findings);
  document.getElementById("print-meta").textContent =
    `${consultation.case_id} · ${new Date().toLocaleString(LANG === "zh" ? "zh-CN" : "en")} · ${consultation.engine}`;
}

/* An evidence list's labels, each reading once: a term another term of the list implies (苔黄 beside 苔薄黄, from
   the knowledge base's lexicon, GET /api/kb/implications) is left out, as 苔薄黄 already says it. */
function onceEach(evidence) {
  const implies = STATE.implies || {};
  const broader = new Set();
  const walk = (term) => { for (const next of implies[term] || []) if (!broader.has(next)) { broader.add(next); walk(next); } };
  evidence.forEach((e) => walk(e.term));
  return evidence.filter((e) => !broader.has(e.term)).map((e) => e.label || e);
}

function renderDifferential(assessment) {
  const box = document.getElementById("r-differential");
  const rows = [];
  for (const item of assessment.disease_differential || []) {
    rows.push(el("div", {}, el("b", { text: `${item.name} ${pct(item.confidence)}` }),
      (item.evidence || []).length ? ` — ${t("evidence")}：${onceEach(item.evidence).join("、")}` : ""));
  }
  for (const call of assessment.differential || []) {
    const supports = onceEach((call.evidence || []).filter((e) => e.supports));
    rows.push(el("div", {}, el("span", { text: `${call.name} ${pct(call.confidence)}` }),
      supports.length ? ` — ${t("evidence")}：${supports.join("、")}` : ""));
  }
  box.replaceChildren(...rows);
  document.getElementById("differential-box").hidden = rows.length === 0;
}

function renderModifications(plan) {
  const parts = [];
  if (plan.modifications.length) {
    parts.push(el("h3", { text: t("modifications") }), el("ul", {}, ...plan.modifications.map((m) =>
      el("li", { text: `${m.reason}${m.add.length ? "：+" + m.add.map((h) => `${h.name}${h.dose_g}g`).join("、") : ""}` }))));
  }
  const notes = [...plan.notes, ...plan.lifestyle];
  if (notes.length) parts.push(el("h3", { text: t("lifestyle") }), el("ul", {}, ...notes.map((n) => el("li", { text: n }))));
  if (plan.follow_up) parts.push(el("p", { text: `${t("followUp")}：${plan.follow_up}` }));
  document.getElementById("modifications").replaceChildren(...parts);
}

function herbRow(herb) {
  const role = el("select", { "aria-label": t("role"), onchange: scheduleSafetyCheck },
    ...ROLES.map((r) => el("option", { value: r, text: r || "—" })));
  role.value = herb.role || "";
  return el("tr", {},
    el("td", {}, el("input", { value: herb.name, "aria-label": t("herb"), class: "herb-name", oninput: scheduleSafetyCheck })),
    el("td", {}, el("input", { value: herb.dose_g, type: "number", min: "0.1", step: "0.5", "aria-label": t("grams"),
      class: "herb-grams", oninput: scheduleSafetyCheck })),
    el("td", {}, role),
    el("td", { class: "no-print" }, el("button", { type: "button", text: "×", title: t("remove"),
      onclick: (event) => { event.target.closest("tr").remove(); scheduleSafetyCheck(); } })));
}

function fillPrescription(herbs) {
  document.querySelector("#rx tbody").replaceChildren(...herbs.map(herbRow));
}

/* The prescription as the clinician has it now, row for row (a blank row or a half-typed dose included). */
function prescriptionRows() {
  return [...document.querySelectorAll("#rx tbody tr")].map((row) => ({ name: row.querySelector(".herb-name").value,
    dose_g: row.querySelector(".herb-grams").value, role: row.querySelector("select").value }));
}

/* A language switch draws the consultation again in the new language but keeps what the clinician changed: the
   herbs and grams as edited, the formula, and the findings of the last safety re-check (not the proposal's). */
function relabelConsultation() {
  const rows = prescriptionRows();
  const formula = document.getElementById("r-formula").value;
  const findings = STATE.findings;
  const hidden = document.getElementById("result").hidden;  // behind a saved visit's view, it stays behind
  renderConsultation(STATE.consultation);
  document.getElementById("result").hidden = hidden;
  fillPrescription(rows);
  document.getElementById("r-formula").value = formula;
  renderFindings(findings);
}

function currentHerbs() {
  return [...document.querySelectorAll("#rx tbody tr")].map((row) => ({
    name: row.querySelector(".herb-name").value.trim(),
    dose_g: Number(row.querySelector(".herb-grams").value),
    role: row.querySelector("select").value || null,
  })).filter((herb) => herb.name);
}

function scheduleSafetyCheck() {
  clearTimeout(safetyTimer);
  document.getElementById("safety").dataset.state = "checking";
  safetyTimer = setTimeout(runSafetyCheck, 250);
}

async function runSafetyCheck() {
  const round = ++safetyRound;
  const box = document.getElementById("safety");
  try {
    const result = await api("POST", "/api/safety/check", { plan: { herbs: currentHerbs() }, case: STATE.checkCase });
    if (round !== safetyRound) return;
    renderFindings(result.safety.warnings);
  } catch (error) {
    if (round !== safetyRound) return;
    box.replaceChildren(el("div", { class: "finding blocking", text: error.message }));
  }
  box.dataset.state = "done";
}

function renderFindings(findings) {
  STATE.findings = findings;
  const box = document.getElementById("safety");
  box.dataset.state = "done";
  const flagged = new Set(findings.flatMap((f) => f.herbs));
  for (const row of document.querySelectorAll("#rx tbody tr")) {
    row.classList.toggle("flagged", flagged.has(row.querySelector(".herb-name").value.trim()));
  }
  if (!findings.length) {
    box.replaceChildren(...(STATE.withheld ? [] : [el("div", { class: "ok", text: `✓ ${t("noFindings")}` })]));
    return;
  }
  box.replaceChildren(...findings.map((f) => el("div", { class: `finding ${f.severity}`, "data-rule": f.rule_id },
    el("b", { text: f.message }), f.action ? ` — ${f.action}` : "", f.source ? el("div", { class: "muted", text: f.source }) : null)));
}

const MEASURE_LABELS = { area_percent: "area", pasi_erythema: "pasiErythema", pasi_scale: "pasiScale", pasi_induration: "pasiInduration",
  lesion_count: "count", erythema_index: "erythemaIndex", scale_coverage: "scaleCoverage", lesion_color: "lesionColor",
  border_compactness: "borderCompactness", tongue_body: "tongueBody", tongue_coat: "tongueCoat", coat_color: "coatColor",
  coat_thickness: "coatThickness", coat_greasy: "coatGreasy", coat_coverage: "coatCoverage", lesion_types: "lesionTypes",
  tongue_fissures: "fissures", tongue_tooth_marks: "toothMarks", coat_peeled: "coatPeeled" };
const UNCERTAIN_NOTE = "uncertain:";

/* One measurement: its label, its value with the unit (or "not measured", e.g. PASI induration), whether it is
   uncertain (below the finding's threshold) and its confidence (null when it has none). */
function measurementParts(item) {
  const label = MEASURE_LABELS[item.name] ? t(MEASURE_LABELS[item.name]) : item.name;
  if (item.value == null) return { label, value: t("notMeasured"), uncertain: false, confidence: null };
  const value = typeof item.value === "number" ? +item.value.toFixed(2) : item.value;
  return { label, value: withUnit(value, item.unit), uncertain: (item.note || "").startsWith(UNCERTAIN_NOTE),
    confidence: item.confidence };
}

/* A value with its unit: 18.6%, a PASI sub-score out of its 4, 48.3 Δa*; counts and classes bare. */
function withUnit(value, unit) {
  if (!unit) return String(value);
  if (unit === "%") return `${value}%`;
  const range = /^PASI 0-(\d+)$/.exec(unit);
  return range ? `${value}/${range[1]}` : `${value} ${unit}`;
}

/* One measurement for the caption. */
function describeItem(item) {
  const { label, value, uncertain, confidence } = measurementParts(item);
  const extras = [uncertain ? t("uncertain") : "", confidence != null ? `${t("confidence")} ${confidence.toFixed(2)}` : ""]
    .filter(Boolean);
  return `${label} ${value}${extras.length ? ` (${extras.join(", ")})` : ""}`;
}

/* The lesion outlines (polygon, else bounding box) scaled by sx, sy onto a canvas context. */
function drawOutlines(g, m, sx, sy) {
  g.lineWidth = 2; g.strokeStyle = "#00e5ff"; g.fillStyle = "rgba(0,229,255,.12)";
  for (const outline of m.outlines) {
    g.beginPath();
    if (outline.polygon && outline.polygon.length > 2) {
      outline.polygon.forEach(([x, y], i) => (i ? g.lineTo(x * sx, y * sy) : g.moveTo(x * sx, y * sy)));
      g.closePath();
    } else if (outline.bbox) {
      const [x0, y0, x1, y1] = outline.bbox;
      g.rect(x0 * sx, y0 * sy, (x1 - x0) * sx, (y1 - y0) * sy);
    }
    g.fill(); g.stroke();
  }
}

function renderImages(findings) {
  const box = document.getElementById("images");
  const figures = [];
  for (const finding of findings) {
    const match = /upload-(\d+)/.exec(finding.source || "");
    const photo = match && STATE.sentPhotos[Number(match[1])];
    if (!photo) continue;
    const canvas = el("canvas", { "data-source": finding.source });
    const caption = el("figcaption", {});
    figures.push(el("figure", {}, canvas, caption));
    const image = new Image();
    image.onload = () => drawFinding(canvas, caption, image, finding);
    image.src = photo.url;
  }
  box.replaceChildren(...figures);
}

/* The photo on the canvas (at most 600 px wide) with the finding's lesion outlines over it. */
function paintPhoto(canvas, image, m) {
  const width = Math.min(600, image.naturalWidth);
  const scale = width / image.naturalWidth;
  canvas.width = width; canvas.height = Math.round(image.naturalHeight * scale);
  const g = canvas.getContext("2d");
  g.drawImage(image, 0, 0, canvas.width, canvas.height);
  if (m && m.outlines) {
    const sx = canvas.width / ((m.image_size && m.image_size[0]) || image.naturalWidth);
    const sy = canvas.height / ((m.image_size && m.image_size[1]) || image.naturalHeight);
    drawOutlines(g, m, sx, sy);
  }
}

function drawFinding(canvas, caption, image, finding) {
  const m = finding.measurements;
  paintPhoto(canvas, image, m);
  const parts = [`${finding.view || ""}${finding.site ? " · " + finding.site : ""}`];
  if (finding.quality) parts.push(`${t("quality")} ${finding.quality.quality_score.toFixed(2)}${finding.quality.usable ? "" : " " + t("unusable")}`);
  for (const item of (m && m.items) || []) parts.push(describeItem(item));
  const seen = [...finding.color, ...finding.scale, ...finding.morphology].slice(0, 6);
  if (seen.length) parts.push(seen.join("、"));
  caption.textContent = parts.filter(Boolean).join(" · ");
}
