/* The page's wiring: patients, the case form with photos, the streamed consultation, saving and exporting. */
"use strict";
const STATE = { consultation: null, visit: null, photos: [], tongue: null, sentPhotos: [], checkCase: null,
  implies: null, implying: null, findings: [], openVisit: null, photoUrls: {}, course: null,
  labels: { diseases: {}, terms: {}, herbs: {} } };
const VIEWS = ["closeup", "regional", "overview", "dermoscopy"];

function showError(error) {
  const box = document.getElementById("error");
  box.hidden = !error;
  box.textContent = error ? `${t("failed")}：${error.message || error}` : "";
}

async function loadPatients(selected) {
  const select = document.getElementById("patient-select");
  const patients = await api("GET", "/api/patients");
  select.replaceChildren(el("option", { value: "", text: t("anonymous"), "data-i18n": "anonymous" }),
    ...patients.map((p) => el("option", { value: p.id, text: `${p.name}${p.birth_year ? " · " + p.birth_year : ""} (${p.visit_count})` })));
  if (selected) select.value = String(selected);
  await patientChanged();
}

async function patientChanged() {
  const id = document.getElementById("patient-select").value;
  if (STATE.openVisit && String(STATE.openVisit.patient_id) !== id) closeVisit();  // another patient's visit
  const course = await loadCourse(id);
  document.getElementById("response-box").hidden = !(course && course.visits.length);
  if (course) {
    const form = document.getElementById("case-form");
    if (course.patient.sex && !form.sex.value) form.sex.value = course.patient.sex;
  }
}

function photoCard(photo, list, tongue) {
  const view = el("select", { "aria-label": t("view"), onchange: (e) => { photo.view = e.target.value; } },
    ...(tongue ? ["tongue"] : VIEWS).map((v) => el("option", { value: v, text: t(v === "tongue" ? "tongueView" : v) })));
  view.value = photo.view;
  const site = el("input", { placeholder: t("site"), value: photo.site, "aria-label": t("site"),
    oninput: (e) => { photo.site = e.target.value; } });
  const remove = el("button", { type: "button", text: t("remove"), onclick: () => {
    if (tongue) STATE.tongue = null; else STATE.photos.splice(STATE.photos.indexOf(photo), 1);
    releasePhotoUrls([photo]);
    renderPhotos();
  } });
  return el("div", { class: "photo" }, el("img", { src: photo.url, alt: photo.file.name }), view, tongue ? null : site, remove);
}

function renderPhotos() {
  document.getElementById("photo-list").replaceChildren(...STATE.photos.map((p) => photoCard(p, STATE.photos, false)));
  document.getElementById("tongue-list").replaceChildren(...(STATE.tongue ? [photoCard(STATE.tongue, null, true)] : []));
}

/* An object URL pins its file in memory until revoked: release it once neither the pending photos, the tongue photo
   nor the photos the shown result was drawn on hold it (a removed photo may still outline the last result). */
function releasePhotoUrls(candidates) {
  const held = new Set([...STATE.photos, ...STATE.sentPhotos, ...(STATE.tongue ? [STATE.tongue] : [])]);
  for (const photo of candidates) if (photo && !held.has(photo)) URL.revokeObjectURL(photo.url);
}

function addPhotos(files, tongue) {
  const replaced = [];
  for (const file of files) {
    const photo = { file, url: URL.createObjectURL(file), view: tongue ? "tongue" : "closeup", site: "" };
    if (tongue) { replaced.push(STATE.tongue); STATE.tongue = photo; } else STATE.photos.push(photo);
  }
  releasePhotoUrls(replaced);
  renderPhotos();
}

function readCase() {
  const form = document.getElementById("case-form");
  const patient = {};
  if (form.sex.value) patient.sex = form.sex.value;
  if (form.age.value !== "") patient.age = Number(form.age.value);
  if (form.pregnant.checked) patient.pregnant = true;
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const data = { case_id: `web-${stamp}`, patient };
  for (const key of ["chief_complaint", "history", "lesion_description", "symptoms", "tongue", "pulse"]) {
    if (form[key].value.trim()) data[key] = form[key].value.trim();
  }
  return data;
}

function buildRequest(data, patientId) {
  const photos = [...STATE.photos, ...(STATE.tongue ? [STATE.tongue] : [])];
  const previous = STATE.sentPhotos;
  STATE.sentPhotos = photos;
  releasePhotoUrls(previous);
  if (!photos.length && !patientId) return data;
  const images = photos.map((p, i) => ({ path: `photo-${i}${(p.file.name.match(/\.\w+$/) || [".jpg"])[0]}`, view: p.view,
    ...(p.site ? { site: p.site } : {}) }));
  if (!photos.length) return { case: data, response_to_previous: document.getElementById("response").value };
  const form = new FormData();
  form.append("case", JSON.stringify({ ...data, images }));
  photos.forEach((p, i) => form.append("images", p.file, images[i].path));
  if (patientId) form.append("response_to_previous", document.getElementById("response").value);
  return form;
}

function setProgress(node, state, ms) {
  const item = document.querySelector(`#progress li[data-node="${node}"]`);
  if (!item) return;
  item.className = state;
  item.querySelector("i").textContent = ms != null ? `${Math.round(ms)} ms` : state === "running" ? "…" : "";
}

/* The lexicon's implications (GET /api/kb/implications), read in the background: a differential drawn before they
   arrive is drawn again, folded, when they do, and a failed read is tried again at the next consultation. Only the
   differential is redrawn, so a prescription being edited is kept. */
function loadImplications() {
  if (STATE.implies || STATE.implying) return;
  STATE.implying = api("GET", "/api/kb/implications").then((implies) => {
    STATE.implies = implies;
    if (STATE.consultation) renderDifferential(STATE.consultation.assessment);
    if (STATE.openVisit) renderVisit(STATE.openVisit);
  }).catch(() => null).finally(() => { STATE.implying = null; });
}

