// The office's console: a Telegram Mini App and the same page in a desktop browser, over the
// console's JSON API (src/console/contract.ts names every route and shape used here).
// Plain script, no build step, nothing from another origin (telegram-web-app.js included: the
// launch data is read from the address, as Telegram puts it there).
// Whatever the server sends is shown as text (textContent, attributes), never parsed as HTML.

// ── launch data and the API ─────────────────────────────────────────────────────────

const launch = readLaunch();

/** Telegram's launch data from location.hash, kept for the tab's life (a reload inside Telegram keeps it). */
function readLaunch() {
  // A link of our own (#case=12) that Telegram opens gets its launch data added after it, with & or a second #.
  const params = new URLSearchParams(location.hash.slice(1).replace(/#/g, "&"));
  const store = (key, value) => {
    try {
      if (value) sessionStorage.setItem(key, value);
      return value || sessionStorage.getItem(key);
    } catch {
      return value;
    }
  };
  const initData = store("hazardline-tma", params.get("tgWebAppData"));
  let theme = null;
  try {
    theme = JSON.parse(store("hazardline-theme", params.get("tgWebAppThemeParams")) || "null");
  } catch {
    theme = null;
  }
  // The case to open: #case=<id>, or a Mini App link's start parameter case-<id>.
  const start = params.get("tgWebAppStartParam") || new URLSearchParams(initData || "").get("start_param") || "";
  const caseId = params.get("case") || /^case-(\d+)$/.exec(start)?.[1] || null;
  if (params.has("tgWebAppData") || params.has("tgWebAppVersion")) {
    // The address keeps only what the page itself navigates by.
    history.replaceState(null, "", `${location.pathname}${location.search}${caseId ? `#case=${caseId}` : ""}`);
  }
  let language = null;
  try {
    language = JSON.parse(new URLSearchParams(initData || "").get("user") || "null")?.language_code || null;
  } catch {
    language = null;
  }
  return { initData, theme, caseId, language };
}

/** Refused at the door: 401 (no or stale credentials) or 403 (not staff). */
class Gate extends Error {
  constructor(status) {
    super(`HTTP ${status}`);
    this.status = status;
  }
}

/** GET (or POST with a body) /console/api/<path>. A refusal of an action ({ ok: false }) is returned, not thrown. */
/** An action's request with its photos, as the API takes them: the request as JSON in one field, each photo in another. */
function withPhotos(request, photos) {
  const form = new FormData();
  form.append("request", JSON.stringify(request));
  for (const photo of photos) form.append("photos", photo, photo.name);
  return form;
}

async function api(path, body) {
  const headers = {};
  if (launch.initData) headers.Authorization = `tma ${launch.initData}`;
  const isForm = body instanceof FormData;
  if (body !== undefined && !isForm) headers["Content-Type"] = "application/json";
  const response = await fetch(`/console/api/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers,
    credentials: "same-origin",
    body: body === undefined || isForm ? body : JSON.stringify(body),
  });
  // 401 anywhere: no (or no longer) valid credentials. 403 on /me: not staff; elsewhere: not this person's case or page.
  if (response.status === 401 || (response.status === 403 && path === "me")) throw new Gate(response.status);
  if (response.status === 403) throw new Error(t("console-forbidden"));
  const answer = await response.json().catch(() => ({}));
  if (!response.ok && !(answer && answer.ok === false && answer.message)) {
    throw new Error((answer && (answer.message || answer.error)) || `HTTP ${response.status}`);
  }
  return answer;
}

const query = (params) => {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "" || value === false) continue;
    q.set(key, value === true ? "1" : String(value));
  }
  const text = q.toString();
  return text ? `?${text}` : "";
};

/** Tells the Telegram client the page is ready and may be expanded (its postEvent, without its script). */
function telegramEvent(type, data = {}) {
  try {
    if (window.TelegramWebviewProxy) window.TelegramWebviewProxy.postEvent(type, JSON.stringify(data));
    else if (window.external && "notify" in window.external) window.external.notify(JSON.stringify({ eventType: type, eventData: data }));
    else if (window.parent !== window) window.parent.postMessage(JSON.stringify({ eventType: type, eventData: data }), "https://web.telegram.org");
  } catch {
    // Not inside Telegram.
  }
}

/** Telegram's theme, when launched from it: its colours as the page's own variables. */
function applyTheme(theme) {
  if (!theme || typeof theme !== "object") return;
  const vars = {
    bg_color: "--bg",
    secondary_bg_color: "--bg2",
    text_color: "--fg",
    hint_color: "--hint",
    link_color: "--link",
    button_color: "--accent",
    button_text_color: "--accent-fg",
    section_bg_color: "--card",
  };
  const root = document.documentElement;
  for (const [key, name] of Object.entries(vars)) {
    if (typeof theme[key] === "string" && /^#[0-9a-f]{3,8}$/i.test(theme[key])) root.style.setProperty(name, theme[key]);
  }
  if (typeof theme.bg_color === "string") root.classList.toggle("dark", luminance(theme.bg_color) < 0.4);
}

/**
 * Calls `handlers[type](data)` for the events the Telegram client sends the page, such as
 * `theme_changed` (which Telegram's own script turns into WebApp's `themeChanged`). The page
 * carries no Telegram script, so it receives them where the clients deliver them:
 * Telegram.WebView.receiveEvent (and its older names) in the apps, a message from the parent
 * frame on Telegram Web.
 */
function onTelegramEvents(handlers) {
  const receive = (type, data) => {
    if (Object.hasOwn(handlers, type)) handlers[type](data || {});
  };
  window.Telegram = { ...window.Telegram, WebView: { ...window.Telegram?.WebView, receiveEvent: receive } };
  window.TelegramGameProxy = { receiveEvent: receive };
  window.TelegramGameProxy_receiveEvent = receive;
  window.addEventListener("message", (event) => {
    if (window.parent === window || event.source !== window.parent || typeof event.data !== "string") return;
    try {
      const { eventType, eventData } = JSON.parse(event.data);
      if (typeof eventType === "string") receive(eventType, eventData);
    } catch {
      // Not Telegram's.
    }
  });
}

function luminance(hex) {
  const h = hex.replace("#", "");
  const full = h.length === 3 ? [...h].map((c) => c + c).join("") : h.slice(0, 6);
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

// ── small DOM helpers ───────────────────────────────────────────────────────────────

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

let toastTimer;
function toast(text, bad) {
  const box = $("toast");
  box.textContent = text;
  box.classList.toggle("bad", Boolean(bad));
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    box.hidden = true;
  }, 4000);
}

// ── words ───────────────────────────────────────────────────────────────────────────

const view = {
  lang: "zh-CN",
  strings: {},
  me: null,
  dir: { sectors: [], regions: [], units: [] },
  tab: "all",
  filters: {},
  page: 1,
  list: null,
  markers: [],
  detail: null,
  period: "week",
  dashRegion: "",
};

const t = (key, args) => {
  let text = view.strings[key] ?? key;
  for (const [name, value] of Object.entries(args || {})) text = text.replace(new RegExp(`\\{\\s*\\$${name}\\s*\\}`, "g"), String(value));
  return text;
};
/** A key's text, or `fallback` when the locale has no such key. */
const tOr = (key, fallback) => (view.strings[key] === undefined ? fallback : t(key));

async function loadStrings(lang) {
  view.lang = lang === "en" ? "en" : "zh-CN";
  const response = await fetch(`/console/strings?lang=${encodeURIComponent(view.lang)}`);
  view.strings = response.ok ? await response.json() : {};
  document.documentElement.lang = view.lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const node of document.querySelectorAll("[data-i18n-label]")) node.setAttribute("aria-label", t(node.dataset.i18nLabel));
  document.title = t("console-title");
}

const statusName = (s) => t(`status-${s}`);
const kindName = (k) => t(`kind-${k}`);
const severityName = (s) => t(`severity-${s}`);
const named = (list) => new Map(list.map((x) => [x.id, x.name]));
let names = { sector: new Map(), region: new Map(), unit: new Map() };

/** A time as the office reads it: in its zone (from /me), not the browser's, which may be a traveller's or a server's. */
function when(ms) {
  if (typeof ms !== "number") return "";
  const format = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" };
  return new Intl.DateTimeFormat(view.lang, { ...format, timeZone: view.me?.officeTz || undefined }).format(ms);
}

// ── tabs, filters, the list ─────────────────────────────────────────────────────────

const STATUSES = ["new", "assigned", "in_progress", "resolved", "answered", "closed", "rejected"];
const KINDS = ["hazard", "violation", "consultation", "task"];
const SEVERITIES = ["ordinary", "urgent", "major"];
const OFFICE_WIDE = ["dispatcher", "leader", "admin"];

const has = (...roles) => view.me.roles.some((r) => roles.includes(r));

function tabsFor() {
  const tabs = [];
  if (has("dispatcher", "admin")) tabs.push("queue");
  if (has("liaison")) tabs.push("mine");
  tabs.push("supervised", "overdue", "open", "all");
  if (has("leader", "admin", "dispatcher")) tabs.push("dashboard");
  if (mayRecord()) tabs.push("new");
  return tabs;
}

function renderTabs() {
  const nav = $("tabs");
  nav.replaceChildren(
    ...tabsFor().map((tab) =>
      el("button", {
        type: "button",
        role: "tab",
        "data-tab": tab,
        "aria-selected": String(currentTab() === tab),
        text: t(`console-tab-${tab}`),
        onclick: () => {
          if (tab === "dashboard") return go("#dash");
          if (tab === "new") return go("#new");
          view.tab = tab;
          view.page = 1;
          go("");
        },
      }),
    ),
  );
  nav.hidden = false;
}

const currentTab = () =>
  location.hash === "#dash" ? "dashboard" : location.hash === "#new" ? "new" : location.hash.startsWith("#case=") ? null : view.tab;

function listParams(extra) {
  return { view: view.tab, ...view.filters, sort: view.filters.sort, ...extra };
}

/** A select's options: "all" and each value, with how many cases it would leave. */
function fillSelect(select, label, values, counts, current) {
  const options = [el("option", { value: "", text: `${label}: ${t("console-filter-any")}` })];
  for (const [value, name] of values) {
    const n = counts ? counts[value] : undefined;
    options.push(el("option", { value, text: n === undefined ? name : `${name} (${n})` }));
  }
  select.replaceChildren(...options);
  select.value = current ?? "";
  if (select.value !== (current ?? "")) select.value = "";
}

function renderFilters(counts) {
  const c = counts || {};
  const f = view.filters;
  fillSelect(
    $("f-status"),
    t("console-filter-status"),
    STATUSES.map((s) => [s, statusName(s)]),
    c.status,
    f.status,
  );
  fillSelect(
    $("f-kind"),
    t("console-filter-kind"),
    KINDS.map((k) => [k, kindName(k)]),
    c.kind,
    f.kind,
  );
  fillSelect(
    $("f-sector"),
    t("console-filter-sector"),
    view.dir.sectors.map((s) => [s.id, s.name]),
    c.sector,
    f.sector,
  );
  fillSelect(
    $("f-region"),
    t("console-filter-region"),
    view.dir.regions.filter((r) => r.level !== "county").map((r) => [r.id, r.level === "village" ? `· ${r.name}` : r.name]),
    c.region,
    f.region,
  );
  fillSelect(
    $("f-unit"),
    t("console-filter-unit"),
    view.dir.units.map((u) => [u.id, u.name]),
    c.unit,
    f.unit,
  );
  $("f-overdue-label").textContent = typeof c.overdue === "number" ? `${t("console-filter-overdue")} (${c.overdue})` : t("console-filter-overdue");
  $("f-supervised-label").textContent =
    typeof c.supervised === "number" ? `${t("console-filter-supervised")} (${c.supervised})` : t("console-filter-supervised");
  $("f-overdue").checked = Boolean(f.overdue);
  $("f-supervised").checked = Boolean(f.supervised);
  $("f-from").value = f.from || "";
  $("f-to").value = f.to || "";
  const sort = $("f-sort");
  sort.replaceChildren(el("option", { value: "due", text: t("console-sort-due") }), el("option", { value: "age", text: t("console-sort-age") }));
  sort.value = f.sort || "due";
}

function readFilters() {
  const value = (id) => $(id).value || undefined;
  view.filters = {
    status: value("f-status"),
    kind: value("f-kind"),
    sector: value("f-sector"),
    region: value("f-region"),
    unit: value("f-unit"),
    from: value("f-from"),
    to: value("f-to"),
    overdue: $("f-overdue").checked || undefined,
    supervised: $("f-supervised").checked || undefined,
    q: $("q").value.trim() || undefined,
    sort: value("f-sort"),
  };
  view.page = 1;
}

function caseRow(c) {
  const place = [names.region.get(c.regionId), names.unit.get(c.unitId)].filter(Boolean).join(" · ");
  const marks = el(
    "span",
    { class: "badges" },
    el("span", { class: `badge st-${c.status}`, text: statusName(c.status) }),
    c.severity !== "ordinary" ? el("span", { class: `badge sev-${c.severity}`, text: severityName(c.severity) }) : null,
    c.overdue ? el("span", { class: "badge overdue", text: t("console-overdue") }) : null,
    c.supervised ? el("span", { class: "badge supervised", text: t("console-supervised") }) : null,
  );
  return el(
    "li",
    { "data-case": String(c.id) },
    el(
      "a",
      { href: `#case=${c.id}`, class: "row" },
      el("span", { class: "number", text: c.number }),
      marks,
      el("span", { class: "summary", text: c.summary || "" }),
      el(
        "span",
        { class: "meta" },
        el("span", { text: place }),
        el("span", { text: c.dueAt ? t("console-due", { date: when(c.dueAt) }) : when(c.createdAt) }),
      ),
    ),
  );
}

async function loadList() {
  renderTabs();
  const params = listParams({ page: view.page });
  const [list, map] = await Promise.all([api(`cases${query(params)}`), api(`map${query({ ...params, page: undefined, sort: undefined })}`)]);
  view.list = list;
  view.markers = Array.isArray(map.markers) ? map.markers : [];
  renderFilters(list.counts);
  const items = Array.isArray(list.items) ? list.items : [];
  $("list").replaceChildren(...(items.length > 0 ? items.map(caseRow) : [el("li", { class: "empty", text: t("console-empty") })]));
  const pages = Math.max(1, Math.ceil((list.total || 0) / (list.pageSize || 50)));
  const pageInfo = t("console-page", { page: list.page || view.page, pages, total: list.total || 0 });
  $("page-info").textContent = list.searchCapped ? `${pageInfo} · ${t("console-search-capped", { total: list.total })}` : pageInfo;
  $("prev").disabled = view.page <= 1;
  $("next").disabled = view.page >= pages;
  renderMap();
  const total = typeof map.total === "number" ? map.total : view.markers.length;
  $("map-note").textContent = total > view.markers.length ? t("console-map-more", { shown: view.markers.length, total }) : t("console-map-hint");
}

// ── the county map (drawn from the directory's own region areas, no tiles) ──────────

const ORDER = { county: 0, town: 1, village: 2 };

/**
 * An SVG of the county with `markers` on it. `onRegion(id)` when a region is clicked, `onCase(id)`
 * when a marker is; `selected` is the region the list is filtered to.
 */
function countyMap(markers, { onRegion, onCase, selected, big } = {}) {
  const regions = view.dir.regions.filter((r) => r.area && (r.area.kind === "polygon" ? r.area.points.length > 2 : r.area.radiusM > 0));
  const placed = markers.filter((m) => typeof m.lat === "number" && typeof m.lon === "number");
  if (regions.length === 0 && placed.length === 0) return el("p", { class: "hint", text: t("console-map-none") });
  const b = bounds([...regions, ...placed.map((m) => ({ area: { kind: "polygon", points: [{ lat: m.lat, lng: m.lon }] } }))]);
  const cos = Math.cos((((b.minLat + b.maxLat) / 2) * Math.PI) / 180);
  const width = 600;
  const scale = width / Math.max(1e-9, (b.maxLng - b.minLng) * cos);
  const height = Math.max(60, (b.maxLat - b.minLat) * scale);
  const x = (lng) => ((lng - b.minLng) * cos * scale).toFixed(1);
  const y = (lat) => ((b.maxLat - lat) * scale).toFixed(1);
  const pad = 12;
  const map = svgNode("svg", {
    viewBox: `${-pad} ${-pad} ${width + 2 * pad} ${(height + 2 * pad).toFixed(1)}`,
    class: "county",
    role: "img",
    "aria-label": t("console-map"),
  });
  const labels = [];
  [...regions]
    .sort((p, q) => (ORDER[p.level] ?? 3) - (ORDER[q.level] ?? 3))
    .forEach((r, i) => {
      const shape =
        r.area.kind === "polygon"
          ? svgNode("polygon", { points: r.area.points.map((p) => `${x(p.lng)},${y(p.lat)}`).join(" ") })
          : svgNode("circle", { cx: x(r.area.center.lng), cy: y(r.area.center.lat), r: ((r.area.radiusM / M_PER_DEG) * scale).toFixed(1) });
      shape.setAttribute("class", `region lv-${r.level} tint-${i % 6}${r.id === selected ? " selected" : ""}`);
      shape.setAttribute("data-region", r.id);
      const title = svgNode("title");
      title.textContent = r.name;
      shape.append(title);
      if (onRegion) shape.addEventListener("click", () => onRegion(r.id));
      map.append(shape);
      if (r.level === "town") {
        const c = r.area.kind === "polygon" ? centre(r.area.points) : r.area.center;
        const label = svgNode("text", { x: x(c.lng), y: y(c.lat), "text-anchor": "middle", class: "label" });
        label.textContent = r.name;
        labels.push(label);
      }
    });
  map.append(...labels);
  for (const m of placed) {
    const g = svgNode("g", { class: `marker st-${m.status} sev-${m.severity}${m.overdue ? " overdue" : ""}`, "data-case": m.id, tabindex: 0 });
    const k = big ? 2.5 : 1; // the case's own map is drawn small: its one pin must still show
    if (m.overdue) g.append(svgNode("circle", { cx: x(m.lon), cy: y(m.lat), r: 14 * k, class: "ring" }));
    g.append(svgNode("circle", { cx: x(m.lon), cy: y(m.lat), r: (m.severity === "major" ? 10 : m.severity === "urgent" ? 9 : 8) * k, class: "dot" }));
    const title = svgNode("title");
    title.textContent = `${m.number} · ${statusName(m.status)}${m.overdue ? ` · ${t("console-overdue")}` : ""}\n${m.summary || ""}`;
    g.append(title);
    if (onCase) {
      g.addEventListener("click", (event) => {
        event.stopPropagation();
        onCase(m.id);
      });
      g.addEventListener("keydown", (event) => {
        if (event.key === "Enter") onCase(m.id);
      });
    }
    map.append(g);
  }
  return map;
}

function renderMap() {
  $("map").replaceChildren(
    countyMap(view.markers, {
      selected: view.filters.region,
      onRegion: (id) => {
        view.filters = { ...view.filters, region: view.filters.region === id ? undefined : id };
        view.page = 1;
        run(loadList);
      },
      onCase: (id) => go(`#case=${id}`),
    }),
  );
}

// ── a case ──────────────────────────────────────────────────────────────────────────

async function openCase(id) {
  const detail = await api(`cases/${encodeURIComponent(id)}`);
  view.detail = detail;
  renderCase();
}

function renderCase() {
  const { case: c, card, timeline, files, duplicates, actions } = view.detail;
  $("case-number").textContent = c.number;
  $("case-badges").replaceChildren(
    ...[
      el("span", { class: `badge st-${c.status}`, text: statusName(c.status) }),
      el("span", { class: "badge", text: kindName(c.kind) }),
      el("span", { class: `badge sev-${c.severity}`, text: severityName(c.severity) }),
      c.overdue ? el("span", { class: "badge overdue", text: t("console-overdue") }) : null,
      c.supervised ? el("span", { class: "badge supervised", text: t("console-supervised") }) : null,
    ].filter(Boolean),
  );
  $("case-card").textContent = card || c.description || "";
  const facts = [
    ["console-fact-region", c.regionName],
    ["console-fact-sector", c.sectorName],
    ["console-fact-unit", c.unitName],
    ["console-fact-address", c.address],
    ["console-fact-created", when(c.createdAt)],
    ["console-fact-due", c.dueAt ? when(c.dueAt) : null],
  ].filter(([, value]) => value);
  $("case-facts").replaceChildren(...facts.flatMap(([key, value]) => [el("dt", { text: t(key) }), el("dd", { text: value })]));
  renderActions(actions || []);
  renderFiles(files || []);
  const dups = Array.isArray(duplicates) ? duplicates : [];
  $("dup-title").hidden = dups.length === 0;
  $("case-duplicates").replaceChildren(...dups.map(caseRow));
  $("case-timeline").replaceChildren(
    ...(timeline || []).map((step) =>
      el(
        "li",
        {},
        el("time", { text: when(step.at) }),
        el("strong", { text: ` ${step.label || step.action || ""}` }),
        step.by ? el("span", { class: "by", text: ` · ${step.by}` }) : null,
        step.text ? el("div", { class: "text", text: step.text }) : null,
      ),
    ),
  );
  const here = typeof c.lat === "number" && typeof c.lon === "number" ? [c] : [];
  $("case-map").replaceChildren(here.length > 0 ? countyMap(here, { selected: c.regionId, big: true }) : "");
  $("case-map").hidden = here.length === 0;
}

/**
 * A file of the archive as a blob: URL. Its signed URL is under /console/api/, where an <img>
 * inside Telegram would carry no credentials (the launch data goes in a header), so the page
 * fetches it and shows the bytes.
 */
const blobs = [];
async function fileBlob(url) {
  const headers = launch.initData ? { Authorization: `tma ${launch.initData}` } : {};
  const response = await fetch(url, { headers, credentials: "same-origin" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const link = URL.createObjectURL(await response.blob());
  blobs.push(link);
  return link;
}

function forgetBlobs() {
  for (const link of blobs.splice(0)) URL.revokeObjectURL(link);
}

function renderFiles(files) {
  forgetBlobs();
  const box = $("case-files");
  if (files.length === 0) return box.replaceChildren(el("p", { class: "hint", text: t("console-case-no-files") }));
  box.replaceChildren(
    ...files.map((f) => {
      const caption = el("figcaption", { text: `${f.step ? tOr(`console-step-${f.step}`, f.step) : ""} · ${when(f.at)}` });
      if (!f.url) return el("figure", { class: "pending" }, el("div", { class: "ph", text: t("console-case-file-pending") }), caption);
      if (f.kind === "photo" || f.kind === "image") {
        const img = el("img", { alt: f.step || f.kind });
        const link = el("a", { href: "#", class: "shot" }, img);
        fileBlob(f.url).then(
          (src) => {
            img.src = src;
            link.href = src;
            link.target = "_blank";
          },
          () => img.replaceWith(el("span", { class: "ph", text: t("console-case-file-failed") })),
        );
        return el("figure", {}, link, caption);
      }
      // Videos and documents are fetched when asked for, not with the case.
      const open = el("a", {
        href: "#",
        class: "file",
        text: `📎 ${tOr(`console-file-${f.kind}`, f.kind)}`,
        onclick: (event) => {
          if (open.dataset.ready) return;
          event.preventDefault();
          run(async () => {
            open.href = await fileBlob(f.url);
            open.target = "_blank";
            open.dataset.ready = "1";
            if (f.kind === "video") open.replaceWith(el("video", { src: open.href, controls: true, autoplay: true }));
            else open.click();
          });
        },
      });
      return el("figure", {}, open, caption);
    }),
  );
}

function renderActions(actions) {
  const box = $("case-actions");
  $("action-form").hidden = true;
  if (actions.length === 0) return box.replaceChildren(el("p", { class: "hint", text: t("console-case-no-actions") }));
  box.replaceChildren(
    ...actions.map((a) =>
      el("button", {
        type: "button",
        "data-action": a.code,
        text: a.label,
        onclick: () => {
          if (!a.fields || a.fields.length === 0) return run(() => takeAction(a, {}));
          actionForm(a);
        },
      }),
    ),
  );
}

const FIELD_NAMES = {
  text: "text",
  date: "date",
  unit: "unitId",
  member: "memberId",
  severity: "severity",
  measures: "measures",
  responsible: "responsible",
  "case-number": "caseNumber",
};

/** The action's form, one input per field the chat would ask for, in order. */
function actionForm(action) {
  const form = $("action-form");
  const c = view.detail.case;
  const choose = () => el("option", { value: "", text: t("console-form-choose") });
  let memberSelect = null;
  let unitSelect = null;
  const inputs = action.fields.map(({ field, prompt, required }) => {
    const name = FIELD_NAMES[field] || field;
    let input;
    // The rectification photos, or a progress note's: sent with the form as files, taken into the office's archive.
    if (field === "photos") input = el("input", { name, type: "file", accept: "image/jpeg,image/png,image/webp", multiple: true, required });
    else if (field === "text" || field === "measures") input = el("textarea", { name, rows: 3, required: true });
    else if (field === "date") input = el("input", { name, type: "date", required: true });
    else if (field === "unit") {
      input = el("select", { name, required: true }, choose(), ...view.dir.units.map((u) => el("option", { value: u.id, text: u.name })));
      unitSelect = input;
    } else if (field === "member") {
      // Optional: without a liaison the whole unit has the case.
      input = el("select", { name }, el("option", { value: "", text: t("console-form-whole-unit") }));
      memberSelect = input;
    } else if (field === "severity") {
      input = el(
        "select",
        { name, required: true },
        ...SEVERITIES.map((s) => el("option", { value: s, text: severityName(s), selected: s === c.severity })),
      );
    } else input = el("input", { name, type: "text", required: true, autocomplete: "off" });
    input.dataset.field = field;
    return el("label", { class: "field" }, el("span", { text: prompt }), input);
  });
  const error = el("p", { class: "error", role: "alert", hidden: true });
  form.replaceChildren(
    el("h3", { text: action.label }),
    ...inputs,
    error,
    el(
      "div",
      { class: "buttons" },
      el("button", { type: "submit", class: "primary", text: t("console-form-submit") }),
      el("button", {
        type: "button",
        text: t("console-form-cancel"),
        onclick: () => {
          form.hidden = true;
        },
      }),
    ),
  );
  if (memberSelect) {
    const fill = () => loadLiaisons(memberSelect, unitSelect ? unitSelect.value : c.unitId);
    if (unitSelect) unitSelect.addEventListener("change", fill);
    fill();
  }
  form.onsubmit = (event) => {
    event.preventDefault();
    const payload = {};
    const photos = [...(form.querySelector('[data-field="photos"]')?.files ?? [])];
    for (const input of form.querySelectorAll("[data-field]:not([type=file])")) {
      const value = input.value.trim();
      if (value === "") continue;
      payload[FIELD_NAMES[input.dataset.field] || input.dataset.field] = input.dataset.field === "member" ? Number(value) : value;
    }
    run(async () => {
      const refusal = await takeAction(action, payload, photos);
      if (refusal) {
        error.textContent = refusal;
        error.hidden = false;
      }
    });
  };
  form.hidden = false;
  form.querySelector("[data-field]")?.focus();
}

async function loadLiaisons(select, unitId) {
  select.replaceChildren(el("option", { value: "", text: t("console-form-whole-unit") }));
  if (!unitId) return;
  const answer = await api(`units/${encodeURIComponent(unitId)}/liaisons`);
  const people = Array.isArray(answer) ? answer : answer.liaisons || answer.members || answer.items || [];
  if (people.length === 0) select.append(el("option", { value: "", disabled: true, text: t("console-form-no-liaisons") }));
  for (const p of people) select.append(el("option", { value: String(p.memberId ?? p.id), text: p.name || String(p.memberId ?? p.id) }));
}

/** Posts the action with the version seen; reloads the case on success, returns the refusal's words otherwise. */
async function takeAction(action, fields, photos = []) {
  const c = view.detail.case;
  const request = { code: action.code, version: c.version, ...fields };
  const answer = await api(`cases/${c.id}/actions`, photos.length === 0 ? request : withPhotos(request, photos));
  if (answer.ok === false) {
    toast(answer.message, true);
    return answer.message;
  }
  toast(t("console-done"));
  await openCase(c.id);
  return null;
}

// ── the leaders' dashboard ──────────────────────────────────────────────────────────

/** Where a figure's number leads: the list behind it (the server's own filter, when it gives one). */
function figureFilter(key, period) {
  const received = period?.first ? { from: period.first, to: period.last } : {};
  const k = key.toLowerCase();
  if (k.startsWith("kind-")) return { view: "all", kind: key.slice(5), ...received };
  if (k.includes("overdue")) return { view: "overdue" };
  if (k.includes("supervis")) return { view: "supervised" };
  if (k === "closed") return { view: "all", status: "closed", ...received };
  if (k.startsWith("open")) return { view: "open" };
  return { view: "all", ...received };
}

/** Rates (0 to 1) as percentages, hours with one decimal, nothing judged yet as a dash. */
function figureText(key, value) {
  if (value === null || value === undefined) return "—";
  if (typeof value !== "number") return String(value);
  if (/ontime|satisfaction|rate/i.test(key) && value <= 1) return `${Math.round(value * 100)}%`;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** The figures as tiles: each number, and each kind's count under "received". */
function figureTiles(figures) {
  const tiles = [];
  for (const [key, value] of Object.entries(figures)) {
    if (value !== null && typeof value === "object") {
      if (key === "byKind") for (const [kind, n] of Object.entries(value)) tiles.push([`kind-${kind}`, n, kindName(kind)]);
      continue;
    }
    tiles.push([key, value, tOr(`console-figure-${key}`, key)]);
  }
  return tiles;
}

function openList(filter) {
  const { view: tab, ...rest } = filter;
  view.tab = tabsFor().includes(tab) ? tab : "all";
  view.filters = { ...rest, region: rest.region ?? (view.dashRegion || undefined) };
  view.page = 1;
  go("");
}

async function loadDashboard() {
  renderTabs();
  const period = $("d-period");
  period.replaceChildren(...["week", "month", "year"].map((p) => el("option", { value: p, text: t(`console-dash-${p}`) })));
  period.value = view.period;
  const area = $("d-region");
  area.replaceChildren(
    el("option", { value: "", text: t("console-dash-county") }),
    ...view.dir.regions.filter((r) => r.level === "town").map((r) => el("option", { value: r.id, text: r.name })),
  );
  area.value = view.dashRegion;
  const d = await api(`dashboard${query({ period: view.period, region: view.dashRegion })}`);
  const figures = d && typeof d.figures === "object" && d.figures !== null ? figureTiles(d.figures) : [];
  $("dash-figures").replaceChildren(
    ...(figures.length > 0
      ? figures.map(([key, value, label]) =>
          el(
            "a",
            {
              href: "#",
              class: "figure",
              "data-figure": key,
              onclick: (event) => {
                event.preventDefault();
                openList(figureFilter(key, d.period));
              },
            },
            el("strong", { text: figureText(key, value) }),
            el("small", { text: label }),
          ),
        )
      : [el("p", { class: "hint", text: t("console-dash-none") })]),
  );
  $("dash-trend").replaceChildren(trendChart(Array.isArray(d.trend) ? d.trend : []));
  renderRanking(Array.isArray(d.ranking) ? d.ranking : []);
  const listed = Array.isArray(d.supervised) ? d.supervised : [];
  $("dash-supervised").replaceChildren(
    ...(listed.length > 0
      ? listed.map((c) => (c && c.id !== undefined && c.number ? caseRow(c) : el("li", { text: JSON.stringify(c) })))
      : [el("li", { class: "empty", text: t("console-dash-none") })]),
  );
}

/** A line per numeric series of the trend (at most three), the points' labels under the first and last. */
function trendChart(points) {
  if (points.length === 0) return el("p", { class: "hint", text: t("console-dash-none") });
  const labelKey = ["date", "day", "week", "month", "label", "period"].find((k) => points[0][k] !== undefined);
  const series = Object.keys(points[0])
    .filter((k) => k !== labelKey && typeof points[0][k] === "number")
    .slice(0, 3);
  const W = 600,
    H = 180,
    P = 24;
  const max = Math.max(1, ...points.flatMap((p) => series.map((k) => Number(p[k]) || 0)));
  const x = (i) => (P + (points.length === 1 ? (W - 2 * P) / 2 : (i * (W - 2 * P)) / (points.length - 1))).toFixed(1);
  const y = (v) => (H - P - ((Number(v) || 0) / max) * (H - 2 * P)).toFixed(1);
  const chart = svgNode("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": t("console-dash-trend") });
  chart.append(svgNode("line", { x1: P, y1: H - P, x2: W - P, y2: H - P, class: "axis" }));
  const top = svgNode("text", { x: 2, y: P - 6, class: "tick" });
  top.textContent = String(max);
  chart.append(top);
  series.forEach((key, s) => {
    chart.append(svgNode("polyline", { points: points.map((p, i) => `${x(i)},${y(p[key])}`).join(" "), class: `line s${s}` }));
    const legend = svgNode("text", { x: P + 40 + s * 110, y: 14, class: `legend s${s}` });
    legend.textContent = tOr(`console-figure-${key}`, key);
    chart.append(legend);
  });
  if (labelKey) {
    for (const i of [0, points.length - 1]) {
      const label = svgNode("text", { x: x(i), y: H - 6, "text-anchor": i === 0 ? "start" : "end", class: "tick" });
      label.textContent = String(points[i][labelKey]);
      chart.append(label);
    }
  }
  return chart;
}

function renderRanking(rows) {
  const table = $("dash-ranking");
  if (rows.length === 0) return table.replaceChildren(el("caption", { class: "hint", text: t("console-dash-none") }));
  // Rank and name first, whatever order the server's keys come in; ids are not for reading.
  const first = ["rank", "name", "unitName", "list"];
  const keys = Object.keys(rows[0]).filter((k) => !/id$/i.test(k));
  const shown = [...first.filter((k) => keys.includes(k)), ...keys.filter((k) => !first.includes(k))];
  const numbered = !shown.includes("rank");
  const cell = (key, v) => {
    if (key === "list") return v ? t(`console-list-${v}`) : "";
    if (v !== null && typeof v === "object") return JSON.stringify(v);
    return v === null || v === undefined ? "—" : figureText(key, v);
  };
  table.replaceChildren(
    el("thead", {}, el("tr", {}, numbered ? el("th", { text: "#" }) : null, ...shown.map((k) => el("th", { text: tOr(`console-col-${k}`, k) })))),
    el(
      "tbody",
      {},
      ...rows.map((row, i) =>
        el(
          "tr",
          { class: row.list ? `list-${row.list}` : "" },
          numbered ? el("td", { text: String(i + 1) }) : null,
          ...shown.map((k) => el("td", { text: cell(k, row[k]) })),
        ),
      ),
    ),
  );
}

// ── a new case: one that reached the office another way (dispatchers and admins) ────

const mayRecord = () => has("dispatcher", "admin");

/** A random id written into the form when it opens: posting the same form twice records one case. */
const submissionId = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b % 36).toString(36)).join("");

/** The new-case form, from what the server offers (GET intake); posted as the chat's /new would submit it. */
async function loadIntake() {
  const offered = await api("intake");
  const form = $("new-form");
  const submission = submissionId();
  const field = (key, input) => el("label", { class: "field" }, el("span", { text: t(key) }), input);
  const check = (key, name, checked) =>
    el("label", { class: "check" }, el("input", { type: "checkbox", name, checked }), " ", el("span", { text: t(key) }));
  const options = (list) => list.map((x) => el("option", { value: x.id, text: x.name }));
  const choose = () => el("option", { value: "", text: t("console-form-choose") });

  const source = el("select", { name: "source", required: true }, ...options(offered.sources));
  const kind = el("select", { name: "kind", required: true });
  const reference = el("input", { name: "reference", type: "text", autocomplete: "off", maxlength: 64 });
  const referenceField = field("console-new-reference", reference);
  const anonymous = check("console-new-anonymous", "anonymous", true);
  const name = field("console-new-name", el("input", { name: "name", type: "text", autocomplete: "off", maxlength: 50 }));
  const phone = field("console-new-phone", el("input", { name: "phone", type: "tel", autocomplete: "off" }));
  const reward = check("console-new-reward", "reward", false);
  // What the door asks for: a number or none, a task from above (with no reward), a name for a named caller.
  const fitToDoor = () => {
    const door = offered.sources.find((s) => s.id === source.value);
    referenceField.hidden = !door || door.reference === "none";
    reference.required = door?.reference === "required";
    const kinds = source.value === "superior" ? ["task"] : ["hazard", "violation"];
    if (!kinds.includes(kind.value)) kind.replaceChildren(...kinds.map((k) => el("option", { value: k, text: kindName(k) })));
    reward.hidden = source.value === "superior";
    const named = !form.elements.anonymous.checked;
    name.hidden = !named;
    phone.hidden = !named;
  };
  const error = el("p", { class: "error", role: "alert", hidden: true });
  form.replaceChildren(
    field("console-new-source", source),
    referenceField,
    field("console-new-kind", kind),
    field("console-new-sector", el("select", { name: "sectorId", required: true }, choose(), ...options(offered.sectors))),
    field("console-new-town", el("select", { name: "regionId" }, choose(), ...options(offered.towns))),
    field("console-new-address", el("input", { name: "address", type: "text", autocomplete: "off", maxlength: 200 })),
    field("console-new-description", el("textarea", { name: "description", rows: 5, required: true })),
    check("console-new-urgent", "urgent", false),
    anonymous,
    name,
    phone,
    reward,
    error,
    el("div", { class: "buttons" }, el("button", { type: "submit", class: "primary", text: t("console-form-submit") })),
  );
  form.onchange = fitToDoor;
  fitToDoor();
  form.onsubmit = (event) => {
    event.preventDefault();
    const f = form.elements;
    const text = (input) => input.value.trim() || undefined;
    const body = {
      submission,
      source: f.source.value,
      reference: referenceField.hidden ? undefined : text(f.reference),
      kind: f.kind.value,
      sectorId: f.sectorId.value,
      regionId: f.regionId.value || undefined,
      address: text(f.address),
      description: f.description.value,
      urgent: f.urgent.checked,
      anonymous: f.anonymous.checked,
      name: f.anonymous.checked ? undefined : text(f.name),
      phone: f.anonymous.checked ? undefined : text(f.phone),
      reward: !reward.hidden && f.reward.checked,
    };
    run(async () => {
      const answer = await api("intake", body);
      if (answer.ok === false) {
        error.textContent = answer.message;
        error.hidden = false;
        return;
      }
      showRecorded(answer);
      await loadIntake();
    });
  };
}

/** What was recorded: its number, the caller's claim code when there is one (shown once), and a way to the case. */
function showRecorded(answer) {
  const box = $("new-result");
  box.replaceChildren(
    ...[
      el("p", { text: t("console-new-recorded", { number: answer.number }) }),
      answer.claimCode && el("p", { class: "claim", text: t("console-new-claim", { code: answer.claimCode }) }),
      answer.caseId && el("button", { type: "button", text: t("console-new-open"), onclick: () => go(`#case=${answer.caseId}`) }),
    ].filter(Boolean),
  );
  box.hidden = false;
  toast(t("console-done"));
}

// ── navigation ──────────────────────────────────────────────────────────────────────

function go(hash) {
  if (location.hash === hash || (hash === "" && location.hash === "")) route();
  else if (hash === "") {
    history.pushState(null, "", location.pathname + location.search);
    route();
  } else location.hash = hash;
}

function show(id) {
  for (const section of ["view-list", "view-case", "view-dash", "view-new"]) $(section).hidden = section !== id;
  $("gate").hidden = true;
  window.scrollTo(0, 0);
}

async function route() {
  const caseId = /^#case=(\d+)$/.exec(location.hash)?.[1];
  if (caseId) {
    show("view-case");
    renderTabs();
    return run(() => openCase(caseId));
  }
  if (location.hash === "#dash") {
    show("view-dash");
    return run(loadDashboard);
  }
  if (location.hash === "#new" && mayRecord()) {
    show("view-new");
    renderTabs();
    return run(loadIntake);
  }
  show("view-list");
  return run(loadList);
}

/** Runs a step of the page; a refusal at the door shows why, anything else a short notice. */
async function run(step) {
  document.body.classList.add("busy");
  try {
    await step();
  } catch (err) {
    if (err instanceof Gate) return gate(err.status);
    toast(t("console-error", { message: err.message }), true);
  } finally {
    document.body.classList.remove("busy");
  }
}

function gate(status) {
  for (const section of ["view-list", "view-case", "view-dash", "view-new"]) $(section).hidden = true;
  $("tabs").hidden = true;
  const box = $("gate");
  box.textContent = t(status === 403 ? "console-not-staff" : "console-need-login");
  box.hidden = false;
  box.classList.add("refused");
}

function wire() {
  const filters = $("filters");
  filters.addEventListener("change", (event) => {
    if (event.target.id === "q") return;
    readFilters();
    run(loadList);
  });
  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    readFilters();
    run(loadList);
  });
  let typing;
  $("q").addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      readFilters();
      run(loadList);
    }, 400);
  });
  $("clear").addEventListener("click", () => {
    view.filters = {};
    $("q").value = "";
    view.page = 1;
    run(loadList);
  });
  $("prev").addEventListener("click", () => {
    view.page = Math.max(1, view.page - 1);
    run(loadList);
  });
  $("next").addEventListener("click", () => {
    view.page += 1;
    run(loadList);
  });
  $("case-back").addEventListener("click", () => (history.length > 1 && view.list ? history.back() : go("")));
  $("dash-filters").addEventListener("change", () => {
    view.period = $("d-period").value;
    view.dashRegion = $("d-region").value;
    run(loadDashboard);
  });
  $("lang").addEventListener("click", async () => {
    await loadStrings(view.lang === "en" ? "zh-CN" : "en");
    route();
  });
  // Moving between entries that differ in the fragment fires hashchange, the back button's included.
  window.addEventListener("hashchange", route);
}

