/* A saved visit, reopened read-only (GET /api/visits/{id}): the case as given, what was read from it, the diagnosis
   with its evidence, the image measurements, the plan in force with the clinician's edits, and the safety check.
   The live consultation stays on the page underneath, hidden, so nothing being edited there is lost. */
"use strict";
const CASE_FIELDS = [["chief_complaint", "chiefComplaint"], ["history", "history"], ["lesion_description", "lesions"],
  ["symptoms", "symptoms"], ["tongue", "tongue"], ["pulse", "pulse"]];

function factList(pairs) {
  return el("dl", { class: "facts" }, ...pairs.filter(([, value]) => value).flatMap(([key, value]) =>
    [el("dt", { text: t(key) }), el("dd", {}, value)]));
}

function patientLine(person) {
  const sex = { F: t("female"), M: t("male") }[person.sex] || "";
  return [sex, person.age != null ? `${person.age}${t("years")}` : "", person.pregnant ? t("pregnant") : ""]
    .filter(Boolean).join(" · ");
}

function caseSection(visit) {
  const data = visit.case;
  const pairs = [["patient", patientLine(data.patient || {})], ...CASE_FIELDS.map(([field, key]) => [key, data[field]]),
    ["responseToPrevious", visit.response_to_previous]];
  return [el("h3", { text: t("case") }), factList(pairs)];
}

/* Where a sign was read: the case field's label, or the photo's view. */
function sourceLabel(source) {
  const field = CASE_FIELDS.find(([name]) => name === source);
  return field ? t(field[1]) : source.startsWith("image:") ? t("photo") : source;
}

/* The signs grouped by the words they were read from (and where): "“…” (history) → 丘疹、红斑"; denied signs apart. */
function signsSection(representation) {
  const groups = new Map();
  for (const sign of representation.signs || []) {
    const key = `${sign.source}\u0000${sign.evidence || ""}`;
    if (!groups.has(key)) groups.set(key, { source: sign.source, words: sign.evidence, signs: [] });
    if (!groups.get(key).signs.some((seen) => seen.term === sign.term)) groups.get(key).signs.push(sign);
  }
  // A sign the same words gave with a more specific one (苔黄 with 苔薄黄) reads once, as on the live page.
  const line = (group) => el("li", {}, group.words ? `“${group.words}”` : "",
    el("span", { class: "muted", text: ` ${sourceLabel(group.source)} → ` }),
    el("b", { text: [...new Set(onceEach(group.signs))].join("、") }));
  const parts = [el("h3", { text: t("readSigns") })];
  if (representation.summary) parts.push(el("p", { text: representation.summary }));
  parts.push(el("ul", { class: "signs", "data-testid": "visit-signs" }, ...[...groups.values()].map(line)));
  if ((representation.negated || []).length) {
    parts.push(el("p", { class: "muted", text: `${t("denied")}：${representation.negated.map((s) => s.label).join("、")}` }));
  }
  return parts;
}

function evidenceLine(item, kind) {
  const evidence = item.evidence || [];
  const marks = [...withoutImplied(evidence.filter((e) => e.supports)), ...withoutImplied(evidence.filter((e) => !e.supports))]
    .map((e) => el("span", { class: e.supports ? "ev-for" : "ev-against",
    text: `${e.supports ? "+" : "−"}${e.label}` }));
  return el("li", {}, el("b", { text: `${named(kind, item.name)} ${pct(item.confidence)}` }), marks.length ? " — " : "",
    ...marks.flatMap((mark, i) => (i ? ["、", mark] : [mark])));
}

function diagnosisSection(visit) {
  const { assessment, representation } = visit.consultation;
  const syndrome = assessment.syndrome;
  const parts = [el("h3", { text: t("diagnosis") }), factList([["disease", diseaseLabel(assessment)],
    ["syndrome", syndrome ? `${named("terms", syndrome.name)} ${pct(syndrome.confidence)}` : ""],
    ["secondary", assessment.secondary_syndrome && named("terms", assessment.secondary_syndrome.name)],
    ["pathogenesis", assessment.pathogenesis || representation.pathogenesis],
    ["principle", named("terms", assessment.treatment_principle)], ["severity", representation.severity]])];
  const lists = [["differentialDisease", assessment.disease_differential || [], "diseases"],
    ["differentialSyndrome", assessment.differential || [], "terms"]]
    .filter(([, calls]) => calls.length);
  if (lists.length) parts.push(el("p", { class: "muted legend", text: t("evidenceLegend") }));
  for (const [key, calls, kind] of lists) {
    parts.push(el("h4", { text: t(key) }),
      el("ul", { class: "evidence", "data-testid": "visit-evidence" }, ...calls.map((call) => evidenceLine(call, kind))));
  }
  return parts;
}