async function consult(event) {
  event.preventDefault();
  if (STATE.openVisit) closeVisit();
  showError(null);
  const button = document.getElementById("consult-button");
  button.disabled = true;
  document.querySelectorAll("#progress li").forEach((li) => { li.className = ""; li.querySelector("i").textContent = ""; });
  setProgress("recognize_lesions", "running");
  const order = ["recognize_lesions", "represent_lesions", "reason_holistically", "check_safety"];
  const patientId = document.getElementById("patient-select").value;
  const data = readCase();
  STATE.visit = null;
  loadImplications();
  try {
    const path = patientId ? `/api/patients/${patientId}/visits/stream` : "/api/consult/stream";
    await streamEvents(path, buildRequest(data, patientId), (name, payload) => {
      if (name === "agent") {
        setProgress(payload.node, "done", payload.ms);
        const next = order[order.indexOf(payload.node) + 1];
        if (next) setProgress(next, "running");
      } else if (name === "consultation") {
        order.forEach((node) => { if (!document.querySelector(`#progress li[data-node="${node}"]`).className) setProgress(node, "done"); });
        STATE.consultation = payload;
        STATE.checkCase = { ...data };
        renderConsultation(payload);
      } else if (name === "visit") {
        STATE.visit = payload;
        STATE.checkCase = { ...payload.case, images: [] };
      } else if (name === "error") {
        throw new Error(payload.detail);
      }
    });
    document.getElementById("save-plan").hidden = !STATE.visit;
    document.getElementById("editor-box").hidden = !STATE.visit;
    if (patientId) await loadPatients(patientId);
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
  }
}

async function savePlan() {
  if (!STATE.visit) return;
  try {
    const visit = await api("PUT", `/api/visits/${STATE.visit.id}/plan`, {
      editor: document.getElementById("editor").value.trim() || "—",
      formula: document.getElementById("r-formula").value.trim() || null,
      herbs: currentHerbs(), base_version: STATE.visit.version });
    STATE.visit = visit;
    showError(null);
    document.getElementById("save-plan").textContent = t("saved", { v: visit.version });
    await loadCourse(document.getElementById("patient-select").value);
  } catch (error) { showError(error); }
}

function exportJson() {
  const data = { consultation: STATE.consultation, final_plan: { formula: document.getElementById("r-formula").value, herbs: currentHerbs() },
    visit: STATE.visit };
  const link = el("a", { href: URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" })),
    download: `${(STATE.consultation && STATE.consultation.case_id) || "consultation"}.json` });
  document.body.append(link); link.click(); link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);  // the download has its own copy once click() returns
}

async function createPatient(event) {
  event.preventDefault();
  const form = event.target;
  try {
    const patient = await api("POST", "/api/patients", { name: form.name.value, sex: form.sex.value || null,
      birth_year: form.birth_year.value ? Number(form.birth_year.value) : null });
    form.hidden = true; form.reset();
    await loadPatients(patient.id);
  } catch (error) { showError(error); }
}

async function start() {
  applyLanguage();
  document.getElementById("lang-switch").addEventListener("click", toggleLanguage);
  document.addEventListener("languagechange", () => {
    renderPhotos();
    if (STATE.consultation) relabelConsultation();
    if (STATE.course) renderCourse(STATE.course);
    if (STATE.openVisit) renderVisit(STATE.openVisit);
    if (STATE.visit && STATE.visit.version > 1) document.getElementById("save-plan").textContent = t("saved", { v: STATE.visit.version });
  });
  const token = document.getElementById("token");
  token.value = sessionStorage.getItem("derm3r.token") || "";
  token.addEventListener("change", () => {
    sessionStorage.setItem("derm3r.token", token.value); loadImplications(); loadPatients().catch(showError);
  });
  document.getElementById("case-form").addEventListener("submit", consult);
  document.getElementById("photo-input").addEventListener("change", (e) => { addPhotos(e.target.files, false); e.target.value = ""; });
  document.getElementById("tongue-input").addEventListener("change", (e) => { addPhotos(e.target.files, true); e.target.value = ""; });
  document.getElementById("patient-select").addEventListener("change", () => patientChanged().catch(showError));
  document.getElementById("new-patient-toggle").addEventListener("click", () => { const f = document.getElementById("patient-form"); f.hidden = !f.hidden; });
  document.getElementById("patient-form").addEventListener("submit", createPatient);
  document.getElementById("add-herb").addEventListener("click", () => { document.querySelector("#rx tbody").append(herbRow({ name: "", dose_g: 10 })); });
  document.getElementById("save-plan").addEventListener("click", savePlan);
  document.getElementById("print").addEventListener("click", () => window.print());
  document.getElementById("export").addEventListener("click", exportJson);
  const health = await fetch("/healthz").then((r) => r.json());
  document.getElementById("engine-info").textContent = `v${health.version} · ${health.engine} · ${health.database}`;
  document.getElementById("token-box").hidden = !health.auth;
  showPhotoPolicy(health);
  if (!health.auth || token.value) {
    loadImplications();
    await loadPatients().catch(showError);
    await openLinkedVisit().catch(showError);
  }
}

/* The consent a clinic asks for depends on what the record keeps, so the form says it beside the photo inputs. */
function showPhotoPolicy(health) {
  const policy = document.getElementById("photo-policy");
  const key = !health.photos_kept ? "photoPolicyNone" : health.photo_retention_days ? "photoPolicyDays" : "photoPolicyKept";
  const draw = () => { policy.textContent = t(key, { n: health.photo_retention_days }); };
  draw();
  document.addEventListener("languagechange", draw);
}

start().catch(showError);
