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

// The chip under a prompt ("<thread name> · N messages") is simcord's plain label: make it a link.
function threadKey(chip) {
  const message = chip.closest("[data-message-id]");
  const id = message?.dataset.messageId;  // a thread opened from a message has the message's id
  return (navigation?.channels || []).find((channel) => channel.thread && channel.id === id)?.key;
}

function markChips() {
  for (const chip of document.querySelectorAll(".thread-summary")) {
    const key = threadKey(chip);
    chip.classList.toggle("filmbot-thread-link", Boolean(key));
    if (key) {
      chip.setAttribute("role", "link");
      chip.tabIndex = 0;
      chip.title = "Open the thread";
    }
  }
}

document.addEventListener("click", (event) => {
  const chip = event.target instanceof Element ? event.target.closest(".thread-summary") : null;
  if (chip) open(threadKey(chip));
});
document.addEventListener("keydown", (event) => {
  const chip = event.target instanceof Element ? event.target.closest(".thread-summary") : null;
  if (chip && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); open(threadKey(chip)); }
});
// simcord re-renders messages as states arrive; mark the chips it draws.
new MutationObserver(() => { if (navigation) markChips(); })
  .observe(document.documentElement, { childList: true, subtree: true });
