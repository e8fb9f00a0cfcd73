/* Conferbook's small scripts. No build step; loaded with `defer` on every page.
 *
 * Autosave on the conference screen is durable: every keystroke is written to
 * localStorage at once, then sent after a short pause. A field leaves localStorage only
 * when the server has acknowledged exactly that text, so closing the tab, reloading or
 * losing the network never loses typing; on the next load the pending text is put back
 * and sent again. Each save is compare-and-set ("previous" is the text the server last
 * acknowledged), so a retried save is harmless and an edit made in another tab is never
 * overwritten silently.
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

  /* ---------- durable autosave ----------
   * For every text field the queue holds in memory:
   *   acked    the text the server last acknowledged (at first, what the page was rendered
   *            with); every save sends exactly this as "previous", the server's
   *            compare-and-set, and the hidden "previous_" input Finish sends follows it;
   *   settled  the field's text that acknowledgement was for: the same text, unless the
   *            server normalised what it stored (then the field is not sent again);
   *   sending  the text of the one request in flight for the field, or null;
   *   sent     texts sent whose answer never came (the network dropped it): if the server
   *            refuses a save because it holds one of them, that was this page's own save.
   * Text typed while a request is in flight waits for the answer and then goes with the
   * newly acknowledged text as "previous".
   *
   * Every keystroke is also written to localStorage at once, in a record of this page's
   * own, so two tabs of one conference never send each other's text. A text leaves the
   * record only when the server acknowledged exactly that text. Records of pages that are
   * gone (reloaded, closed, closed while offline) are taken over by the next page of the
   * conference: their texts are put back in the fields and sent. Nothing relies on
   * Background Sync, which iPads lack. */
  var PENDING = "conferbook:pending:";
  var DEBOUNCE = 700;      // ms after the last keystroke
  var MAX_WAIT = 3000;     // ms of continuous typing before a save goes anyway
  var STALE = 120000;      // ms without a heartbeat after which a page counts as gone
                           // (only where the browser has no Web Locks, e.g. plain http)

  function readJSON(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function Autosave(form) {
    this.form = form;
    this.url = form.dataset.saveUrl;
    this.page = newId();
    this.legacyKey = PENDING + form.dataset.conference;  // one record per conference, before
    this.prefix = this.legacyKey + ":";
    this.key = this.prefix + this.page;
    this.revisionKey = "conferbook:revision:" + form.dataset.conference;
    this.status = document.querySelector("[data-save-status]");
    this.fields = {};
    this.problem = null;      // "offline", "error" or "signed-out": how the last save went
    this.ready = false;       // records of closed pages looked at
    this.restoring = false;   // texts put back from a closed page are not saved yet
    this.closed = false;
    var self = this;
    if (this.staleRender(parseInt(form.dataset.revision, 10))) return;
    form.querySelectorAll("[data-autosave]").forEach(function (el) {
      // What the server holds: the hidden "previous_" input the server rendered (also what
      // Finish sends for its compare-and-set). el.value may differ: the browser's own
      // restoration of what was typed, or a refused finish showing the typed text.
      var hidden = form.querySelector('[data-previous-for="' + el.name + '"]');
      var saved = hidden ? hidden.value : el.defaultValue;
      var f = { el: el, hidden: hidden, acked: saved, settled: saved, sending: null, sent: [],
                timer: null, since: 0, box: null, theirs: null, hold: false };
      self.fields[el.name] = f;
      el.addEventListener("input", function () { self.changed(f); });
    });
    this.refresh();
    this.start();
    window.addEventListener("online", function () { self.problem = null; self.flushAll(); self.refresh(); });
    window.addEventListener("offline", function () { self.refresh(); });
    window.addEventListener("pagehide", function () {
      self.flushAll(true);
      self.closed = true;  // the next page of this conference may take over what is left
      self.record();
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) { self.closed = false; self.record(); }
    });
    setInterval(function () {
      if (!self.ready) return;
      self.lookAround(function () {
        self.flushAll();
        self.record();  // the heartbeat that shows this page is still open
      });
    }, 5000);
  }

  /* Take over what closed pages left unsent, then send what this page has. */
  Autosave.prototype.start = function () {
    if (navigator.locks && navigator.locks.request && navigator.locks.query) {
      // A Web Lock held for the page's life tells other pages that it is still open.
      this.locks = true;
      navigator.locks.request("conferbook:page:" + this.page, function () { return new Promise(function () {}); })
        .catch(function () { /* only a hint to other pages */ });
    }
    // Pages that said they closed (a reload, a closed tab) are taken over at once, so the
    // fields show their text from the start; pages that ended without a word (a crash)
    // once the Web Locks have been asked about them.
    this.adopt();
    this.ready = true;
    for (var name in this.fields) {
      var f = this.fields[name];
      if (f.el.value === f.settled || f.box) continue;
      // data-hold: the server refused a finish over this text; wait for the teacher.
      if (f.el.hasAttribute("data-hold")) f.hold = true;
      else this.changed(f);
    }
    this.flushAll();
    this.refresh();
    if (this.locks) this.lookAround();
  };

  /* Which pages are open, then take over the records of those that are gone. */
  Autosave.prototype.lookAround = function (then) {
    var self = this;
    var done = function () { self.adopt(); if (then) then(); };
    if (!this.locks) { done(); return; }
    var asked = Date.now();
    navigator.locks.query().then(function (state) {
      var held = {};
      (state.held || []).concat(state.pending || []).forEach(function (lock) { held[lock.name] = true; });
      self.held = { names: held, at: asked };
    }, function () { self.held = null; }).then(done);
  };

  /* A record of another page is taken over when that page is gone: it said so when it
   * closed, or it holds no Web Lock any more (a record written after the look at the locks
   * waits for the next look), or, without Web Locks (plain http), it stopped beating. */
  Autosave.prototype.gone = function (record) {
    if (record.open === false) return true;
    if (this.locks) {
      return !!(this.held && record.page && !this.held.names["conferbook:page:" + record.page] &&
                record.at < this.held.at);
    }
    return !(Date.now() - (record.at || 0) < STALE);
  };

  Autosave.prototype.adopt = function () {
    var self = this;
    var records = [];
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var key = localStorage.key(i);
        if (key === this.legacyKey) {
          // Written by the queue before records were per page: {field: {value, previous}}.
          var old = readJSON(key) || {};
          var fields = {};
          for (var n in old) fields[n] = { value: old[n].value, base: old[n].previous, sent: [] };
          records.push({ key: key, record: { open: false, at: 0, fields: fields } });
        } else if (key && key.indexOf(this.prefix) === 0 && key !== this.key) {
          var record = readJSON(key);
          if (record && record.fields && this.gone(record)) records.push({ key: key, record: record });
        }
      }
    } catch (e) { return; }  // storage blocked: there is nothing to take over
    if (!records.length) return;
    records.sort(function (a, b) { return (a.record.at || 0) - (b.record.at || 0); });
    var taken = {};  // field name -> the newest entry for it
    records.forEach(function (r) {
      for (var name in r.record.fields) {
        var f = self.fields[name];
        // A field being edited on this page keeps its text; the entry waits for later.
        if (f && (f.el.value !== f.settled || f.sending !== null || f.box)) continue;
        taken[name] = r;
      }
    });
    var adopted = false;
    for (var name in taken) {
      var entry = taken[name].record.fields[name];
      var f = this.fields[name];
      if (!f) continue;
      f.el.value = entry.value;
      f.sent = (entry.sent || []).slice();
      if (entry.value === f.acked) continue;  // the server has it already
      if (entry.base === f.acked || f.sent.indexOf(f.acked) !== -1) {
        adopted = true;  // the server still holds what that text was typed over: send it
        this.changed(f);
      } else {
        this.conflict(f, f.acked);  // changed elsewhere since: the teacher chooses
      }
    }
    this.record();  // this page's record holds the texts now, before theirs are cleared
    records.forEach(function (r) {
      for (var name in r.record.fields) {
        var entry = r.record.fields[name];
        var f = self.fields[name];
        var mine = taken[name] && taken[name].record.fields[name];
        if (!f || taken[name] === r || (f && (entry.value === f.acked || (mine && entry.value === mine.value)))) {
          delete r.record.fields[name];
        }
      }
      try {
        // What is left waits for a later look (the old single record moves to a page's).
        if (Object.keys(r.record.fields).length) {
          localStorage.setItem(r.key === self.legacyKey ? self.prefix + "before" : r.key, JSON.stringify(r.record));
        }
        if (!Object.keys(r.record.fields).length || r.key === self.legacyKey) localStorage.removeItem(r.key);
      } catch (e) { /* storage full or blocked */ }
    });
    if (adopted) this.restoring = true;
    this.refresh();
  };

  /* Write this page's record: every text the server has not acknowledged yet. */
  Autosave.prototype.record = function () {
    var fields = {};
    var any = false;
    for (var name in this.fields) {
      var f = this.fields[name];
      if (f.box || f.hold) {
        // Refused as changed elsewhere: after a reload the teacher is asked again.
        fields[name] = { value: f.el.value, base: null, sent: f.sent };
        any = true;
      } else if (f.el.value !== f.settled) {
        fields[name] = { value: f.el.value, base: f.acked, sent: f.sent };
        any = true;
      }
    }
    try {
      if (any) {
        localStorage.setItem(this.key, JSON.stringify(
          { page: this.page, open: !this.closed, at: Date.now(), fields: fields }));
      } else {
        localStorage.removeItem(this.key);
      }
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

  Autosave.prototype.changed = function (f) {
    f.hold = false;
    this.record();
    clearTimeout(f.timer);
    f.timer = null;
    if (!f.box) {
      var self = this;
      if (!f.since) f.since = Date.now();
      if (Date.now() - f.since >= MAX_WAIT) this.send(f);
      else f.timer = setTimeout(function () { f.timer = null; self.send(f); }, DEBOUNCE);
    }
    this.refresh();
  };

  Autosave.prototype.flushAll = function (leaving) {
    for (var name in this.fields) this.send(this.fields[name], leaving);
  };

  Autosave.prototype.send = function (f, leaving) {
    // One request per field at a time; a field waiting for the teacher's choice waits.
    if (f.sending !== null || f.box || f.hold || !this.ready) return;
    clearTimeout(f.timer);
    f.timer = null;
    f.since = 0;
    var value = f.el.value;
    if (value === f.settled) { this.refresh(); return; }
    var previous = f.acked;
    if (f.sent.indexOf(value) === -1) f.sent = f.sent.concat([value]).slice(-10);
    f.sending = value;
    this.record();
    this.refresh();
    var self = this;
    var body = new URLSearchParams({ field: f.el.name, value: value, previous: previous });
    fetch(this.url, {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      credentials: "same-origin",
      keepalive: !!leaving,
    }).then(function (response) {
      if (response.redirected && response.url.indexOf("/login/") !== -1) {
        return self.failed(f, "signed-out");  // the session ended: keep the text on the device
      }
      if (response.ok) {
        return response.json().then(function (data) {
          self.remember(data.revision);
          // The server may say what it stored (normalised); otherwise it stored the value.
          self.acknowledged(f, value, typeof data.value === "string" ? data.value : value);
        });
      }
      if (response.status === 409) {
        return response.json().then(function (data) { self.refused(f, data.server_value); });
      }
      self.failed(f, response.status === 401 || response.status === 403 ? "signed-out" : "error");
    }).catch(function () {
      if (f.sending === value) self.failed(f, navigator.onLine === false ? "offline" : "error");
    });
  };

  Autosave.prototype.failed = function (f, problem) {
    f.sending = null;  // the text stays on the device; the next try sends it again
    this.problem = problem;
    this.refresh();
  };

  Autosave.prototype.remember = function (revision) {
    try {
      var known = parseInt(localStorage.getItem(this.revisionKey) || "0", 10);
      if (revision > known) localStorage.setItem(this.revisionKey, String(revision));
    } catch (e) { /* storage blocked: only the stale-render check is lost */ }
  };

  /* The server holds `stored`, from this page's save of `value`. */
  Autosave.prototype.acknowledged = function (f, value, stored) {
    f.sending = null;
    f.acked = stored;
    f.settled = value;
    f.sent = [];
    if (f.hidden) f.hidden.value = stored;
    this.problem = null;
    this.record();
    // Text typed meanwhile goes now, unless more typing is on its way.
    if (f.el.value !== f.settled && !f.timer) this.send(f);
    this.refresh();
  };

  Autosave.prototype.refused = function (f, serverValue) {
    f.sending = null;
    this.problem = null;
    if (f.sent.indexOf(serverValue) !== -1) {
      // An earlier save of this page did arrive; only its answer was lost.
      this.acknowledged(f, serverValue, serverValue);
      return;
    }
    this.conflict(f, serverValue);
  };

  /* Another tab or device changed the text: show both and let the teacher choose. Until
   * then this field is kept on the device and not sent. */
  Autosave.prototype.conflict = function (f, theirs) {
    f.theirs = theirs;
    clearTimeout(f.timer);
    f.timer = null;
    if (f.box) {
      f.box.querySelector("blockquote").textContent = theirs;
    } else {
      var self = this;
      var box = document.createElement("div");
      box.className = "conflict-box";
      box.setAttribute("role", "alert");
      var p = document.createElement("p");
      p.textContent = "This note was changed in another tab or device. Your text is still in " +
        "the box above; the other version is below. Choose which one to keep.";
      var other = document.createElement("blockquote");
      other.textContent = theirs;
      var keepMine = document.createElement("button");
      keepMine.type = "button"; keepMine.className = "small"; keepMine.textContent = "Keep my text";
      var keepTheirs = document.createElement("button");
      keepTheirs.type = "button"; keepTheirs.className = "small secondary"; keepTheirs.textContent = "Use the other text";
      keepMine.addEventListener("click", function () { self.choose(f, false); });
      keepTheirs.addEventListener("click", function () { self.choose(f, true); });
      box.append(p, other, keepMine, keepTheirs);
      f.el.insertAdjacentElement("afterend", box);
      f.box = box;
    }
    this.record();
    this.refresh();
  };

  /* The teacher's choice: keep what is in the field now (everything typed, also while the
   * box was open), or take the other text; either way later typing is saved as usual. */
  Autosave.prototype.choose = function (f, theirs) {
    var other = f.theirs;
    f.box.remove();
    f.box = null;
    f.theirs = null;
    f.acked = other;
    f.settled = other;
    f.sent = [];
    if (f.hidden) f.hidden.value = other;
    if (theirs) f.el.value = other;
    this.record();
    this.send(f);  // nothing to send when the texts are the same
    this.refresh();
  };

  var MESSAGES = {
    checking: "Checking this device for unsaved notes…",
    typing: "Typing…",
    saving: "Saving…",
    saved: "All changes saved",
    restored: "Restored unsaved notes; saving…",
    offline: "Offline — notes kept on this device",
    error: "Not saved yet — will retry",
    "signed-out": "Signed out — notes kept on this device; sign in again",
    conflict: "Changed elsewhere — please choose",
  };

  /* The status says "All changes saved" only when the server has acknowledged the text of
   * every field and no request is under way. */
  Autosave.prototype.refresh = function () {
    var conflict = false, sending = false, typing = false, unsaved = false;
    for (var name in this.fields) {
      var f = this.fields[name];
      if (f.box || f.hold) conflict = true;
      if (f.sending !== null) sending = true;
      if (f.timer) typing = true;
      if (f.sending !== null || f.el.value !== f.settled) unsaved = true;
    }
    var state;
    if (!this.ready) state = "checking";
    else if (conflict) state = "conflict";
    else if (!unsaved) state = "saved";
    else if (this.problem === "signed-out") state = "signed-out";
    else if (this.problem === "offline" || navigator.onLine === false) state = "offline";
    else if (typing) state = "typing";
    else if (this.restoring) state = "restored";
    else if (this.problem === "error" && !sending) state = "error";
    else state = "saving";
    if (state === "saved") this.restoring = false;
    this.show(state);
  };

  Autosave.prototype.show = function (state) {
    if (!this.status || this.status.dataset.state === state) return;
    this.status.textContent = MESSAGES[state] || state;
    this.status.className = "save-status " + state;
    this.status.dataset.state = state;
  };

  /* ---------- the conference timer ---------- */
  function moment(text) {  // an ISO time from the server, to the millisecond
    return Date.parse((text || "").replace(/(\.\d{3})\d+/, "$1"));
  }

  /* When the page began to arrive, on this device's clock (now, if the browser cannot say):
     the device's moment nearest to the server's "served at". */
  function arrivedAt() {
    var p = window.performance;
    var page = p && p.getEntriesByType && p.getEntriesByType("navigation")[0];
    return page && page.responseStart > 0 && p.timeOrigin ?
      p.timeOrigin + page.responseStart : Date.now();
  }

  /* Counted on the server's clock: the page says when it was made, so a tablet whose own
     clock is some minutes off still shows the time since the conference began, and a slow
     network does not hold the count back. */
  function startTimer(el) {
    var served = moment(el.dataset.servedAt);
    var started = moment(el.dataset.startedAt);
    var skew = isNaN(served) ? 0 : arrivedAt() - served;
    var target = parseInt(el.dataset.targetSeconds, 10) || 300;
    if (isNaN(started)) started = Date.now() - skew;
    function tick() {
      var seconds = Math.max(0, Math.floor((Date.now() - skew - started) / 1000));
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
    var cell = event.target.closest("svg[data-picture-caption] [data-label]");
    if (cell) {
      var caption = document.getElementById(cell.closest("svg").dataset.pictureCaption);
      if (caption) caption.textContent = cell.dataset.label;
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
    var sending = form.querySelector("[data-sending]");
    if (sending) sending.hidden = false;
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

  /* ---------- marking part of a page photo ----------
   * The photo is an SVG whose viewBox is the photo's own pixels, so a point on the screen
   * becomes a pixel of the photo through the SVG's own transform, whatever the zoom. A
   * drag (finger, pen or mouse) draws the rectangle; with the keyboard, arrows move it and
   * Shift with arrows resizes it. The rectangle's pixels go in the form's hidden fields. */
  function setUpSpotPicker(svg) {
    var rect = svg.querySelector("[data-spot-rect]");
    var form = document.querySelector(".spot-form form");
    if (!rect || !form) return;
    var box = svg.viewBox.baseVal;
    var min = parseInt(svg.dataset.min, 10) || 8;
    var status = form.querySelector("[data-spot-status]");
    var fields = {};
    ["left", "top", "width", "height"].forEach(function (name) {
      fields[name] = form.querySelector("input[name=" + name + "]");
    });
    var start = null;
    var current = null;
    function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }
    function pixel(event) {
      var point = svg.createSVGPoint();
      point.x = event.clientX;
      point.y = event.clientY;
      var p = point.matrixTransform(svg.getScreenCTM().inverse());
      return { x: clamp(Math.round(p.x), 0, box.width), y: clamp(Math.round(p.y), 0, box.height) };
    }
    function show(r) {
      current = r;
      rect.setAttribute("x", r.left);
      rect.setAttribute("y", r.top);
      rect.setAttribute("width", r.width);
      rect.setAttribute("height", r.height);
      var big = r.width >= min && r.height >= min;
      fields.left.value = big ? r.left : "";
      fields.top.value = big ? r.top : "";
      fields.width.value = big ? r.width : "";
      fields.height.value = big ? r.height : "";
      if (status) {
        status.textContent = big
          ? "Rectangle drawn: " + r.width + " by " + r.height + " pixels, " +
            Math.round(100 * r.left / box.width) + "% from the left and " +
            Math.round(100 * r.top / box.height) + "% from the top."
          : "No rectangle drawn yet.";
      }
    }
    function between(a, b) {
      return { left: Math.min(a.x, b.x), top: Math.min(a.y, b.y),
               width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) };
    }
    svg.addEventListener("pointerdown", function (event) {
      if (event.button !== undefined && event.button > 0) return;
      event.preventDefault();
      start = pixel(event);
      svg.setPointerCapture(event.pointerId);
      show(between(start, start));
    });
    svg.addEventListener("pointermove", function (event) {
      if (start) show(between(start, pixel(event)));
    });
    function finish(event) {
      if (!start) return;
      show(between(start, pixel(event)));
      start = null;
    }
    svg.addEventListener("pointerup", finish);
    svg.addEventListener("pointercancel", function () { start = null; });
    svg.addEventListener("keydown", function (event) {
      var steps = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      var step = steps[event.key];
      if (!step) return;
      event.preventDefault();
      var unit = Math.max(min, Math.round(box.width / 50));
      var r = current && current.width >= min ? current : {
        left: Math.round(box.width / 4), top: Math.round(box.height / 3),
        width: Math.round(box.width / 2), height: Math.round(box.height / 10)
      };
      r = { left: r.left, top: r.top, width: r.width, height: r.height };
      if (event.shiftKey) {
        r.width = clamp(r.width + step[0] * unit, min, box.width - r.left);
        r.height = clamp(r.height + step[1] * unit, min, box.height - r.top);
      } else {
        r.left = clamp(r.left + step[0] * unit, 0, box.width - r.width);
        r.top = clamp(r.top + step[1] * unit, 0, box.height - r.height);
      }
      show(r);
    });
    var clear = form.querySelector("[data-spot-clear]");
    if (clear) clear.addEventListener("click", function () { show({ left: 0, top: 0, width: 0, height: 0 }); });
    // A form sent back with a mistake keeps the rectangle the teacher drew.
    var kept = { left: +fields.left.value, top: +fields.top.value,
                 width: +fields.width.value, height: +fields.height.value };
    if (fields.width.value && kept.width >= min && kept.height >= min) show(kept);
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

  /* Pointing at a square of a picture names it under the picture, as a tap does. */
  document.addEventListener("pointerover", function (event) {
    var cell = event.target.closest && event.target.closest("svg[data-picture-caption] [data-label]");
    if (!cell) return;
    var caption = document.getElementById(cell.closest("svg").dataset.pictureCaption);
    if (caption) caption.textContent = cell.dataset.label;
  });

  /* A picture's table prints with it: details marked data-open-for-print open. */
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details[data-open-for-print]").forEach(function (d) {
      d.open = true;
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    fillClientIds();
    var form = document.getElementById("conference-form");
    if (form && form.dataset.saveUrl) window.conferbookAutosave = new Autosave(form);
    document.querySelectorAll("[data-timer]").forEach(startTimer);
    document.querySelectorAll("[data-board]").forEach(setUpBoard);
    document.querySelectorAll("[data-spot-picker]").forEach(setUpSpotPicker);
  });
})();
