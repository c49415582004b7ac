// casebook review pages: decide every claim of an article (or a person) from the keyboard, one key
// per claim, without a page load. j/k move between claims, y confirms, n rejects, u undoes your
// latest decision here, the right arrow opens the next article. Each decision goes to the existing
// POST /api/decisions with the session's CSRF token; the forms work as they are without script.
// After the last open claim of an article, the next article of the queue opens.
// window.casebookReview keeps what the browser test reads: decisions made and the server's time of
// each (its Server-Timing header).
(function () {
  "use strict";
  var root = document.querySelector("[data-review]");
  if (!root) return;
  var csrf = root.getAttribute("data-csrf");
  var next = root.getAttribute("data-next");
  var claims = Array.prototype.slice.call(root.querySelectorAll(".claims .claim"));
  var status = document.getElementById("review-status");
  var openCount = document.getElementById("open-count");
  var record = (window.casebookReview = { decisions: 0, serverMs: [], undo: [] });
  var current = -1;
  var busy = false;

  function isOpen(el) { return el.getAttribute("data-state") === "suggested"; }
  function say(text) { if (status) status.textContent = text; }
  function select(i) {
    if (claims.length === 0) return;
    current = Math.max(0, Math.min(claims.length - 1, i));
    claims.forEach(function (el) { el.classList.remove("selected"); });
    var el = claims[current];
    el.classList.add("selected");
    el.scrollIntoView({ block: "nearest" });
    // The claim's sentence in the article's text, marked as the one being decided.
    document.querySelectorAll(".body .current").forEach(function (m) { m.classList.remove("current"); });
    var start = el.getAttribute("data-start");
    var mark = start && document.getElementById("at-" + start);
    if (mark) mark.classList.add("current");
  }
  function nextOpen(from) {
    for (var i = from; i < claims.length; i++) if (isOpen(claims[i])) return i;
    for (var j = 0; j < from && j < claims.length; j++) if (isOpen(claims[j])) return j;
    return -1;
  }
  function remaining() { return claims.filter(isOpen).length; }
  function setState(el, state, by) {
    el.setAttribute("data-state", state);
    el.className = el.className.replace(/state-\w+/, "state-" + state);
    var badge = el.querySelector(".claim-state");
    if (badge) {
      badge.textContent = state + (by ? " by " + by : "");
      badge.className = "badge review-" + state + " claim-state";
    }
    if (openCount) openCount.textContent = String(remaining());
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, Accept: "application/json" },
      body: body
    }).then(function (r) {
      var timing = r.headers.get("Server-Timing");
      var m = timing && /dur=([0-9.]+)/.exec(timing);
      if (m) record.serverMs.push(parseFloat(m[1]));
      return r.json().then(function (j) {
        if (!r.ok) throw new Error(j.error || "the decision was not recorded");
        return j;
      });
    });
  }
  function decide(action) {
    var el = claims[current];
    if (!el || busy) return;
    busy = true;
    var target = el.getAttribute("data-claim");
    post("/api/decisions", JSON.stringify({ action: action, target: target }))
      .then(function (rec) {
        busy = false;
        record.decisions += 1;
        record.undo.push({ id: rec.id, el: el });
        setState(el, action === "confirm" ? "confirmed" : "rejected", rec.actor);
        var left = remaining();
        if (left === 0 && next) {
          say("Every claim decided; opening the next article.");
          window.location.assign(next);
          return;
        }
        say(left === 0 ? "Every claim here is decided." : left + " of " + claims.length + " claims open.");
        var i = nextOpen(current + 1);
        if (i >= 0) select(i);
      })
      .catch(function (e) { busy = false; say(e.message); });
  }
  function undo() {
    var last = record.undo.pop();
    if (!last || busy) return;
    busy = true;
    post("/api/decisions/" + last.id + "/undo", "")
      .then(function () {
        busy = false;
        setState(last.el, "suggested", "");
        select(claims.indexOf(last.el));
        say("Decision #" + last.id + " undone.");
      })
      .catch(function (e) { busy = false; say(e.message); });
  }
  // Without a page load: the buttons of the forms decide through the API too.
  claims.forEach(function (el, i) {
    el.querySelectorAll("[data-decide]").forEach(function (button) {
      button.addEventListener("click", function (e) {
        e.preventDefault();
        select(i);
        decide(button.getAttribute("data-decide"));
      });
    });
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
    var k = e.key;
    if (k === "j") { select(current + 1); }
    else if (k === "k") { select(current - 1); }
    else if (k === "y") { decide("confirm"); }
    else if (k === "n") { decide("reject"); }
    else if (k === "u") { undo(); }
    else if (k === "ArrowRight" && next) { window.location.assign(next); }
    else { return; }
    e.preventDefault();
    e.stopImmediatePropagation();
  }, true);
  var first = nextOpen(0);
  if (first >= 0) select(first);
})();
