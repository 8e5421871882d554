/* Calls to the REST API: JSON errors are shown with the field they name; SSE read from a POST body. */
"use strict";
function authHeaders() {
  const token = sessionStorage.getItem("derm3r.token") || "";
  return token ? { Authorization: `Bearer ${token}` } : {};
}

class ApiError extends Error {
  constructor(status, body) {
    const fields = (body.errors || []).map((e) => `${e.field}: ${e.message}`).join("\n");
    super(fields || body.detail || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function api(method, path, body) {
  const init = { method, headers: { ...authHeaders() } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) { init.body = JSON.stringify(body); init.headers["Content-Type"] = "application/json"; }
  const response = await fetch(path, init);
  const data = await response.json().catch(() => ({ detail: `HTTP ${response.status}` }));
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/* POST and read server-sent events: onEvent(name, data) for each one. */
async function streamEvents(path, body, onEvent) {
  const init = { method: "POST", headers: { ...authHeaders() } };
  if (body instanceof FormData) init.body = body;
  else { init.body = JSON.stringify(body); init.headers["Content-Type"] = "application/json"; }
  const response = await fetch(path, init);
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => ({})));
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const name = (block.match(/^event: (.*)$/m) || [])[1] || "message";
      const data = block.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
      onEvent(name, JSON.parse(data));
    }
  }
}

/* A binary resource (a stored photo) as an object URL, with the token like every API call. */
async function apiObjectUrl(path) {
  const response = await fetch(path, { headers: authHeaders() });
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => ({})));
  return URL.createObjectURL(await response.blob());
}
