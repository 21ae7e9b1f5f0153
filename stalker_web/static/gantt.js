// Gantt charts, progressive enhancement only: the server draws every row, bar and arrow.
// app.js inserts a task's child rows on expand (and removes them on collapse); this file then
// re-draws the dependency arrows, whose rows may have moved apart, and offers a Print button.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  // The same elbow as services/gantt_marks.py arrow_geometry: x in % of the chart, y in pixels
  // from the top of the waiting task's row, dy = where the predecessor's row starts.
  function geometry(x1, x2, dy, row, bar) {
    var middle = row / 2;
    var down = dy < 0 ? 1 : -1;
    var leave = dy + middle + down * bar / 2;
    if (x2 >= x1) {
      return { segments: [[x1, leave, x1, middle], [x1, middle, x2, middle]], head: [x2, middle, "right"] };
    }
    var gap = middle - down * row / 2;
    var enter = middle - down * bar / 2;
    return {
      segments: [[x1, leave, x1, gap], [x1, gap, x2, gap], [x2, gap, x2, enter]],
      head: [x2, enter, down === 1 ? "down" : "up"]
    };
  }

  function element(name, attributes) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    return node;
  }

  function drawArrow(arrow, dy, table) {
    var row = Number(table.getAttribute("data-row-height"));
    var bar = Number(table.getAttribute("data-bar-height"));
    var heads = JSON.parse(table.getAttribute("data-heads"));
    var shape = geometry(Number(arrow.getAttribute("data-x1")), Number(arrow.getAttribute("data-x2")), dy, row, bar);
    while (arrow.firstChild) arrow.removeChild(arrow.firstChild);
    shape.segments.forEach(function (s) {
      arrow.appendChild(element("line", { x1: s[0] + "%", y1: s[1], x2: s[2] + "%", y2: s[3] }));
    });
    var head = element("svg", { x: shape.head[0] + "%", y: shape.head[1], overflow: "visible" });
    head.appendChild(element("polygon", { points: heads[shape.head[2]], stroke: "none" }));
    arrow.appendChild(head);
  }

  function layArrows(table) {
    if (!table.hasAttribute("data-heads")) return;
    table.querySelectorAll("g.gantt-arrow").forEach(function (arrow) {
      var row = arrow.closest("tr");
      var from = table.querySelector('tr[data-task-id="' + arrow.getAttribute("data-from") + '"]');
      if (!from || !row) {
        arrow.style.display = "none";
        return;
      }
      arrow.style.display = "";
      var dy = from.getBoundingClientRect().top - row.getBoundingClientRect().top;
      if (arrow.getAttribute("data-dy") !== String(dy)) {
        arrow.setAttribute("data-dy", String(dy));
        drawArrow(arrow, dy, table);
      }
    });
  }

  function start() {
    var table = document.getElementById("gantt");
    if (table) {
      layArrows(table);
      new MutationObserver(function () { layArrows(table); })
        .observe(table.tBodies[0], { childList: true });
    }
    var print = document.querySelector("button[data-gantt-print]");
    if (print) {
      print.hidden = false;
      print.addEventListener("click", function () { window.print(); });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
