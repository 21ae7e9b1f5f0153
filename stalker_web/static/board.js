// The production board's tick boxes: a step header's box ticks that column's cells, a row's box
// ticks that row's cells, and the bulk form says how many cells are ticked. Without this file
// every cell's own box still works.
(function () {
  var board = document.getElementById("board");
  var form = document.getElementById("board-bulk");
  if (!board || !form) return;
  var hint = document.getElementById("bulk-count");
  var initialHint = hint ? hint.textContent : "";

  function cellBoxes(scope) {
    return scope.querySelectorAll("input[name='task_ids']");
  }

  function refresh() {
    var ticked = 0;
    var boxes = cellBoxes(board);
    for (var i = 0; i < boxes.length; i++) {
      var cell = boxes[i].closest("td");
      if (cell) cell.classList.toggle("selected", boxes[i].checked);
      if (boxes[i].checked) ticked += 1;
    }
    if (hint) {
      hint.textContent = ticked === 0 ? initialHint
        : ticked + (ticked === 1 ? " cell ticked." : " cells ticked.") + " Choose what to do with them.";
    }
  }

  function setAll(boxes, checked) {
    for (var i = 0; i < boxes.length; i++) boxes[i].checked = checked;
    refresh();
  }

  var selectors = board.querySelectorAll(".select-column, .select-row");
  for (var i = 0; i < selectors.length; i++) selectors[i].hidden = false;

  board.addEventListener("change", function (event) {
    var box = event.target;
    if (box.classList.contains("select-column")) {
      var column = box.getAttribute("data-column");
      setAll(board.querySelectorAll("td[data-column='" + column + "'] input[name='task_ids']"), box.checked);
    } else if (box.classList.contains("select-row")) {
      setAll(cellBoxes(box.closest("tr")), box.checked);
    } else if (box.name === "task_ids") {
      refresh();
    }
  });

  form.addEventListener("submit", function (event) {
    if (cellBoxes(board).length && !board.querySelector("input[name='task_ids']:checked")) {
      event.preventDefault();
      if (hint) hint.textContent = "Tick at least one cell first.";
    }
  });
  refresh();
})();
