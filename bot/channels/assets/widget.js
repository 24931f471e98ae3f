/*
 * Health Net ECM chat widget. Embed with one tag:
 *   <script src="https://ASSISTANT/webhooks/web/widget.js" defer></script>
 * Optional attributes: data-server (assistant origin, default: the script's),
 * data-idle-warning-seconds (default 1500), data-idle-end-seconds (default 1800);
 * or window.ECM_WIDGET_OPTIONS = {idleWarningSeconds, idleEndSeconds} before it.
 * Accessible by design: WCAG 2.1 AA (log region, alerts, keyboard, focus, reflow).
 * Member text is always rendered as text, never as HTML.
 * The conversation is the server's: it issues the id in an HttpOnly cookie and
 * this script only sends credentials along (a page on another origin must be in
 * the assistant's WEB_ALLOWED_ORIGINS). The browser keeps no id and no text.
 */
(function () {
  "use strict";
  if (window.__ecmWidget) return;
  window.__ecmWidget = true;

  var script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  var server = (script && script.getAttribute("data-server")) ||
    (script ? new URL(script.src, location.href).origin : location.origin);
  var options = window.ECM_WIDGET_OPTIONS || {};
  function setting(attr, key, fallback) {
    return Number(options[key] || (script && script.getAttribute(attr)) || fallback);
  }
  var warnAfter = setting("data-idle-warning-seconds", "idleWarningSeconds", 1500) * 1000;
  var endAfter = setting("data-idle-end-seconds", "idleEndSeconds", 1800) * 1000;
  var ALERT_RESPONSES = ["utter_crisis", "utter_emergency", "utter_urgent_need"];
  var LABELS = {
    en: { launcher: "Chat about ECM", title: "Health Net ECM helper", restart: "Start over",
      close: "Close", closeLabel: "Close chat", message: "Your message", send: "Send",
      note: "This chat is not private. Share only what you are okay with. For an emergency, call 911.",
      typing: "The helper is typing...", log: "Chat messages", you: "You said: ",
      helper: "Helper said: ", choices: "Choices", empty: "Please type a message first.",
      unreachable: "Sorry, we could not reach the helper. Your message was not lost.",
      retry: "Try again", loadFailed: "Sorry, we could not load your chat.",
      idle: "Are you still there? For your privacy, this chat will end soon. ",
      stay: "Keep chatting",
      ended: "Your chat ended after a long pause, for your privacy. You can start again." },
    es: { launcher: "Chat sobre ECM", title: "Asistente de ECM de Health Net",
      restart: "Empezar de nuevo", close: "Cerrar", closeLabel: "Cerrar el chat",
      message: "Su mensaje", send: "Enviar",
      note: "Este chat no es privado. Comparta solo lo que le parezca bien. En una emergencia, llame al 911.",
      typing: "El asistente está escribiendo...", log: "Mensajes del chat",
      you: "Usted dijo: ", helper: "El asistente dijo: ", choices: "Opciones",
      empty: "Primero escriba un mensaje.",
      unreachable: "Lo sentimos, no pudimos comunicarnos con el asistente. Su mensaje no se perdió.",
      retry: "Intentar de nuevo", loadFailed: "Lo sentimos, no pudimos cargar su chat.",
      idle: "¿Sigue ahí? Por su privacidad, este chat terminará pronto. ",
      stay: "Seguir en el chat",
      ended: "Su chat terminó después de una pausa larga, por su privacidad. Puede empezar de nuevo." }
  };
  var lang = ((script && script.getAttribute("data-lang")) ||
    document.documentElement.lang || "en").slice(0, 2) === "es" ? "es" : "en";
  function t(key) { return LABELS[lang][key]; }
  var KEY_OPEN = "ecmChatOpen";

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = server + "/webhooks/web/widget.css";
  document.head.appendChild(css);

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The assistant's web API: the conversation cookie goes along, even cross-origin.
  function api(path, body) {
    var init = { method: body ? "POST" : "GET", credentials: "include" };
    if (body) {
      init.headers = { "Content-Type": "application/json" };
      init.body = JSON.stringify(body);
    }
    return fetch(server + "/webhooks/web/" + path, init).then(function (r) {
      if (!r.ok) throw new Error("status " + r.status);
      return r.json();
    });
  }
  // "Start over" asks for a new conversation; messages wait for that answer.
  var fresh = Promise.resolve();

  // ---- the widget's parts
  var root = el("div", { "class": "ecm-widget", "lang": lang });
  var launcher = el("button", { "type": "button", "class": "ecm-launcher",
    "aria-expanded": "false", "aria-controls": "ecm-panel" }, t("launcher"));
  var panel = el("section", { "id": "ecm-panel", "class": "ecm-panel", "role": "dialog",
    "aria-modal": "false", "aria-labelledby": "ecm-title", "hidden": "" });
  var header = el("div", { "class": "ecm-header" });
  var title = el("h2", { "id": "ecm-title", "class": "ecm-title" }, t("title"));
  var restart = el("button", { "type": "button", "class": "ecm-secondary" }, t("restart"));
  var close = el("button", { "type": "button", "class": "ecm-secondary",
    "aria-label": t("closeLabel") }, t("close"));
  header.append(title, restart, close);
  var note = el("p", { "class": "ecm-note" }, t("note"));
  var log = el("div", { "class": "ecm-log", "role": "log", "aria-live": "polite",
    "aria-label": t("log"), "tabindex": "0" });
  var typing = el("p", { "class": "ecm-typing", "hidden": "" }, t("typing"));
  var alertBox = el("div", { "class": "ecm-alert", "role": "alert" });
  var form = el("form", { "class": "ecm-form" });
  var label = el("label", { "for": "ecm-input", "class": "ecm-label" }, t("message"));
  var input = el("textarea", { "id": "ecm-input", "class": "ecm-input", "rows": "2",
    "maxlength": "1000", "autocomplete": "off" });
  var send = el("button", { "type": "submit", "class": "ecm-send" }, t("send"));
  form.append(label, input, send);
  panel.append(header, note, log, typing, alertBox, form);
  root.append(launcher, panel);

  // ---- rendering (textContent only)
  function telLink(custom) {
    var a = el("a", { "class": "ecm-tel", "href": "tel:" + String(custom.number || "") },
      custom.label || custom.number);
    return a;
  }

  function setLanguage(next) {
    if (next !== "en" && next !== "es") return;
    if (next === lang) return;
    lang = next;
    root.setAttribute("lang", lang);
    launcher.textContent = t("launcher");
    title.textContent = t("title");
    restart.textContent = t("restart");
    close.textContent = t("close");
    close.setAttribute("aria-label", t("closeLabel"));
    note.textContent = t("note");
    typing.textContent = t("typing");
    label.textContent = t("message");
    send.textContent = t("send");
    log.setAttribute("aria-label", t("log"));
    idleText.textContent = t("idle");
    stay.textContent = t("stay");
  }

  function addMessage(item) {
    if (item.from !== "member" && item.lang) setLanguage(item.lang);
    var who = item.from === "member" ? "member" : "assistant";
    var wrap = el("div", { "class": "ecm-msg ecm-" + who });
    if (item.lang) wrap.setAttribute("lang", item.lang);
    var speaker = el("span", { "class": "ecm-visually-hidden" },
      who === "member" ? t("you") : t("helper"));
    wrap.appendChild(speaker);
    if (item.text) {
      String(item.text).split("\n").forEach(function (line, i) {
        if (i) wrap.appendChild(el("br"));
        wrap.appendChild(document.createTextNode(line));
      });
    }
    if (item.custom && item.custom.type === "tel") wrap.appendChild(telLink(item.custom));
    if (item.response && ALERT_RESPONSES.indexOf(item.response) >= 0) {
      wrap.setAttribute("role", "alert");
      wrap.classList.add("ecm-urgent");
    }
    log.appendChild(wrap);
    if (item.buttons && item.buttons.length) {
      var group = el("div", { "class": "ecm-choices", "role": "group",
        "aria-label": t("choices") });
      item.buttons.forEach(function (b) {
        var choice = el("button", { "type": "button", "class": "ecm-choice" }, b.title);
        if (item.lang) choice.setAttribute("lang", item.lang);
        choice.addEventListener("click", function () {
          talk(b.payload, b.title);
        });
        group.appendChild(choice);
      });
      log.appendChild(group);
    }
    log.scrollTop = log.scrollHeight;
  }

  function showError(message, retry) {
    alertBox.textContent = "";
    if (!message) return;
    alertBox.appendChild(el("span", {}, message + " "));
    if (retry) {
      var again = el("button", { "type": "button", "class": "ecm-secondary" }, t("retry"));
      again.addEventListener("click", retry);
      alertBox.appendChild(again);
    }
  }

  // ---- talking to the assistant
  var busy = false;
  function talk(message, shown) {
    if (busy) return;
    busy = true;
    touch();
    showError("");
    addMessage({ from: "member", text: shown || message });
    var sentMessage = message;
    var shownMessage = shown;
    typing.hidden = false;
    send.disabled = true;
    fresh.then(function () {
      return api("message", { message: message });
    }).then(function (replies) {
      replies.forEach(function (reply) {
        addMessage({ from: "assistant", text: reply.text, buttons: reply.buttons,
          custom: reply.custom, response: reply.response, lang: reply.lang });
      });
    }).catch(function () {
      // keep what the member typed: put it back and offer to try again
      log.removeChild(log.lastChild);
      if (!shownMessage) input.value = sentMessage;
      showError(t("unreachable"), function () {
        showError("");
        var text = input.value.trim() || sentMessage;
        if (!shownMessage) input.value = "";
        talk(shownMessage ? sentMessage : text, shownMessage);
      });
    }).then(function () {
      busy = false;
      typing.hidden = true;
      send.disabled = false;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) {
      showError(t("empty"));
      input.focus();
      return;
    }
    input.value = "";
    talk(text);
    input.focus();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit"));
    }
  });

  function loadHistory() {
    return api("history")
      .then(function (data) {
        log.textContent = "";
        (data.messages || []).forEach(addMessage);
      })
      .catch(function () { showError(t("loadFailed")); });
  }

  // ---- open and close
  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    sessionStorage.setItem(KEY_OPEN, "1");
    input.focus();
    touch();
  }
  function shut() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    sessionStorage.removeItem(KEY_OPEN);
    launcher.focus();
  }
  function startOver() {
    fresh = api("session", {}).catch(function () {});
    log.textContent = "";
    showError("");
    hideIdle();
    input.value = "";
    input.focus();
  }
  launcher.addEventListener("click", function () { panel.hidden ? open() : shut(); });
  close.addEventListener("click", shut);
  restart.addEventListener("click", startOver);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") shut();
  });

  // ---- idle timeout: warn first, let the member stay, then end for privacy
  var idleWarning = el("div", { "class": "ecm-idle", "role": "alert", "hidden": "" });
  var idleText = el("span", {}, t("idle"));
  var stay = el("button", { "type": "button", "class": "ecm-secondary" }, t("stay"));
  idleWarning.append(idleText, stay);
  panel.insertBefore(idleWarning, form);
  var warnTimer = null;
  var endTimer = null;
  function hideIdle() { idleWarning.hidden = true; }
  function touch() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    hideIdle();
    warnTimer = setTimeout(function () {
      idleWarning.hidden = false;
      stay.focus();
    }, warnAfter);
    endTimer = setTimeout(function () {
      startOver();
      showError(t("ended"));
    }, endAfter);
  }
  stay.addEventListener("click", function () { touch(); input.focus(); });
  input.addEventListener("input", touch);

  function mount() {
    document.body.appendChild(root);
    loadHistory().then(function () {
      if (sessionStorage.getItem(KEY_OPEN)) open();
    });
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
