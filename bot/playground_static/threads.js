// filmbot playground: open a discussion thread from the page (bot/playground_threads.py).
//
// The server publishes, with every page state, a `filmbot` block: the channels this page's viewer may
// see (#film-club and its threads, each with the session key of a page bound to it) and, on a thread
// page, the message the thread was opened from. This script reads the states simcord's page already
// fetches (it runs first and watches `fetch`), lists the channels in the sidebar, makes the thread chip
// under a prompt open its thread, and shows the prompt at the top of a thread page, as Discord does.
// Opening a channel changes the URL's #key; simcord's page reloads on that and opens the new page.
import { renderMessage } from "/messages.js";

let navigation = null;

const nativeFetch = window.fetch.bind(window);
window.fetch = async (input, init) => {
  const response = await nativeFetch(input, init);
  const path = typeof input === "string" ? input : input?.url || "";
  if (response.ok && (path.startsWith("/api/state") || path.startsWith("/api/pages"))) {
    response.clone().json().then((state) => {
      if (state && typeof state === "object" && state.filmbot) show(state.filmbot);
    }).catch(() => {});
  }
  return response;
};

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function open(key) {
  if (key && window.location.hash.slice(1) !== key) window.location.hash = key;
}

function show(next) {
  const fingerprint = JSON.stringify(next);
  if (navigation && navigation.fingerprint === fingerprint) return;
  navigation = { ...next, fingerprint };
  renderChannels();
  renderStarter();
  markChips();
}

function renderChannels() {
  const sidebar = document.getElementById("messages-sidebar");
  if (!sidebar) return;
  let nav = document.getElementById("filmbot-channels");
  if (!nav) {
    nav = el("nav", "filmbot-channels");
    nav.id = "filmbot-channels";
    nav.setAttribute("aria-label", "Channels and threads");
    sidebar.querySelector(".sidebar-heading")?.after(nav) ?? sidebar.prepend(nav);
  }
  const list = el("ul", "filmbot-channel-list");
  for (const channel of navigation.channels || []) {
    const item = el("li");
    const link = el("a", `filmbot-channel${channel.thread ? " is-thread" : ""}${channel.current ? " is-current" : ""}`);
    link.href = `#${channel.key}`;
    link.dataset.channelId = channel.id;
    if (channel.current) link.setAttribute("aria-current", "page");
    link.append(el("span", "filmbot-channel-icon", channel.thread ? "↳" : "#"), el("span", "filmbot-channel-name", channel.name));
    if (channel.archived) link.append(el("span", "filmbot-channel-note", "archived"));
    item.append(link);
    list.append(item);
  }
  nav.replaceChildren(el("h2", "filmbot-channels-heading", "Channels"), list);
  const current = (navigation.channels || []).find((channel) => channel.current);
  document.body.classList.toggle("filmbot-thread-page", Boolean(current?.thread));
}

function renderStarter() {
  document.getElementById("filmbot-starter")?.remove();
  const starter = navigation.starter;
  const list = document.getElementById("channel-message-list");
  if (!starter || !list) return;
  const card = el("section", "filmbot-starter");
  card.id = "filmbot-starter";
  card.setAttribute("aria-label", "The message this thread was started from");
  const heading = el("p", "filmbot-starter-heading", "Thread started from this message in ");
  const back = el("a", "filmbot-starter-link", `#${starter.channel}`);
  back.href = `#${starter.key}`;
  heading.append(back);
  const body = el("div", "filmbot-starter-message");
  card.append(heading, body);
  list.before(card);
  try {
    renderMessage(body, starter.message, { channelLayout: true, timezone: "UTC", locale: "en-US" });
  } catch (_) {
    body.textContent = starter.message?.embeds?.[0]?.title || starter.message?.content || "";
  }
}

// simcord draws the chip under a prompt ("<thread name> · N messages") and a <#channel> mention as
// plain labels: make those naming a listed channel links to it.
const LINKABLE = ".thread-summary, .mention";

function keyFor(label) {
  const channels = navigation?.channels || [];
  if (label.classList.contains("thread-summary")) {
    const id = label.closest("[data-message-id]")?.dataset.messageId;  // a thread opened from a message has its id
    return channels.find((channel) => channel.thread && channel.id === id)?.key;
  }
  const text = label.textContent || "";  // mentions carry only their label: "#name", newest channel first
  return text.startsWith("#") ? channels.find((channel) => `#${channel.name}` === text)?.key : undefined;
}

function markChips() {
  for (const label of document.querySelectorAll(LINKABLE)) {
    const key = keyFor(label);
    if (Boolean(key) === label.classList.contains("filmbot-thread-link")) continue;
    label.classList.toggle("filmbot-thread-link", Boolean(key));
    if (key) {
      label.setAttribute("role", "link");
      label.tabIndex = 0;
      label.title = "Open the channel";
    }
  }
}

function activate(event) {
  const label = event.target instanceof Element ? event.target.closest(LINKABLE) : null;
  const key = label ? keyFor(label) : undefined;
  if (!key) return;
  event.preventDefault();
  open(key);
}
document.addEventListener("click", activate);
document.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") activate(event); });
// simcord re-renders messages as states arrive; mark the chips it draws.
new MutationObserver(() => { if (navigation) markChips(); })
  .observe(document.documentElement, { childList: true, subtree: true });
