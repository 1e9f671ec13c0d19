// The playground page: a Telegram look-alike over the playground API (src/local/mode.ts).
// Plain script, no build step and nothing from the network: local mode must work offline.
// Everything the bot sent is shown as text (textContent), never parsed as HTML.

const api = {
  get: (path) => fetch(path).then(answer),
  post: (path, body) => fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then(answer),
};

async function answer(response) {
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
  return body;
}

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

const view = {
  lang: localStorage.getItem("hazardline-lang") || "zh-CN",
  strings: {},
  state: null,
  seq: 0,
  chat: null,
  unread: {},
  regions: [],
};

const t = (key, args) => {
  let text = view.strings[key] ?? key;
  for (const [name, value] of Object.entries(args || {})) text = text.replace(`{ $${name} }`, value);
  return text;
};

async function loadStrings() {
  view.strings = await api.get(`/play/api/strings?lang=${encodeURIComponent(view.lang)}`);
  document.documentElement.lang = view.lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(node.dataset.i18nPlaceholder);
}

function toast(text) {
  const box = $("toast");
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => {
    box.hidden = true;
  }, 4000);
}

// ── who and where ───────────────────────────────────────────────────────────────────

const people = () => view.state.people;
const groups = () => view.state.groups;
const personById = (id) => people().find((p) => p.id === id);
const isGroup = (chatId) => chatId < 0;

function roleNames(person) {
  return person.roles.map((r) => t(`play-role-${r}`)).join(" · ");
}

function chatTitle(chatId) {
  if (isGroup(chatId)) return groups().find((g) => g.id === chatId)?.title ?? String(chatId);
  const person = personById(chatId);
  return person ? `${person.name} · ${roleNames(person)}` : String(chatId);
}

/** Who speaks in a group: its unit's members first, then the office's staff. */
function speakersFor(chatId) {
  const group = groups().find((g) => g.id === chatId);
  const staff = people().filter((p) => !p.roles.includes("citizen"));
  const own = staff.filter((p) => group?.unit && p.unit === group.unit);
  return [...own, ...staff.filter((p) => !own.includes(p))];
}

function speaker() {
  return isGroup(view.chat) ? Number($("speaker").value) : view.chat;
}

// ── lists ───────────────────────────────────────────────────────────────────────────

function renderLists() {
  const item = (chatId, name, detail) => {
    const unread = view.unread[chatId] || 0;
    return el(
      "li",
      { class: chatId === view.chat ? "current" : "", "data-chat": String(chatId) },
      el(
        "button",
        { type: "button", onclick: () => openChat(chatId) },
        el("span", { class: "name", text: name }),
        el("small", { text: detail }),
        unread > 0 ? el("span", { class: "badge", text: String(unread) }) : null,
      ),
    );
  };
  $("people").replaceChildren(...people().map((p) => item(p.id, p.name, roleNames(p))));
  $("groups").replaceChildren(...groups().map((g) => item(g.id, g.title, t(`play-purpose-${g.purpose}`))));
}

function openChat(chatId) {
  view.chat = chatId;
  view.unread[chatId] = 0;
  document.body.classList.add("in-chat");
  $("chat-title").textContent = chatTitle(chatId);
  $("composer").hidden = groups().some((g) => g.id === chatId && g.purpose === "public");
  $("speaker-box").hidden = !isGroup(chatId);
  if (isGroup(chatId)) {
    $("speaker").replaceChildren(...speakersFor(chatId).map((p) => el("option", { value: String(p.id), text: `${p.name} · ${roleNames(p)}` })));
  }
  renderLists();
  renderMessages();
  renderKeyboard();
  $("text").focus();
}

// ── messages ────────────────────────────────────────────────────────────────────────

const fileUrl = (key) => `/play/files/${encodeURIComponent(key)}`;

function renderMedia(item) {
  const url = fileUrl(item.key);
  if (item.kind === "photo") return el("a", { href: url, target: "_blank" }, el("img", { src: url, alt: item.name || "photo", loading: "lazy" }));
  if (item.kind === "video" || item.kind === "animation") return el("video", { src: url, controls: true, preload: "metadata" });
  if (item.kind === "voice" || item.kind === "audio") return el("audio", { src: url, controls: true, preload: "none" });
  return el(
    "a",
    { class: "document", href: `${url}?download`, download: item.name || "file" },
    `📄 ${item.name || item.key} · ${t("play-download")}`,
  );
}

