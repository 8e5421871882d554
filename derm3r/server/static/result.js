/* The consultation on the page: referral banner, diagnosis, editable prescription re-checked on every edit, photos. */
"use strict";
/* The 君臣佐使 roles, valued in Chinese as the plan stores them; English labels as in Bensky's Formulas & Strategies. */
const ROLES = [["", ""], ["君", "roleChief"], ["臣", "roleDeputy"], ["佐", "roleAssistant"], ["使", "roleEnvoy"]];
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
  document.getElementById("r-disease").textContent = diseaseLabel(assessment) || "—";
  const syndrome = assessment.syndrome;
  const secondary = assessment.secondary_syndrome;
  document.getElementById("r-syndrome").textContent = syndrome
    ? named("terms", syndrome.name) + (secondary ? `；${t("secondary")}：${named("terms", secondary.name)}` : "") : "—";
  document.getElementById("r-confidence").textContent = syndrome ? pct(syndrome.confidence) : "—";
  document.getElementById("r-meter").style.width = syndrome ? `${Math.round(syndrome.confidence * 100)}%` : "0";
  document.getElementById("r-pathogenesis").textContent = assessment.pathogenesis || representation.pathogenesis || "—";
  document.getElementById("r-principle").textContent = named("terms", assessment.treatment_principle) || "—";
  const formula = document.getElementById("r-formula");
  formula.value = (plan.formula && plan.formula.name) || "";
  formula.oninput = () => showNameLabel(document.getElementById("r-formula-label"), "terms", formula.value.trim());
  formula.oninput();
  document.getElementById("prose-note").hidden = LANG !== "en";
  renderDifferential(assessment);
  fillPrescription(plan.herbs);
  STATE.withheld = safety.abstained && plan.herbs.length === 0;
  document.getElementById("rx-box").hidden = STATE.withheld;
  renderFindings(safety.warnings);
  renderModifications(plan);
  renderImages(consultation.findings);
  document.getElementById("print-meta").textContent =
    `${consultation.case_id} · ${new Date().toLocaleString(LANG === "zh" ? "zh-CN" : "en")} · ${consultation.engine}`;
  loadLabels(consultation).then((fresh) => {
    if (fresh && STATE.consultation === consultation && LANG === "en") relabelConsultation();
  }, (error) => console.warn("labels", error));  // the names stay as written
}

/* The disease with its Western name: in English its label, in Chinese 白疕（银屑病 (psoriasis)）. */
function diseaseLabel(assessment) {
  if (labelled("diseases", assessment.disease)) return named("diseases", assessment.disease);
  return [assessment.disease, assessment.disease_western && `（${assessment.disease_western}）`].filter(Boolean).join("");
}

/* Whether the page has an English label for a clinical name (and shows English). */
function labelled(kind, name) {
  return LANG === "en" && Boolean(name) && name in STATE.labels[kind];
}

/* A clinical name in the page's language. English reads "readable (中文)" as the command line's report does (POST
   /api/kb/labels: the knowledge data's Western names and herb pinyin, else pinyin — never a guessed translation);
   in Chinese, and until the labels arrive, the name as the consultation writes it. */
function named(kind, name) {
  return labelled(kind, name) ? STATE.labels[kind][name] : name;
}

/* Reads the English labels of a consultation's names (and of further herbs: a saved visit's final plan) not yet
   known, once each; resolves true when new ones arrived, so the caller draws its view again. */
async function loadLabels(consultation, moreHerbs) {
  if (LANG !== "en") return false;
  const { assessment, plan } = consultation;
  const wanted = {
    diseases: [assessment.disease, ...(assessment.disease_differential || []).map((item) => item.name)],
    terms: [assessment.syndrome && assessment.syndrome.name, assessment.secondary_syndrome && assessment.secondary_syndrome.name,
      assessment.treatment_principle, ...(assessment.differential || []).map((call) => call.name),
      plan.formula && plan.formula.name],
    herbs: [...plan.herbs, ...plan.modifications.flatMap((m) => m.add), ...(moreHerbs || [])].map((herb) => herb.name),
  };
  return loadNameLabels(wanted);
}

