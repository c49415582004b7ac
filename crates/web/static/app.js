// casebook keyboard shortcuts and small conveniences. Hand-written, no dependencies.
// "/" focuses search; on lists of items: j/k move, c confirm, r reject, m merge, o open,
// e marks an alert read, u undoes your latest decision, ? shows the shortcuts. On the review
// queue and the inbox the first item is selected on arrival, so after a decision (which reloads
// the page without the decided item) the next one is ready. Running jobs refresh the page.
(function () {
  "use strict";
  function typing(e) {
    var t = e.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }
  function items() {
    return Array.prototype.slice.call(document.querySelectorAll(".queue .item, .events .event, .hits .hit"));
  }
  var current = -1;
  function select(i, quiet) {
    var list = items();
    if (list.length === 0) return;
    current = Math.max(0, Math.min(list.length - 1, i));
    list.forEach(function (el) { el.classList.remove("selected"); });
    var el = list[current];
    el.classList.add("selected");
    if (!quiet) el.scrollIntoView({ block: "nearest" });
  }
  function press(key) {
    var list = items();
    var el = list[current];
    if (!el) return false;
    var button = el.querySelector('[data-key="' + key + '"]');
    if (button) { button.click(); return true; }
    return false;
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e)) return;
    var k = e.key;
    if (k === "/") {
      var q = document.getElementById("quick-search");
      if (q) { e.preventDefault(); q.focus(); }
    } else if (k === "j") { select(current + 1); }
    else if (k === "k") { select(current - 1); }
    else if (k === "c" || k === "r" || k === "m" || k === "e") { if (press(k)) e.preventDefault(); }
    else if (k === "?") { toggleHelp(); e.preventDefault(); }
    else if (k === "o") {
      var el = items()[current];
      var link = el && (el.querySelector("[data-open]") || el.querySelector("a[href]"));
      if (link) link.click();
    } else if (k === "u") {
      var undo = document.querySelector("[data-undo]");
      if (undo) undo.click();
    }
  });
  function toggleHelp() {
    var help = document.getElementById("keys-help");
    if (!help || typeof help.showModal !== "function") return;
    if (help.open) { help.close(); } else { help.showModal(); }
  }
  var helpButton = document.getElementById("keys-help-button");
  if (helpButton) helpButton.addEventListener("click", toggleHelp);
  // Selected without scrolling, so a phone still shows the top of the page.
  if (document.querySelector(".queue .item")) select(0, true);
  var running = document.querySelector("[data-refresh]");
  if (running) {
    setTimeout(function () { window.location.reload(); }, 1500);
  }
})();
