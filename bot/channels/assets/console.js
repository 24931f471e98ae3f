/* The agent console's page logic. Everything shown is set as text, never HTML. */
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var idleMinutes = Number(document.querySelector('meta[name="idle-minutes"]').content) || 15;
  var conversation = String(Date.now());
  var lastUse = Date.now();  // the server renews the session on every request

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function api(method, path, body) {
    lastUse = Date.now();
    return fetch("/webhooks/console/api/" + path, {
      method: method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: body ? JSON.stringify(body) : undefined
    }).then(function (r) {
      return r.json().then(function (data) { data._status = r.status; return data; });
    });
  }

  // Try a message
  var tryResult = document.getElementById("try-result");
  document.getElementById("try-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var message = document.getElementById("try-message").value;
    tryResult.textContent = "Asking the assistant...";
    api("POST", "try", { message: message, conversation: conversation }).then(function (data) {
      tryResult.textContent = "";
      if (data.error) { tryResult.appendChild(el("p", data.error, "fail")); return; }
      var meta = el("p", "", "meta");
      meta.appendChild(el("span", "Intent: "));
      meta.appendChild(el("strong", data.intent, "try-intent"));
      meta.appendChild(el("span", " (confidence " + Number(data.confidence || 0).toFixed(2) + ")"
        + (data.safety_screen ? " - safety screen: " + data.safety_screen : "")));
      tryResult.appendChild(meta);
      tryResult.appendChild(el("h3", "On the web"));
      data.web.forEach(function (m) {
        var b = el("div", m.text || (m.custom ? JSON.stringify(m.custom) : ""), "bubble");
        if (m.response) b.appendChild(el("div", "Script: " + m.response, "meta try-key"));
        (m.buttons || []).forEach(function (btn) { b.appendChild(el("div", "[" + btn.title + "]", "meta")); });
        tryResult.appendChild(b);
      });
      tryResult.appendChild(el("h3", "By text message (SMS)"));
      data.sms.forEach(function (t) { tryResult.appendChild(el("div", t, "bubble sms")); });
      tryResult.appendChild(el("h3", "Flyer source"));
      Object.keys(data.sources).forEach(function (key) {
        tryResult.appendChild(el("p", key, "meta"));
        data.sources[key].forEach(function (p) { tryResult.appendChild(el("blockquote", p, "try-source")); });
      });
    });
  });
  document.getElementById("try-reset").addEventListener("click", function () {
    conversation = String(Date.now());
    tryResult.textContent = "New conversation started.";
  });

  // Scripted-answer checks
  var checksResult = document.getElementById("checks-result");
  document.getElementById("run-checks").addEventListener("click", function () {
    checksResult.textContent = "Running...";
    api("POST", "checks").then(function (data) {
      checksResult.textContent = "";
      checksResult.appendChild(el("p", data.passed + " passed, " + data.failed + " failed",
        data.failed ? "fail checks-summary" : "pass checks-summary"));
      var table = el("table");
      var head = el("tr");
      ["Result", "Member message", "Expected", "Reply"].forEach(function (h) { head.appendChild(el("th", h)); });
      table.appendChild(head);
      data.results.forEach(function (r) {
        var row = el("tr");
        row.appendChild(el("td", r.passed ? "pass" : "FAIL: " + r.problems.join("; "), r.passed ? "pass" : "fail"));
        row.appendChild(el("td", r.message));
        row.appendChild(el("td", [r.expect].concat(r.contains || []).filter(Boolean).join(", ")));
        row.appendChild(el("td", r.reply));
        table.appendChild(row);
      });
      checksResult.appendChild(table);
    });
  });

  // Idle timeout: a notice 2 minutes before the server ends the session, with a way to stay
  var notice = document.getElementById("idle-notice");
  document.getElementById("stay-signed-in").addEventListener("click", function () {
    api("POST", "keepalive").then(function (data) {
      if (data._status === 200) { notice.hidden = true; } else { location.href = "/webhooks/console/login"; }
    });
  });
  setInterval(function () {
    var idle = (Date.now() - lastUse) / 60000;
    if (idle >= idleMinutes) {
      document.getElementById("idle-text").textContent = "You were signed out because the console was not used.";
      document.getElementById("stay-signed-in").hidden = true;
      notice.hidden = false;
    } else if (idle >= idleMinutes - 2 && notice.hidden) {
      notice.hidden = false;
      document.getElementById("stay-signed-in").focus();
    }
  }, 10000);

  // Worksheet look-up (supervisors)
  var lookupResult = document.getElementById("lookup-result");
  if (lookupResult) document.getElementById("lookup-form").addEventListener("submit", function (e) {
    e.preventDefault();
    lookupResult.textContent = "Looking up...";
    api("POST", "lookup", { code: document.getElementById("lookup-code").value }).then(function (data) {
      lookupResult.textContent = "";
      if (data.error) { lookupResult.appendChild(el("p", data.error, "fail")); return; }
      lookupResult.appendChild(el("p", data.code + " - " + data.channel + " - " + data.created_at
        + (data.complete ? "" : " - not all questions answered"), "meta lookup-head"));
      var table = el("table");
      data.answers.forEach(function (a) {
        var row = el("tr");
        row.appendChild(el("th", a.question));
        row.appendChild(el("td", a.answer));
        table.appendChild(row);
      });
      lookupResult.appendChild(table);
    });
  });

  // Audit log (supervisors)
  var auditResult = document.getElementById("audit-result");
  if (auditResult) document.getElementById("show-audit").addEventListener("click", function () {
    auditResult.textContent = "Loading...";
    api("GET", "audit").then(function (data) {
      auditResult.textContent = "";
      if (data.error) { auditResult.appendChild(el("p", data.error, "fail")); return; }
      var table = el("table");
      var head = el("tr");
      ["When (UTC)", "Who", "What", "Result", "From", "Details"].forEach(function (h) { head.appendChild(el("th", h)); });
      table.appendChild(head);
      data.entries.forEach(function (e) {
        var row = el("tr", "", "audit-row");
        [e.at, e.actor, e.action, e.result, e.client_address || "", JSON.stringify(e.details)].forEach(function (v) {
          row.appendChild(el("td", v));
        });
        table.appendChild(row);
      });
      auditResult.appendChild(table);
    });
  });

  // Accounts (supervisors)
  var accountsResult = document.getElementById("accounts-result");
  var accountMessage = document.getElementById("account-message");
  function showAccounts() {
    api("GET", "accounts").then(function (data) {
      accountsResult.textContent = "";
      var table = el("table");
      var head = el("tr");
      ["Account", "Role", "State", "Change"].forEach(function (h) { head.appendChild(el("th", h)); });
      table.appendChild(head);
      (data.accounts || []).forEach(function (a) {
        var row = el("tr", "", "account-row");
        row.appendChild(el("td", a.username));
        row.appendChild(el("td", a.role));
        row.appendChild(el("td", a.disabled ? "disabled" : "active"));
        var cell = el("td");
        [[a.disabled ? "enable" : "disable", a.disabled ? "Enable " : "Disable "],
         ["role", a.role === "supervisor" ? "Make agent: " : "Make supervisor: "]].forEach(function (c) {
          var b = el("button", c[1] + a.username);
          b.type = "button";
          b.addEventListener("click", function () {
            var value = c[0] === "role" ? (a.role === "supervisor" ? "agent" : "supervisor") : "";
            api("POST", "accounts/change", { username: a.username, action: c[0], value: value }).then(function (r) {
              accountMessage.textContent = r.error || ("Changed " + a.username + ".");
              showAccounts();
            });
          });
          cell.appendChild(b);
        });
        row.appendChild(cell);
        table.appendChild(row);
      });
      accountsResult.appendChild(table);
    });
  }
  if (accountsResult) {
    showAccounts();
    document.getElementById("account-form").addEventListener("submit", function (e) {
      e.preventDefault();
      var name = document.getElementById("account-name").value;
      api("POST", "accounts", {
        username: name,
        password: document.getElementById("account-password").value,
        role: document.getElementById("account-role").value
      }).then(function (r) {
        accountMessage.textContent = r.error || ("Created " + name + ".");
        document.getElementById("account-password").value = "";
        showAccounts();
      });
    });
  }

  // Catalog
  var catalog = document.getElementById("catalog");
  var items = [];
  function showCatalog(filter) {
    catalog.textContent = "";
    var f = (filter || "").toLowerCase();
    items.filter(function (it) {
      return !f || JSON.stringify(it).toLowerCase().indexOf(f) >= 0;
    }).forEach(function (it) {
      var block = el("div", "", "catalog-item");
      block.appendChild(el("h3", it.key));
      it.variations.forEach(function (v) {
        var label = v.language + (v.channel ? " / " + v.channel : "");
        var p = el("div", v.text, "bubble");
        p.setAttribute("lang", v.language);
        p.appendChild(el("div", label, "meta"));
        block.appendChild(p);
      });
      it.sources.forEach(function (s) { block.appendChild(el("blockquote", s)); });
      catalog.appendChild(block);
    });
  }
  api("GET", "catalog").then(function (data) { items = data.responses || []; showCatalog(""); });
  document.getElementById("catalog-search").addEventListener("input", function (e) { showCatalog(e.target.value); });
})();