/* Reads the English labels of names (kind → names) not yet known, once each; resolves true when new ones arrived. */
async function loadNameLabels(wanted) {
  if (LANG !== "en") return false;
  const missing = { diseases: [], terms: [], herbs: [] };
  for (const [kind, names] of Object.entries(wanted)) {
    missing[kind] = [...new Set(names.filter((name) => name && !(name in STATE.labels[kind])))];
  }
  if (!Object.values(missing).some((names) => names.length)) return false;
  const labels = await api("POST", "/api/kb/labels?lang=en", missing);
  for (const kind of Object.keys(missing)) Object.assign(STATE.labels[kind], labels[kind]);
  return true;
}

/* An evidence list's labels, each reading once: a term another term of the list implies (苔黄 beside 苔薄黄, from
   the knowledge base's lexicon, GET /api/kb/implications) is left out, as 苔薄黄 already says it. */
function onceEach(evidence) {
  return withoutImplied(evidence).map((e) => e.label || e);
}

/* The items (each with a lexicon term) less those another item of the list implies. */
function withoutImplied(items) {
  const implies = STATE.implies || {};
  const broader = new Set();
  const walk = (term) => { for (const next of implies[term] || []) if (!broader.has(next)) { broader.add(next); walk(next); } };
  items.forEach((e) => walk(e.term));
  return items.filter((e) => !broader.has(e.term));
}

function renderDifferential(assessment) {
  const box = document.getElementById("r-differential");
  const rows = [];
  for (const item of assessment.disease_differential || []) {
    rows.push(el("div", {}, el("b", { text: `${named("diseases", item.name)} ${pct(item.confidence)}` }),
      (item.evidence || []).length ? ` — ${t("evidence")}：${onceEach(item.evidence).join("、")}` : ""));
  }
  for (const call of assessment.differential || []) {
    const supports = onceEach((call.evidence || []).filter((e) => e.supports));
    rows.push(el("div", {}, el("span", { text: `${named("terms", call.name)} ${pct(call.confidence)}` }),
      supports.length ? ` — ${t("evidence")}：${supports.join("、")}` : ""));
  }
  box.replaceChildren(...rows);
  document.getElementById("differential-box").hidden = rows.length === 0;
}

function renderModifications(plan) {
  const parts = [];
  if (plan.modifications.length) {
    parts.push(el("h3", { text: t("modifications") }), el("ul", {}, ...plan.modifications.map((m) =>
      el("li", { text: `${m.add.length ? m.reason.replace(/[。.]$/, "") : m.reason}${m.add.length ? "：+" + m.add.map((h) => `${named("herbs", h.name)}${LANG === "en" ? " " : ""}${h.dose_g}g`).join("、") : ""}` }))));
  }
  const notes = [...plan.notes, ...plan.lifestyle];
  if (notes.length) parts.push(el("h3", { text: t("lifestyle") }), el("ul", {}, ...notes.map((n) => el("li", { text: n }))));
  if (plan.follow_up) parts.push(el("p", { text: `${t("followUp")}：${plan.follow_up}` }));
  document.getElementById("modifications").replaceChildren(...parts);
}

function herbRow(herb) {
  const role = el("select", { "aria-label": t("role"), onchange: scheduleSafetyCheck },
    ...ROLES.map(([value, key]) => el("option", { value, text: key ? t(key) : "—" })));
  role.value = herb.role || "";
  const label = el("span", { class: "name-label herb-label", "data-testid": "herb-label" });
  const name = el("input", { value: herb.name, "aria-label": t("herb"), class: "herb-name",
    oninput: () => { scheduleSafetyCheck(); showNameLabel(label, "herbs", name.value.trim()); } });
  showNameLabel(label, "herbs", herb.name);
  return el("tr", {},
    el("td", {}, name, label),
    el("td", {}, el("input", { value: herb.dose_g, type: "number", min: "0.1", step: "0.5", "aria-label": t("grams"),
      class: "herb-grams", oninput: scheduleSafetyCheck })),
    el("td", {}, role),
    el("td", { class: "no-print" }, el("button", { type: "button", text: "×", title: t("remove"),
      onclick: (event) => { event.target.closest("tr").remove(); scheduleSafetyCheck(); } })));
}

/* Under an editable Chinese name, in English, its label (pinyin; "" until known), asked for once when it is new. */
function showNameLabel(node, kind, name) {
  const draw = () => { node.textContent = labelled(kind, name) ? STATE.labels[kind][name] : ""; };
  draw();
  if (LANG === "en" && name && !(name in STATE.labels[kind])) {
    loadNameLabels({ [kind]: [name] }).then(draw, (error) => console.warn("labels", error));
  }
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
  document.getElementById("r-formula").oninput();
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