/* The stored photo a finding was read from (its source is image:<name>), as an object URL fetched once. */
function photoName(finding) {
  return (finding.source || "").replace(/^image:/, "");
}

function storedPhoto(visit, finding) {
  const name = photoName(finding);
  if (!visit.photos.some((photo) => photo.name === name)) return null;
  const key = `${visit.id}/${name}`;
  STATE.photoUrls[key] = STATE.photoUrls[key] || apiObjectUrl(`/api/visits/${visit.id}/photos/${encodeURIComponent(name)}`);
  return STATE.photoUrls[key];
}

/* The lesion outlines on a blank frame of the photo's shape, for a visit saved before photos were kept. */
function paintBlank(canvas, m) {
  const [width, height] = m.image_size;
  canvas.width = 300; canvas.height = Math.max(1, Math.round((300 * height) / width));
  const g = canvas.getContext("2d");
  g.fillStyle = "#eaecf0"; g.fillRect(0, 0, canvas.width, canvas.height);
  drawOutlines(g, m, canvas.width / width, canvas.height / height);
}

/* One photo: the photo with its lesion outlines, its caption, then its measurements (photos.js). */
function measurementFigure(visit, finding) {
  const m = finding.measurements;
  const figure = el("figure", { "data-source": finding.source });
  const photo = storedPhoto(visit, finding);
  const outlined = m && m.outlines && m.outlines.length;
  const canvas = el("canvas", { "data-state": photo ? "loading" : "blank" });
  if (photo) {
    photo.then((url) => {
      const image = new Image();
      image.onload = () => { paintPhoto(canvas, image, m); canvas.dataset.state = "drawn"; };
      image.src = url;
    }).catch(() => { canvas.dataset.state = "failed"; if (outlined) paintBlank(canvas, m); });
  } else if (outlined) paintBlank(canvas, m);
  if (photo || outlined) figure.append(canvas);
  figure.append(el("figcaption", { text: findingCaption(finding, [!photo && outlined ? t("photoNotKept") : ""]) }));
  if (photo) {
    figure.append(el("button", { type: "button", class: "no-print", "data-testid": "delete-photo", text: t("deletePhoto"),
      onclick: () => deletePhoto(visit, finding) }));
  }
  const table = measurementTable(m);
  if (table) figure.append(table);
  return figure;
}

/* Deletes a kept photo for good once the clinician confirms (the patient withdrew consent, say); its findings stay
   in the record, so the view draws again with its outlines on a blank frame. */
async function deletePhoto(visit, finding) {
  if (!window.confirm(t("deletePhotoConfirm"))) return;
  const name = photoName(finding);
  try {
    await api("DELETE", `/api/visits/${visit.id}/photos/${encodeURIComponent(name)}`);
  } catch (error) { showError(error); return; }
  const key = `${visit.id}/${name}`;
  const url = STATE.photoUrls[key];
  delete STATE.photoUrls[key];
  if (url) url.then((u) => URL.revokeObjectURL(u), () => {});
  await openVisit(visit.id);
}

function herbTable(herbs, proposal) {
  const proposed = new Map(proposal.map((herb) => [herb.name, herb]));
  const kept = new Set(herbs.map((herb) => herb.name));
  const rows = herbs.map((herb) => {
    const before = proposed.get(herb.name);
    const note = !before ? t("added") : before.dose_g !== herb.dose_g ? `${before.dose_g} → ${herb.dose_g}` : "";
    return el("tr", { class: note ? "edited" : "" }, el("td", { text: named("herbs", herb.name) }), el("td", { text: String(herb.dose_g) }),
      el("td", { text: herb.role || "—" }), el("td", { class: "muted", text: note }));
  });
  for (const herb of proposal) {
    if (!kept.has(herb.name)) {
      rows.push(el("tr", { class: "removed" }, el("td", { text: named("herbs", herb.name) }), el("td", { text: String(herb.dose_g) }),
        el("td", { text: herb.role || "—" }), el("td", { class: "muted", text: t("removed") })));
    }
  }
  return el("table", { class: "rx", "data-testid": "visit-plan" }, el("thead", {}, el("tr", {},
    ...["herb", "grams", "role", "changes"].map((key) => el("th", { text: t(key) })))), el("tbody", {}, ...rows));
}

