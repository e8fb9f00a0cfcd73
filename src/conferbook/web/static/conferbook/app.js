/* Conferbook's small scripts. No build step; loaded with `defer` on every page.
 *
 * Autosave on the conference screen is durable: every keystroke is written to
 * localStorage at once, then sent after a short pause. A field leaves localStorage only
 * when the server has acknowledged exactly that text, so closing the tab, reloading or
 * losing the network never loses typing; on the next load the pending text is put back
 * and sent again. Each save is compare-and-set ("previous" is the text the browser
 * last knew was saved), so a retried save is harmless and an edit made in another tab
 * is never overwritten silently.
 */
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  /* Start buttons carry an id made once per page, so a double tap opens one conference. */
  function fillClientIds() {
    document.querySelectorAll("input[data-client-id]").forEach(function (input) {
      if (!input.value) input.value = newId();
    });
  }

  /* ---------- durable autosave ---------- */
  function Autosave(form) {
    this.form = form;
    this.url = form.dataset.saveUrl;
    this.key = "conferbook:pending:" + form.dataset.conference;
    this.revisionKey = "conferbook:revision:" + form.dataset.conference;
    this.status = document.querySelector("[data-save-status]");
    this.timers = {};
    this.inflight = {};
    this.fields = {};
    var self = this;
    if (this.staleRender(parseInt(form.dataset.revision, 10))) return;
    form.querySelectorAll("[data-autosave]").forEach(function (el) {
      self.fields[el.name] = el;
      // What the server holds: the hidden "previous_" input the server rendered (also what
      // Finish sends for its compare-and-set). el.value may be the browser's own
      // restoration of what was typed before a reload.
      var hidden = form.querySelector('[data-previous-for="' + el.name + '"]');
      el.dataset.saved = hidden ? hidden.value : el.defaultValue;
      el.addEventListener("input", function () { self.changed(el); });
    });
    this.restore();
    for (var name in this.fields) {
      var el = this.fields[name];
      // data-hold: the server showed a conflict; wait for the teacher to edit this one.
      if (el.value !== el.dataset.saved && !this.load()[name] && !el.hasAttribute("data-hold")) {
        this.changed(el);
      }
    }
    window.addEventListener("online", function () { self.flushAll(); });
    window.addEventListener("offline", function () { self.show("offline"); });
    window.addEventListener("pagehide", function () { self.flushAll(true); });
    setInterval(function () { if (self.hasPending()) self.flushAll(); }, 5000);
  }

  Autosave.prototype.load = function () {
    try { return JSON.parse(localStorage.getItem(this.key) || "{}"); } catch (e) { return {}; }
  };
  Autosave.prototype.store = function (pending) {
    try {
      if (Object.keys(pending).length) localStorage.setItem(this.key, JSON.stringify(pending));
      else localStorage.removeItem(this.key);
    } catch (e) { /* storage full or blocked: the network save still runs */ }
  };
  /* A save acknowledged just before a reload can land after the reload's page was built.
   * The page then shows older text than the server holds: fetch it again (once). */
  Autosave.prototype.staleRender = function (pageRevision) {
    var known = 0;
    try { known = parseInt(localStorage.getItem(this.revisionKey) || "0", 10); } catch (e) { return false; }
    if (!(known > pageRevision)) return false;
    var guard = "conferbook:reloaded:" + this.form.dataset.conference;
    if (sessionStorage.getItem(guard) === String(known)) return false;
    sessionStorage.setItem(guard, String(known));
    window.location.reload();
    return true;
  };

  Autosave.prototype.hasPending = function () { return Object.keys(this.load()).length > 0; };

  Autosave.prototype.changed = function (el) {
    var pending = this.load();
    pending[el.name] = { value: el.value, previous: el.dataset.saved };
    this.store(pending);
    this.show("typing");
    var self = this;
    clearTimeout(this.timers[el.name]);
    this.timers[el.name] = setTimeout(function () { self.send(el.name); }, 700);
  };

  Autosave.prototype.restore = function () {
    var pending = this.load();
    var changed = false;
    for (var name in pending) {
      var el = this.fields[name];
      if (!el) { delete pending[name]; changed = true; continue; }
      if (pending[name].value === el.dataset.saved) { delete pending[name]; changed = true; continue; }
      el.value = pending[name].value;  // the server never got this text: put it back
    }
    if (changed) this.store(pending);
    if (Object.keys(pending).length) { this.show("restored"); this.flushAll(); }
  };

  Autosave.prototype.flushAll = function (leaving) {
    var pending = this.load();
    for (var name in pending) this.send(name, leaving);
  };

  Autosave.prototype.send = function (name, leaving) {
    var entry = this.load()[name];
    if (!entry || this.inflight[name]) return;
    var body = new URLSearchParams({ field: name, value: entry.value, previous: entry.previous });
    var self = this;
    this.inflight[name] = true;
    this.show("saving");
    fetch(this.url, {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      credentials: "same-origin",
      keepalive: !!leaving,
    }).then(function (response) {
      self.inflight[name] = false;
      if (response.redirected && response.url.indexOf("/login/") !== -1) {
        return self.show("signed-out");  // the session ended: keep the text on the device
      }
      if (response.ok) {
        return response.json().then(function (data) {
          self.remember(data.revision);
          self.acknowledged(name, entry.value);
        });
      }
      if (response.status === 409) return response.json().then(function (data) { self.conflict(name, data.server_value); });
      self.show(response.status === 401 || response.status === 403 ? "signed-out" : "error");
    }).catch(function () {
      self.inflight[name] = false;
      self.show(navigator.onLine === false ? "offline" : "error");
    });
  };

  Autosave.prototype.remember = function (revision) {
    try {
      var known = parseInt(localStorage.getItem(this.revisionKey) || "0", 10);
      if (revision > known) localStorage.setItem(this.revisionKey, String(revision));
    } catch (e) { /* storage blocked: only the stale-render check is lost */ }
  };

  Autosave.prototype.setSaved = function (el, value) {
    el.dataset.saved = value;
    var hidden = this.form.querySelector('[data-previous-for="' + el.name + '"]');
    if (hidden) hidden.value = value;
  };

  Autosave.prototype.acknowledged = function (name, value) {
    var el = this.fields[name];
    this.setSaved(el, value);
    var pending = this.load();
    if (pending[name] && pending[name].value === value) delete pending[name];
    else if (pending[name]) { pending[name].previous = value; this.send(name); }
    this.store(pending);
    if (!Object.keys(pending).length) this.show("saved");
  };

  Autosave.prototype.conflict = function (name, serverValue) {
    var el = this.fields[name];
    var mine = el.value;
    var pending = this.load();
    delete pending[name];
    this.store(pending);
    this.setSaved(el, serverValue);
    this.show("conflict");
    var box = document.createElement("div");
    box.className = "conflict-box";
    box.setAttribute("role", "alert");
    var p = document.createElement("p");
    p.textContent = "This note was changed in another tab or device. Both versions are kept below; choose one.";
    var theirs = document.createElement("blockquote");
    theirs.textContent = serverValue;
    var keepMine = document.createElement("button");
    keepMine.type = "button"; keepMine.className = "small"; keepMine.textContent = "Keep my text";
    var keepTheirs = document.createElement("button");
    keepTheirs.type = "button"; keepTheirs.className = "small secondary"; keepTheirs.textContent = "Use the other text";
    var self = this;
    keepMine.addEventListener("click", function () { el.value = mine; box.remove(); self.changed(el); });
    keepTheirs.addEventListener("click", function () { el.value = serverValue; box.remove(); self.show("saved"); });
    box.append(p, theirs, keepMine, keepTheirs);
    el.insertAdjacentElement("afterend", box);
  };

  var MESSAGES = {
    typing: "Typing…",
    saving: "Saving…",
    saved: "All changes saved",
    restored: "Restored unsaved notes; saving…",
    offline: "Offline — notes kept on this device",
    error: "Not saved yet — will retry",
    "signed-out": "Signed out — notes kept on this device; sign in again",
    conflict: "Changed elsewhere — please choose",
  };
  Autosave.prototype.show = function (state) {
    if (!this.status) return;
    this.status.textContent = MESSAGES[state] || state;
    this.status.className = "save-status " + state;
    this.status.dataset.state = state;
  };

  /* ---------- the conference timer ---------- */
  function startTimer(el) {
    var started = Date.parse(el.dataset.startedAt);
    var target = parseInt(el.dataset.targetSeconds, 10) || 300;
    if (isNaN(started)) started = Date.now();
    function tick() {
      var seconds = Math.max(0, Math.floor((Date.now() - started) / 1000));
      var m = Math.floor(seconds / 60), s = seconds % 60;
      el.textContent = m + ":" + (s < 10 ? "0" : "") + s;
      el.classList.toggle("near", seconds >= target - 60 && seconds < target);
      el.classList.toggle("over", seconds >= target);
    }
    tick();
    setInterval(tick, 1000);
  }

  /* ---------- evidence from a writing sample ---------- */
  function selectedTextIn(sampleId) {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed) return "";
    var box = document.querySelector('[data-sample="' + sampleId + '"]');
    if (!box || !box.contains(sel.anchorNode)) return "";
    return sel.toString().trim();
  }

  document.addEventListener("click", function (event) {
    var use = event.target.closest("[data-use-evidence]");
    if (use) {
      var text = selectedTextIn(use.dataset.useEvidence);
      var target = document.querySelector("[data-evidence-target]");
      if (target && text) {
        target.value = text;
        var sample = document.querySelector("[data-evidence-sample]");
        if (sample) sample.value = use.dataset.useEvidence;
        target.focus();
      } else if (target) {
        target.placeholder = "First select some words in the sample, then tap the button.";
      }
      return;
    }
    var link = event.target.closest("a[data-evidence-from]");
    if (link) {
      var words = selectedTextIn(link.dataset.evidenceFrom);
      if (words) {
        event.preventDefault();
        var url = new URL(link.href, window.location.href);
        url.searchParams.set("evidence", words);
        window.location.href = url.toString();
      }
      return;
    }
    if (event.target.closest("[data-print-page]")) { window.print(); return; }
    var printer = event.target.closest("[data-print-section]");
    if (printer) {
      document.body.classList.add("print-only-" + printer.dataset.printSection);
      window.print();
      document.body.classList.remove("print-only-" + printer.dataset.printSection);
    }
  });

  /* Forms marked data-submit-once disable their buttons after the first tap. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-submit-once]")) return;
    if (form.dataset.submitted) { event.preventDefault(); return; }
    form.dataset.submitted = "1";
    form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) {
      b.setAttribute("aria-disabled", "true");
    });
  });

  /* ---------- the goals board: drag a card onto another goal ----------
   * Dropping opens the same "change goal" form a card's link opens (in a dialog): the
   * teacher still says whether the old goal was met or set aside. Cards can be moved
   * without dragging (keyboard, tablet) through that link. */
  function setUpBoard(board) {
    var dialog = document.querySelector("[data-move-dialog]");
    var body = dialog && dialog.querySelector("[data-move-dialog-body]");
    var dragged = null;
    function clearTargets() {
      board.querySelectorAll(".drop-here").forEach(function (c) { c.classList.remove("drop-here"); });
    }
    function target(event) {
      var column = event.target.closest && event.target.closest("[data-drop-goal]");
      if (!column || !dragged) return null;
      // A card dropped back on its own goal's column changes nothing.
      return column.dataset.dropGoal === dragged.dataset.goal ? null : column;
    }
    board.addEventListener("dragstart", function (event) {
      var card = event.target.closest && event.target.closest("[data-card]");
      if (!card) return;
      dragged = card;
      card.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.dataset.name || "");
    });
    board.addEventListener("dragend", function () {
      if (dragged) dragged.classList.remove("dragging");
      dragged = null;
      clearTargets();
    });
    board.addEventListener("dragover", function (event) {
      var column = target(event);
      if (!column) return;
      event.preventDefault();
      if (!column.classList.contains("drop-here")) { clearTargets(); column.classList.add("drop-here"); }
    });
    board.addEventListener("drop", function (event) {
      var column = target(event);
      if (!column) return;
      event.preventDefault();
      var url = new URL(dragged.dataset.moveUrl, window.location.href);
      if (dragged.dataset.from) url.searchParams.set("from", dragged.dataset.from);
      url.searchParams.set("to", column.dataset.dropGoal);
      url.searchParams.set("next", board.dataset.next);
      clearTargets();
      openMove(url.toString());
    });
    function openMove(url) {
      if (!dialog || !body || !dialog.showModal || !window.htmx) { window.location.href = url; return; }
      body.textContent = "Loading…";
      dialog.showModal();
      window.htmx.ajax("GET", url, { target: body, swap: "innerHTML" });
    }
    if (dialog) {
      dialog.addEventListener("click", function (event) {
        if (event.target === dialog || (event.target.closest && event.target.closest("[data-close-dialog]"))) {
          event.preventDefault();
          dialog.close();
        }
      });
    }
  }

  /* ---------- keyboard focus across htmx swaps ----------
   * A pick that re-renders its part of the screen (a new goal, a saved strength) must not
   * drop the keyboard focus to the top of the page: it goes back to the same control
   * when it is still there and visible, else to the part's chosen option, else its first
   * control. */
  var focusBeforeSwap = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    var active = document.activeElement;
    focusBeforeSwap = target && active && target.contains(active) ? { id: active.id, target: target.id } : null;
  });
  function visible(el) { return el && el.getClientRects().length > 0 && !el.disabled; }
  document.addEventListener("htmx:afterSettle", function () {
    var remembered = focusBeforeSwap;
    focusBeforeSwap = null;
    if (!remembered || (document.activeElement && document.activeElement !== document.body)) return;
    var part = remembered.target && document.getElementById(remembered.target);
    if (!part) return;
    var same = remembered.id && document.getElementById(remembered.id);
    var next = (visible(same) && same) || part.querySelector("input:checked") ||
      part.querySelector("input, select, textarea, button, a[href]");
    if (next) next.focus();
  });

  /* Forms marked data-autosubmit show their answer as soon as a choice changes. */
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-autosubmit]");
    if (form) form.requestSubmit ? form.requestSubmit() : form.submit();
  });

  document.addEventListener("DOMContentLoaded", function () {
    fillClientIds();
    var form = document.getElementById("conference-form");
    if (form && form.dataset.saveUrl) window.conferbookAutosave = new Autosave(form);
    document.querySelectorAll("[data-timer]").forEach(startTimer);
    document.querySelectorAll("[data-board]").forEach(setUpBoard);
  });
})();
