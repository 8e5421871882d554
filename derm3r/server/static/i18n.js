/* Chinese first, English on request; the choice is kept in localStorage. */
"use strict";
const MESSAGES = {
  zh: {
    title: "DERM-3R 中医皮肤科会诊工作站", token: "访问令牌", patient: "患者", anonymous: "不建档（单次会诊）",
    newPatient: "新建患者", name: "姓名", sex: "性别", female: "女", male: "男", birthYear: "出生年份", save: "保存",
    responseToPrevious: "上次治疗后的变化（疗效反馈）", case: "病例", age: "年龄", pregnant: "妊娠",
    chiefComplaint: "主诉", history: "病史", lesions: "皮损描述", symptoms: "症状", tongue: "舌象", pulse: "脉象",
    photos: "皮损照片", tonguePhoto: "舌象照片", consult: "开始会诊", rec: "皮损识别", rep: "皮损表征",
    reason: "辨证论治", safety: "安全核查", disease: "疾病", syndrome: "证型", confidence: "置信度",
    pathogenesis: "病机", principle: "治法", formula: "方剂", differential: "鉴别（疾病与证型）",
    prescription: "处方", editable: "（可编辑，每次修改即重新安全核查）", herb: "药名", grams: "剂量 g", role: "君臣佐使", addHerb: "加一味",
    savePlan: "保存最终处方", editor: "医师", print: "打印", exportJson: "导出 JSON", course: "病程",
    visit: "诊次", date: "日期", changes: "处方变化", referral: "需转诊，不宜处方", redFlags: "危重征象",
    abstained: "未出具处方", secondary: "兼证", noFindings: "安全核查未发现问题", checking: "核查中…",
    remove: "删除", site: "部位", view: "视图", closeup: "近景", regional: "局部", overview: "全身", tongueView: "舌",
    dermoscopy: "皮肤镜", quality: "质量", unusable: "不可用",                 notMeasured: "未测", uncertain: "不确定", savedAs: "已存为第{n}诊", saved: "最终处方已保存（第{v}版）",
    trendArea: "皮损面积 %", trendSeverity: "严重度（1 轻 · 2 中 · 3 重）", noTrend: "尚无可比较的数据",
    added: "加", removed: "去", doseChange: "剂量", roleChange: "角色", formulaChange: "更方", firstVisit: "初诊",
    edited: "医师已修改", questions: "建议补充询问", modifications: "加减", lifestyle: "调护", proseNote: "病机、加减与调护为知识库原文。",
    roleChief: "君", roleDeputy: "臣", roleAssistant: "佐", roleEnvoy: "使", followUp: "复诊",
    evidence: "依据", running: "进行中", failed: "会诊失败",
    openVisit: "查看", visitTitle: "第{n}诊", readOnly: "已保存 · 只读", backToConsult: "返回当前会诊", years: "岁",
    readSigns: "所见（据原文）", denied: "否认", diagnosis: "辨证", severity: "严重度",
    evidenceLegend: "依据：+ 支持，− 不支持", imageMeasurements: "影像测量",
    photoNotKept: "此诊照片未存档，仅绘皮损轮廓", photoPolicyDays: "照片随病历保存{n}天后自动删除，测量与皮损轮廓保留。",
    photoPolicyNone: "本服务器不保存照片，只保存其测量与皮损轮廓。", photoPolicyKept: "照片随病历保存，直至医师删除。", planFinal: "处方（医师定稿）", planProposed: "处方（系统拟定，未经修改）",
    editHistory: "修改记录", version: "第{v}版", photo: "照片", measurement: "测量", value: "数值",
    differentialDisease: "疾病鉴别", differentialSyndrome: "证型鉴别",     deletePhoto: "删除照片",
    deletePhotoConfirm: "从病历中永久删除这张照片？其测量与皮损轮廓仍保留。",
  },
  en: {
    title: "DERM-3R TCM dermatology workstation", token: "Access token", patient: "Patient", anonymous: "No record (one-off consult)",
    newPatient: "New patient", name: "Name", sex: "Sex", female: "Female", male: "Male", birthYear: "Birth year", save: "Save",
    responseToPrevious: "Change since the last treatment (response)", case: "Case", age: "Age", pregnant: "Pregnant",
    chiefComplaint: "Chief complaint", history: "History", lesions: "Lesion description", symptoms: "Symptoms",
    tongue: "Tongue", pulse: "Pulse", photos: "Lesion photos", tonguePhoto: "Tongue photo", consult: "Consult",
    rec: "lesion recognition", rep: "representation", reason: "differentiation & plan", safety: "safety check",
    disease: "Disease", syndrome: "Syndrome", confidence: "Confidence", pathogenesis: "Pathogenesis",
    principle: "Principle", formula: "Formula", differential: "Differential (disease and syndrome)",
    prescription: "Prescription", editable: "(editable; every edit is re-checked for safety)", herb: "Herb", grams: "Grams", role: "Role", addHerb: "Add herb",
    savePlan: "Save final plan", editor: "Clinician", print: "Print", exportJson: "Export JSON", course: "Course",
    visit: "Visit", date: "Date", changes: "Plan changes", referral: "Refer — do not prescribe", redFlags: "Red flags",
    abstained: "No prescription issued", secondary: "Secondary", noFindings: "The safety check found nothing",
    checking: "checking…", remove: "Remove", site: "Site", view: "View", closeup: "close-up", regional: "regional",
    overview: "overview", tongueView: "tongue", dermoscopy: "dermoscopy", quality: "quality", unusable: "unusable",
                        notMeasured: "not measured", uncertain: "uncertain",
    savedAs: "Saved as visit {n}", saved: "Final plan saved (version {v})", trendArea: "Lesion area %",
    trendSeverity: "Severity (1 mild · 2 moderate · 3 severe)", noTrend: "Nothing to compare yet", added: "add",
    removed: "remove", doseChange: "dose", roleChange: "role", formulaChange: "new formula", firstVisit: "first visit",
    edited: "edited by clinician", questions: "Ask next", modifications: "Modifications", lifestyle: "Care",
    proseNote: "Pathogenesis, modifications and care are the knowledge base's Chinese text: it has no reviewed English translation. Names are given in pinyin or their Western equivalent, with the Chinese.",
    roleChief: "君 chief", roleDeputy: "臣 deputy", roleAssistant: "佐 assistant", roleEnvoy: "使 envoy",
    followUp: "Follow-up", evidence: "evidence", running: "running", failed: "Consultation failed",
    openVisit: "Open", visitTitle: "Visit {n}", readOnly: "saved · read-only", backToConsult: "Back to the current consultation",
    years: " y", readSigns: "Signs read (with the words)", denied: "Denied", diagnosis: "Diagnosis", severity: "Severity",
    evidenceLegend: "Evidence: + supports, − against", imageMeasurements: "Image measurements",
    photoNotKept: "photo not on record; lesion outlines only",
    photoPolicyDays: "Photos are kept with the record for {n} days, then deleted; their measurements and outlines stay.",
    photoPolicyNone: "This server keeps no photos, only their measurements and outlines.",
    photoPolicyKept: "Photos are kept with the record until a clinician deletes them.", planFinal: "Plan (the clinician's final)",
    planProposed: "Plan (the system's proposal, not edited)", editHistory: "Edit history", version: "version {v}",
    photo: "photo", measurement: "Measurement", value: "Value", differentialDisease: "Disease differential",
    differentialSyndrome: "Syndrome differential",     deletePhoto: "Delete photo",
    deletePhotoConfirm: "Delete this photo from the record for good? Its measurements and lesion outlines stay.",
  },
};
let LANG = localStorage.getItem("derm3r.lang") || "zh";

function t(key, values) {
  let text = (MESSAGES[LANG] && MESSAGES[LANG][key]) || MESSAGES.zh[key] || key;
  for (const [name, value] of Object.entries(values || {})) text = text.replace(`{${name}}`, value);
  return text;
}

function applyLanguage() {
  document.documentElement.lang = LANG === "zh" ? "zh-CN" : "en";
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  document.title = t("title");
  document.getElementById("lang-switch").textContent = LANG === "zh" ? "English" : "中文";
}

function toggleLanguage() {
  LANG = LANG === "zh" ? "en" : "zh";
  localStorage.setItem("derm3r.lang", LANG);
  applyLanguage();
  document.dispatchEvent(new Event("languagechange"));
}