function renderMessage(entry) {
  const mine = entry.from !== "bot";
  const sender = mine ? personById(entry.from) : null;
  const bubble = el("div", {
    class: `msg ${mine ? "out" : "in"}`,
    "data-message": String(entry.messageId),
    "data-from": mine ? String(entry.from) : "bot",
  });
  if (isGroup(entry.chatId) || !mine)
    bubble.append(el("div", { class: "sender", text: mine ? (sender?.name ?? String(entry.from)) : t("play-bot") }));
  if (entry.media?.length) bubble.append(el("div", { class: entry.media.length > 1 ? "album" : "media" }, ...entry.media.map(renderMedia)));
  if (entry.location) bubble.append(renderPin(entry.location));
  if (entry.contact) bubble.append(el("div", { class: "contact", text: `📱 ${entry.contact.name} ${entry.contact.phone}` }));
  if (entry.text) bubble.append(el("div", { class: "text", text: entry.text }));
  bubble.append(el("div", { class: "meta", text: `${entry.edited ? `${t("play-edited")} · ` : ""}${timeOf(entry.at)}` }));
  if (entry.buttons?.length) {
    const rows = entry.buttons.map((row) =>
      el(
        "div",
        { class: "ib-row" },
        ...row.map((b) =>
          b.url
            ? el("a", { class: "ib", href: b.url, target: "_blank", rel: "noopener" }, b.text)
            : el("button", { class: "ib", type: "button", "data-data": b.data, onclick: () => press(entry, b.data) }, b.text),
        ),
      ),
    );
    bubble.append(el("div", { class: "ib-rows" }, ...rows));
  }
  return bubble;
}

function renderMessages() {
  const box = $("messages");
  const list = view.state.transcripts[view.chat] || [];
  if (list.length === 0) box.replaceChildren(el("p", { class: "hint", text: t("play-empty") }));
  else box.replaceChildren(...list.map(renderMessage));
  box.scrollTop = box.scrollHeight;
}

function renderKeyboard() {
  const rows = view.state.keyboards[view.chat];
  const box = $("reply-keyboard");
  if (!rows) return box.replaceChildren();
  box.replaceChildren(
    ...rows.map((row) =>
      el(
        "div",
        { class: "rk-row" },
        ...row.map((b) =>
          el(
            "button",
            { class: "rk", type: "button", onclick: () => (b.contact ? shareContact() : b.location ? openMap() : sendText(b.text)) },
            b.text,
          ),
        ),
      ),
    ),
  );
}

function timeOf(ms) {
  return new Intl.DateTimeFormat(view.lang, {
    timeZone: "Asia/Shanghai",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    weekday: "short",
  }).format(ms);
}

function showClock(now) {
  $("now").textContent = timeOf(now);
}

// ── events ──────────────────────────────────────────────────────────────────────────

function apply(event) {
  view.seq = event.seq;
  const s = view.state;
  if (event.type === "message") {
    if (!s.transcripts[event.entry.chatId]) s.transcripts[event.entry.chatId] = [];
    s.transcripts[event.entry.chatId].push(event.entry);
    if (event.entry.chatId !== view.chat && event.entry.from !== view.chat)
      view.unread[event.entry.chatId] = (view.unread[event.entry.chatId] || 0) + 1;
  } else if (event.type === "edit") {
    const list = s.transcripts[event.entry.chatId] || [];
    const i = list.findIndex((e) => e.messageId === event.entry.messageId);
    if (i >= 0) list[i] = event.entry;
  } else if (event.type === "delete") {
    s.transcripts[event.chatId] = (s.transcripts[event.chatId] || []).filter((e) => e.messageId !== event.messageId);
  } else if (event.type === "keyboard") {
    if (event.keyboard) s.keyboards[event.chatId] = event.keyboard;
    else delete s.keyboards[event.chatId];
  } else if (event.type === "toast") {
    if (event.chatId === view.chat) toast(event.text);
  } else if (event.type === "clock") {
    showClock(event.now);
  } else if (event.type === "reset") {
    s.transcripts = {};
    s.keyboards = {};
    view.unread = {};
  }
}