function planSection(visit) {
  const proposal = visit.consultation.plan;
  const plan = visit.final_plan || proposal;
  const parts = [el("h3", { text: t(visit.final_plan ? "planFinal" : "planProposed") }),
    factList([["formula", named("terms", (plan.formula && plan.formula.name) || "")]])];
  if (plan.herbs.length || proposal.herbs.length) parts.push(herbTable(plan.herbs, visit.final_plan ? proposal.herbs : plan.herbs));
  if (visit.edits.length) {
    parts.push(el("h3", { text: t("editHistory") }), el("ul", { "data-testid": "visit-edits" }, ...visit.edits.map((edit) =>
      el("li", {}, el("b", { text: `${t("version", { v: edit.version })} · ${edit.editor} · ${new Date(edit.at).toLocaleString(LANG === "zh" ? "zh-CN" : "en")}` }),
        " ", ...edit.changes.map(describeChange)))));
  }
  const safety = visit.final_safety ? visit.final_safety.safety : visit.consultation.safety;
  parts.push(el("h3", { text: t("safety") }), el("div", { class: "safety" }, ...(safety.warnings.length
    ? safety.warnings.map((f) => el("div", { class: `finding ${f.severity}` }, el("b", { text: f.message }), f.action ? ` — ${f.action}` : ""))
    : [el("div", { class: "ok", text: `✓ ${t("noFindings")}` })])));
  return parts;
}

function renderVisit(visit) {
  const { safety } = visit.consultation;
  const box = document.getElementById("visit-view");
  const banner = safety.red_flags.length || safety.referral
    ? el("div", { class: "referral" }, el("div", { text: `⚠ ${t("referral")}：${safety.referral || safety.reason}` }),
      el("ul", {}, ...safety.red_flags.map((flag) => el("li", { text: flag }))))
    : safety.abstained ? el("div", { class: "abstain" }, el("b", { text: `${t("abstained")}：` }), safety.reason || "") : null;
  const figures = visit.consultation.findings.filter((f) => f.measurements || (f.source || "").startsWith("image:"))
    .map((finding) => measurementFigure(visit, finding));
  box.replaceChildren(
    el("div", { class: "visit-head" }, el("h2", { text: `${t("visitTitle", { n: visit.number })}${visit.date ? " · " + visit.date : ""}` }),
      el("span", { class: "badge", text: t("readOnly") }),
      el("button", { type: "button", class: "no-print", "data-testid": "close-visit", text: t("backToConsult"), onclick: closeVisit })),
    ...(banner ? [banner] : []), ...caseSection(visit), ...signsSection(visit.consultation.representation),
    ...diagnosisSection(visit), ...(figures.length ? [el("h3", { text: t("imageMeasurements") }),
      el("div", { class: "image-findings" }, ...figures)] : []), ...planSection(visit));
  loadLabels(visit.consultation, (visit.final_plan || {}).herbs).then((fresh) => {
    if (fresh && STATE.openVisit === visit && LANG === "en") renderVisit(visit);
  }, (error) => console.warn("labels", error));  // the names stay as written
}

async function openVisit(visitId) {
  const visit = await api("GET", `/api/visits/${visitId}`);
  STATE.openVisit = visit;
  renderVisit(visit);
  for (const id of ["progress", "result", "error"]) document.getElementById(id).hidden = true;
  document.getElementById("visit-view").hidden = false;
  document.querySelectorAll("#course-body tr").forEach((row) => row.classList.toggle("open", row.dataset.visitId === String(visitId)));
  history.replaceState(null, "", `#visit=${visitId}`);
  document.getElementById("visit-view").scrollIntoView({ block: "start" });
}

function closeVisit() {
  STATE.openVisit = null;
  document.getElementById("visit-view").hidden = true;
  document.getElementById("progress").hidden = false;
  document.getElementById("result").hidden = !STATE.consultation;
  document.querySelectorAll("#course-body tr.open").forEach((row) => row.classList.remove("open"));
  history.replaceState(null, "", location.pathname);
}

/* A link to a saved visit (…/#visit=12) opens it with its patient's course. */
async function openLinkedVisit() {
  const match = /^#visit=(\d+)$/.exec(location.hash);
  if (!match) return;
  const visit = await api("GET", `/api/visits/${match[1]}`);
  await loadPatients(visit.patient_id);
  await openVisit(visit.id);
}
