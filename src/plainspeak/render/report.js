// plainspeak HTML report: open a finding's card in the panel, sort the index of files.
// The panel is filled by cloning the page's own escaped elements, never from strings,
// so no document text is ever parsed as HTML here.
(function () {
  "use strict";
  var panel = document.getElementById("panel");
  var title = document.getElementById("panel-title");
  var body = panel.querySelector(".panel-body");
  var opener = null;

  function open(trigger) {
    var card = document.getElementById(trigger.getAttribute("data-card"));
    if (!card) { return; }
    var copies = [];
    Array.prototype.forEach.call(card.children, function (child) {
      if (child.classList.contains("card-title")) { return; }
      var copy = child.cloneNode(true);
      copy.removeAttribute("id");
      copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
      copies.push(copy);
    });
    body.replaceChildren.apply(body, copies);
    title.textContent = card.getAttribute("data-title");
    if (opener && opener !== trigger) { opener.setAttribute("aria-expanded", "false"); }
    opener = trigger;
    trigger.setAttribute("aria-expanded", "true");
    panel.hidden = false;
    place(trigger);
    title.focus({ preventScroll: true });
  }

  // On a wide screen the card opens under the word, like a tooltip; on a phone it is a
  // sheet at the bottom of the screen (the stylesheet's default), so nothing is placed.
  var wide = window.matchMedia("(min-width: 56rem)");
  function place(trigger) {
    panel.style.top = panel.style.left = "";
    if (!wide.matches) { return; }
    var box = trigger.getBoundingClientRect();
    var width = panel.offsetWidth;
    var left = Math.max(16, Math.min(box.left, document.documentElement.clientWidth - width - 16));
    var top = box.bottom + 8;
    if (top + panel.offsetHeight > window.innerHeight && box.top - panel.offsetHeight - 8 > 0) {
      top = box.top - panel.offsetHeight - 8;   // no room below: open above the word
    }
    panel.style.left = left + "px";
    panel.style.top = (top + window.scrollY) + "px";
  }

  function close(refocus) {
    panel.hidden = true;
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
      if (refocus) { opener.focus(); }
      opener = null;
    }
  }

  document.addEventListener("click", function (event) {
    var trigger = event.target.closest("[data-card]");
    if (trigger) {
      open(trigger);
    } else if (!panel.hidden && !panel.contains(event.target)) {
      close(false);   // a click elsewhere dismisses the card, as a popover does
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) { close(true); return; }
    var trigger = event.target.closest ? event.target.closest("[data-card]") : null;
    if (trigger && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      open(trigger);
    }
  });
  panel.querySelector(".close").addEventListener("click", function () { close(true); });
  window.addEventListener("resize", function () { if (opener) { place(opener); } });

  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, column) {
      var button = th.querySelector("button");
      if (!button) { return; }
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        var numeric = th.getAttribute("data-type") === "number";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var tbody = table.tBodies[0];
        var rows = Array.prototype.slice.call(tbody.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].getAttribute("data-sort");
          var y = b.cells[column].getAttribute("data-sort");
          if (x === "" || y === "") { return (x === "") - (y === ""); }  // unread files last
          var order = numeric ? parseFloat(x) - parseFloat(y)
            : x.localeCompare(y, undefined, { numeric: true });
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { tbody.appendChild(row); });
      });
    });
  });
}());
