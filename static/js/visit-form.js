// The visit form, made for a phone on site: searchable pickers, red-flag details, and a record
// that is not lost when the connection drops.
//
// - Every change is kept in this phone's localStorage, keyed by the form's client_token.
// - A draft is saved to the server (POST /visits/autosave/, the same fields) every 20 seconds and
//   when the page is hidden, whenever something changed; the copy on the phone is cleared once the
//   server has it. A double save is one visit: the server recognises the client_token.
// - When the form opens and the phone holds a copy that the server has not got, the fields are
//   restored from it and a notice says so.
// - The visit page clears the copy of a record that was submitted.
// No inline script: messages come from a JSON block rendered by the page.
(function () {
  "use strict";

  var PREFIX = "qifu.visit.";
  var INTERVAL_MS = 20000;
  var KEEP_DAYS = 14;
  var SKIPPED = { csrfmiddlewaretoken: true, client_token: true, visit: true, action: true };

  // --- storage on the phone ---------------------------------------------------------------------

  function storage() {
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }

  var store = storage();

  function entries() {
    var found = [];
    if (!store) { return found; }
    for (var i = 0; i < store.length; i++) {
      var key = store.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        try {
          var entry = JSON.parse(store.getItem(key));
          if (entry && entry.token) { found.push(entry); }
        } catch (e) {
          store.removeItem(key);
        }
      }
    }
    return found;
  }

  function put(entry) {
    if (!store || !entry.token) { return; }
    try {
      store.setItem(PREFIX + entry.token, JSON.stringify(entry));
    } catch (e) {
      // full or refused: the server copy is all there is
    }
  }

  function drop(token) {
    if (store && token) { store.removeItem(PREFIX + token); }
  }

  function prune() {
    var limit = Date.now() - KEEP_DAYS * 24 * 3600 * 1000;
    entries().forEach(function (entry) {
      if (!entry.changedAt || entry.changedAt < limit) { drop(entry.token); }
    });
  }

  // --- the visit page: a submitted record has arrived --------------------------------------------

  var saved = document.querySelector("[data-visit-saved]");
  if (saved) {
    var savedId = saved.getAttribute("data-visit-id");
    var savedToken = saved.getAttribute("data-client-token");
    entries().forEach(function (entry) {
      var same = (savedToken && entry.token === savedToken) ||
        (savedId && String(entry.visitId) === savedId);
      if (same && entry.submitted) { drop(entry.token); }
    });
  }

  // --- searchable pickers (officials, enterprises) -----------------------------------------------

  function text(node) {
    return (node.textContent || "").replace(/\s+/g, " ").trim();
  }

  function setUpPicker(picker) {
    var filter = picker.querySelector("[data-picker-filter]");
    var items = Array.prototype.slice.call(picker.querySelectorAll("[data-picker-item]"));
    var chosen = picker.querySelector("[data-picker-chosen]");
    var none = picker.querySelector("[data-picker-none]");

    function label(item) {
      var node = item.querySelector("label");
      return node ? text(node) : "";
    }

    function showChosen() {
      if (!chosen) { return; }
      chosen.textContent = "";
      items.forEach(function (item) {
        var box = item.querySelector("input");
        if (!box || !box.checked) { return; }
        var chip = document.createElement("button");
        chip.type = "button";
        chip.className = "btn btn-sm btn-danger rounded-pill";
        chip.textContent = label(item) + " ×";
        chip.addEventListener("click", function () {
          box.checked = false;
          box.dispatchEvent(new Event("change", { bubbles: true }));
        });
        chosen.appendChild(chip);
      });
    }

    function applyFilter() {
      var wanted = (filter.value || "").trim().toLowerCase();
      var shown = 0;
      items.forEach(function (item) {
        var match = !wanted || label(item).toLowerCase().indexOf(wanted) !== -1;
        item.classList.toggle("d-none", !match);
        if (match) { shown++; }
      });
      if (none) { none.classList.toggle("d-none", shown > 0); }
    }

    if (filter) {
      filter.addEventListener("input", applyFilter);
      // Enter in the filter must not submit the form
      filter.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); }
      });
    }
    picker.addEventListener("change", showChosen);
    showChosen();
    return { refresh: showChosen };
  }

  var pickers = {};
  Array.prototype.forEach.call(document.querySelectorAll("[data-picker]"), function (node) {
    pickers[node.getAttribute("data-picker")] = setUpPicker(node);
  });

  var form = document.getElementById("visit-form");
  if (!form) { return; }

  var messages = {};
  var source = document.getElementById("visit-form-messages");
  if (source) {
    try { messages = JSON.parse(source.textContent) || {}; } catch (e) { messages = {}; }
  }

  function say(key, values) {
    var message = messages[key] || "";
    Object.keys(values || {}).forEach(function (name) {
      message = message.replace("%(" + name + ")s", values[name]);
    });
    return message;
  }

  var status = form.querySelector("[data-autosave-status]");
  function showStatus(message, tone) {
    if (!status) { return; }
    status.textContent = message;
    status.classList.remove("text-danger", "text-success", "text-warning-emphasis");
    if (tone) { status.classList.add(tone); }
  }

  // --- red flags: details when ticked; which enterprise, when several were met ------------------

  function enterprisesTicked() {
    var ticked = [];
    Array.prototype.forEach.call(
      form.querySelectorAll("input[name='enterprises']:checked"),
      function (box) {
        var node = form.querySelector("label[for='" + box.id + "']");
        var name = node ? text(node).replace(/（[^）]*）$/, "") : box.value;
        ticked.push({ id: box.value, name: name });
      }
    );
    return ticked;
  }

  function refreshFlags() {
    var ticked = enterprisesTicked();
    Array.prototype.forEach.call(form.querySelectorAll("[data-flag]"), function (row) {
      var tick = row.querySelector("[data-flag-tick]");
      var details = row.querySelector("[data-flag-details]");
      if (details && tick) { details.classList.toggle("d-none", !tick.checked); }
      var holder = row.querySelector("[data-flag-enterprise]");
      var select = holder ? holder.querySelector("select") : null;
      if (!select) { return; }
      var current = select.value;
      while (select.options.length > 1) { select.remove(1); }
      ticked.forEach(function (item) {
        var option = new Option(item.name, item.id, false, item.id === current);
        select.add(option);
      });
      holder.classList.toggle("d-none", ticked.length < 2);
    });
  }

  // --- photos and files chosen ------------------------------------------------------------------

  function refreshFiles() {
    var note = form.querySelector("[data-visit-files-chosen]");
    if (!note) { return; }
    var names = [];
    Array.prototype.forEach.call(form.querySelectorAll("[data-visit-files]"), function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) { names.push(file.name); });
    });
    if (names.length) {
      note.textContent = say("files", { n: names.length }) + " " + names.join("、");
    }
  }

  // --- the fields, as kept on the phone ----------------------------------------------------------

  function fields() {
    var pairs = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIPPED[el.name] || el.disabled || el.type === "file") { return; }
      if (el.type === "submit" || el.type === "button") { return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { pairs.push([el.name, o.value]); });
        return;
      }
      pairs.push([el.name, el.value]);
    });
    return pairs;
  }

  function restore(pairs) {
    var values = {};
    pairs.forEach(function (pair) {
      (values[pair[0]] = values[pair[0]] || []).push(pair[1]);
    });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIPPED[el.name] || el.type === "file" || el.type === "submit") { return; }
      var given = values[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = given.indexOf(el.value) !== -1;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = given.indexOf(o.value) !== -1; });
      } else if (el.tagName === "SELECT" && given.length &&
                 !Array.prototype.some.call(el.options, function (o) { return o.value === given[0]; })) {
        // a flag's enterprise: its options follow the ticked enterprises
        el.add(new Option(given[0], given[0], true, true));
      } else {
        el.value = given.length ? given[0] : "";
      }
    });
    Object.keys(pickers).forEach(function (name) { pickers[name].refresh(); });
    refreshFlags();
  }

  var tokenInput = form.querySelector("input[name='client_token']");
  var visitId = form.getAttribute("data-visit-id") || "";
  var updatedAt = Date.parse(form.getAttribute("data-updated-at") || "") || 0;
  var autosaveOn = form.getAttribute("data-autosave") === "on";
  var url = form.getAttribute("data-autosave-url");

  function token() { return tokenInput ? tokenInput.value : ""; }

  function keep(extra) {
    var entry = {
      token: token(),
      visitId: visitId,
      editUrl: visitId ? window.location.pathname : "",
      fields: fields(),
      changedAt: Date.now(),
      submitted: false
    };
    Object.keys(extra || {}).forEach(function (k) { entry[k] = extra[k]; });
    put(entry);
    return entry;
  }

  // --- on opening: restore what the server has not got -------------------------------------------

  prune();
  var rendered = JSON.stringify(fields());
  var all = entries();
  var own = all.filter(function (e) {
    return e.token === token() || (visitId && String(e.visitId) === visitId);
  })[0];
  if (!own && !visitId) {
    own = all.filter(function (e) { return !e.visitId; })
      .sort(function (a, b) { return b.changedAt - a.changedAt; })[0];
  }
  var dirty = false;
  if (own && updatedAt && updatedAt > own.changedAt + 60000) {
    // the server holds a later save than this copy (made on another device): it wins
    drop(own.token);
    own = null;
  }
  if (own) {
    if (tokenInput && own.token !== token() && !visitId) { tokenInput.value = own.token; }
    if (JSON.stringify(own.fields) !== rendered) {
      restore(own.fields);
      dirty = true;
      var notice = document.querySelector("[data-visit-restored]");
      if (notice) { notice.classList.remove("d-none"); }
    }
    own.submitted = false;
    put(own);
  }
  if (!visitId) {
    var elsewhere = all.filter(function (e) { return e.visitId && e.editUrl && e !== own; })[0];
    var pending = document.querySelector("[data-visit-pending]");
    if (elsewhere && pending) {
      var link = pending.querySelector("[data-visit-pending-link]");
      if (link) { link.setAttribute("href", elsewhere.editUrl); }
      pending.classList.remove("d-none");
    }
  }
  var forget = document.querySelector("[data-visit-forget]");
  if (forget) {
    forget.addEventListener("click", function () {
      drop(token());
      window.location.reload();
    });
  }
  refreshFlags();

  // --- autosave ----------------------------------------------------------------------------------

  var inflight = false;
  var submitting = false;
  var stopped = !autosaveOn || !url;

  function csrf() {
    var input = form.querySelector("input[name='csrfmiddlewaretoken']");
    return input ? input.value : "";
  }

  function firstError(data) {
    if (!data) { return ""; }
    if (data.detail) { return data.detail; }
    var errors = data.errors || {};
    var keys = Object.keys(errors);
    if (!keys.length) { return ""; }
    var first = errors[keys[0]];
    first = Array.isArray(first) ? first[0] : first;
    return (first && first.message) || String(first || "");
  }

  function autosave(keepalive) {
    if (stopped || inflight || submitting || !dirty) { return; }
    if (navigator.onLine === false) {
      showStatus(say("offline"), "text-warning-emphasis");
      return;
    }
    var sent = JSON.stringify(fields());
    var body = new FormData(form);
    body.delete("photos");
    body.delete("attachments");
    body.delete("action");
    inflight = true;
    if (!keepalive) { showStatus(say("saving")); }
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "X-CSRFToken": csrf(), "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.redirected || type.indexOf("application/json") === -1) {
        showStatus(say("login"), "text-danger");
        return null;
      }
      return response.json().then(function (data) {
        if (response.ok) {
          visitId = String(data.id);
          form.setAttribute("data-visit-id", visitId);
          if (window.location.pathname !== data.edit_url && window.history.replaceState) {
            window.history.replaceState(null, "", data.edit_url);
          }
          if (JSON.stringify(fields()) === sent) {
            dirty = false;
            drop(token());
          } else {
            keep();
          }
          showStatus(say("saved", { time: data.time }), "text-success");
        } else {
          if (response.status === 409 || response.status === 403 || response.status === 404) {
            stopped = true;
          }
          showStatus(say("failed", { error: firstError(data) }), "text-danger");
        }
        return data;
      });
    }).catch(function () {
      showStatus(say("offline"), "text-warning-emphasis");
    }).then(function () {
      inflight = false;
    });
  }

  function changed() {
    dirty = true;
    keep();
    if (navigator.onLine === false) { showStatus(say("offline"), "text-warning-emphasis"); }
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.name === "enterprises") { refreshFlags(); }
    if (target && target.hasAttribute && target.hasAttribute("data-flag-tick")) { refreshFlags(); }
    if (target && target.hasAttribute && target.hasAttribute("data-visit-files")) {
      refreshFiles();
      return;
    }
    changed();
  });

  form.addEventListener("submit", function (event) {
    if (submitting) {
      event.preventDefault();
      return;
    }
    submitting = true;
    keep({ submitted: true });
    var buttons = form.querySelectorAll("button[type='submit']");
    window.setTimeout(function () {
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    }, 0);
    window.setTimeout(function () {
      // the page did not go away (no connection): let the official try again
      submitting = false;
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
    }, 15000);
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      // back from the visit page to this form (the browser's page cache): usable again
      submitting = false;
      Array.prototype.forEach.call(form.querySelectorAll("button[type='submit']"), function (b) {
        b.disabled = false;
      });
    }
  });
  window.setInterval(function () { autosave(false); }, INTERVAL_MS);
  window.addEventListener("online", function () { autosave(false); });
  window.addEventListener("offline", function () {
    if (dirty) { showStatus(say("offline"), "text-warning-emphasis"); }
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { autosave(true); }
  });
  window.addEventListener("pagehide", function () { autosave(true); });

  if (dirty && !stopped) {
    showStatus(say("restored"), "text-warning-emphasis");
    autosave(false);
  }
})();