async function start() {
  applyTheme(launch.theme);
  // A theme changed while the page is open (the phone's night mode at dusk) is followed at once.
  onTelegramEvents({ theme_changed: (data) => applyTheme(data.theme_params) });
  telegramEvent("web_app_ready");
  telegramEvent("web_app_expand");
  wire();
  try {
    view.me = await api("me");
  } catch (err) {
    // Before the server says whose it is: Telegram's language for the person, else the browser's; Chinese by default.
    const language = (launch.initData ? launch.language || "" : navigator.language || "").toLowerCase();
    await loadStrings(language.startsWith("en") ? "en" : "zh-CN");
    if (err instanceof Gate) return gate(err.status);
    $("gate").textContent = t("console-error", { message: err.message });
    return;
  }
  await loadStrings(view.me.locale);
  $("who").textContent = [view.me.name, ...view.me.roles.map((r) => t(`role-${r}`))].join(" · ");
  $("lang").hidden = false;
  view.tab = has("dispatcher", "admin") ? "queue" : has("liaison") ? "mine" : has(...OFFICE_WIDE) ? "open" : "all";
  try {
    const dir = await api("directory");
    view.dir = { sectors: dir.sectors || [], regions: dir.regions || [], units: dir.units || [] };
  } catch (err) {
    if (err instanceof Gate) return gate(err.status);
    toast(t("console-error", { message: err.message }), true);
  }
  names = { sector: named(view.dir.sectors), region: named(view.dir.regions), unit: named(view.dir.units) };
  if (launch.caseId && !location.hash) location.hash = `case=${launch.caseId}`;
  else route();
}

start();
