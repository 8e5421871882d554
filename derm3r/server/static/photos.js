/* Photos with what was read from them: the lesion outlines drawn over the photo, a caption (view, site, quality,
   the signs seen) and every measurement in a table with its unit and confidence — for the live consultation and for
   a saved visit (visit.js). */
"use strict";
/* A measurement's label in the page's language, from the message table the CLI and reports use (MEASURE_NAMES,
   /i18n/measures.js); an unknown measurement shows its own name. */
function measureName(name) {
  return (MEASURE_NAMES[LANG] || {})[name] || MEASURE_NAMES.zh[name] || name;
}
const UNCERTAIN_NOTE = "uncertain:";

/* One measurement: its label, its value with the unit (or "not measured", e.g. PASI induration), whether it is
   uncertain (below the finding's threshold) and its confidence (null when it has none). */
function measurementParts(item) {
  const label = measureName(item.name);
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

/* The view a photo was tagged with, in the page's language. */
function viewLabel(view) {
  if (!view) return "";
  return t(view === "tongue" ? "tongueView" : view);
}

/* A photo's caption: its view and site, its quality, the signs seen on it, and any extra words. */
function findingCaption(finding, extra) {
  const parts = [viewLabel(finding.view), finding.site];
  if (finding.quality) {
    parts.push(`${t("quality")} ${finding.quality.quality_score.toFixed(2)}${finding.quality.usable ? "" : " " + t("unusable")}`);
  }
  const seen = [...finding.color, ...finding.scale, ...finding.morphology].slice(0, 6);
  if (seen.length) parts.push(seen.join("、"));
  return [...parts, ...(extra || [])].filter(Boolean).join(" · ");
}

/* Every measurement of a photo as a table: label, value with its unit (or "not measured"), confidence / uncertain. */
function measurementTable(m) {
  const items = (m && m.items) || [];
  if (!items.length) return null;
  const rows = items.map((item) => {
    const { label, value, uncertain, confidence } = measurementParts(item);
    return el("tr", { "data-measure": item.name }, el("td", { text: label }), el("td", { text: value }),
      el("td", { class: "muted", text: [confidence != null ? confidence.toFixed(2) : "", uncertain ? t("uncertain") : ""]
        .filter(Boolean).join(" ") }));
  });
  return el("table", { class: "measures" }, el("thead", {}, el("tr", {}, el("th", { text: t("measurement") }),
    el("th", { text: t("value") }), el("th", { text: t("confidence") }))), el("tbody", {}, ...rows));
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

/* The live consultation's photos (the ones just sent), each with its findings. */
function renderImages(findings) {
  const box = document.getElementById("images");
  const figures = [];
  for (const finding of findings) {
    const match = /upload-(\d+)/.exec(finding.source || "");
    const photo = match && STATE.sentPhotos[Number(match[1])];
    if (!photo) continue;
    const canvas = el("canvas", { "data-source": finding.source });
    figures.push(el("figure", {}, canvas, el("figcaption", { text: findingCaption(finding) }),
      measurementTable(finding.measurements)));
    const image = new Image();
    image.onload = () => paintPhoto(canvas, image, finding.measurements);
    image.src = photo.url;
  }
  box.replaceChildren(...figures);
}