async function follow() {
  for (;;) {
    try {
      const got = await api.get(`/play/api/events?after=${view.seq}`);
      if (got.reload) await loadState();
      else {
        for (const event of got.events) apply(event);
        if (got.events.length > 0) redraw();
      }
    } catch {
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

function redraw() {
  renderLists();
  if (view.chat !== null) {
    renderMessages();
    renderKeyboard();
  }
}

async function loadState() {
  view.state = await api.get("/play/api/state");
  view.seq = view.state.seq;
  showClock(view.state.now);
  redraw();
}

// ── what the person does ────────────────────────────────────────────────────────────

async function act(work) {
  try {
    return await work();
  } catch (err) {
    toast(t("play-failed", { error: err.message }));
  }
}

const sendText = (text) => act(() => api.post("/play/api/send", { as: speaker(), chat: view.chat, text }));
const press = (entry, data) => act(() => api.post("/play/api/press", { as: speaker(), chat: entry.chatId, message: entry.messageId, data }));
const shareContact = () => act(() => api.post("/play/api/contact", { as: speaker(), chat: view.chat }));

async function upload(files) {
  for (const file of files) {
    const form = new FormData();
    form.set("as", String(speaker()));
    form.set("chat", String(view.chat));
    form.set("file", file);
    await act(() => fetch("/play/api/upload", { method: "POST", body: form }).then(answer));
  }
}

async function moveClock(body) {
  await act(async () => showClock((await api.post("/play/api/clock", body)).now));
}

// ── the county map (drawn from the directory's own region areas) ────────────────────

/** An SVG of the county (county-map.js); `onPick(lat, lng)` on a click, if given; `pin` marked. */
function countyMap(onPick, pin) {
  return pickMap(view.regions, { lang: view.lang, onPick: onPick ?? undefined, pin });
}

function renderPin(location) {
  const box = el("div", { class: "location" });
  if (view.regions.length > 0) box.append(countyMap(null, location));
  const words = [location.title, location.address].filter(Boolean).join(" · ");
  box.append(el("div", { text: `📍 ${location.lat.toFixed(5)}, ${location.lng.toFixed(5)}${words ? ` · ${words}` : ""}` }));
  return box;
}

function openMap() {
  const dialog = $("map-dialog");
  $("map").replaceChildren(
    countyMap((lat, lng) => {
      $("lat").value = lat;
      $("lng").value = lng;
    }),
  );
  dialog.showModal();
}

// ── wiring ──────────────────────────────────────────────────────────────────────────

function wire() {
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("text").value;
    if (text.trim() === "") return;
    $("text").value = "";
    sendText(text);
  });
  $("file").addEventListener("change", async (event) => {
    await upload([...event.target.files]);
    event.target.value = "";
  });
  $("location").addEventListener("click", openMap);
  $("contact").addEventListener("click", shareContact);
  $("map-dialog").addEventListener("close", () => {
    const lat = Number($("lat").value);
    const lng = Number($("lng").value);
    if ($("map-dialog").returnValue === "send" && $("lat").value !== "" && $("lng").value !== "") {
      act(() => api.post("/play/api/location", { as: speaker(), chat: view.chat, lat, lng }));
    }
  });
  $("clock-morning").addEventListener("click", () => moveClock({ to: "morning" }));
  $("clock-workday").addEventListener("click", () => moveClock({ to: "workday" }));
  $("clock-hours").addEventListener("click", () => moveClock({ to: "hours", hours: Number($("hours").value) || 1 }));
  $("tick").addEventListener("click", () => act(() => api.post("/play/api/tick", {})));
  $("scenario").addEventListener("click", async () => {
    const button = $("scenario");
    button.disabled = true;
    toast(t("play-scenario-running"));
    await act(async () => toast(t("play-scenario-done", { number: (await api.post("/play/api/scenario", {})).number })));
    button.disabled = false;
  });
  $("reset").addEventListener("click", () => {
    if (confirm(t("play-reset-confirm"))) act(() => api.post("/play/api/reset", {}));
  });
  $("lang").addEventListener("click", async () => {
    view.lang = view.lang === "en" ? "zh-CN" : "en";
    localStorage.setItem("hazardline-lang", view.lang);
    await loadStrings();
    redraw();
    if (view.chat !== null) $("chat-title").textContent = chatTitle(view.chat);
  });
  $("back").addEventListener("click", () => document.body.classList.remove("in-chat"));
}

async function start() {
  wire();
  await loadStrings();
  view.regions = await api.get("/play/api/map");
  await loadState();
  follow();
}

start();
