// Progressive enhancement only: every page works without this file.
// A submit button with data-confirm asks before its form is sent.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var question = button && button.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// The task tree: a toggle loads the rows of a task's children under it (the server sends them
// as a fragment), a second click folds them away; "show more" appends the next page of rows.
function rowsAfter(row) {
  var depth = Number(row.getAttribute("data-depth"));
  var rows = [];
  for (var next = row.nextElementSibling; next; next = next.nextElementSibling) {
    if (Number(next.getAttribute("data-depth")) <= depth) break;
    rows.push(next);
  }
  return rows;
}

function loadRows(url, anchor, button) {
  button.disabled = true;
  return fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) throw new Error("The server answered " + response.status + ".");
      return response.text();
    })
    .then(function (html) {
      var body = document.createElement("tbody");
      body.innerHTML = html;
      anchor.after.apply(anchor, Array.prototype.slice.call(body.children));
    })
    .catch(function (error) {
      window.alert("Could not load the tasks: " + error.message);
    })
    .finally(function () {
      button.disabled = false;
    });
}

document.addEventListener("click", function (event) {
  var toggle = event.target.closest("button[data-children-url]");
  if (toggle) {
    var row = toggle.closest("tr");
    if (toggle.getAttribute("aria-expanded") === "true") {
      rowsAfter(row).forEach(function (child) { child.remove(); });
      toggle.setAttribute("aria-expanded", "false");
      toggle.classList.remove("open");
    } else {
      loadRows(toggle.getAttribute("data-children-url"), row, toggle).then(function () {
        toggle.setAttribute("aria-expanded", "true");
        toggle.classList.add("open");
      });
    }
    return;
  }
  var more = event.target.closest("button[data-more-url]");
  if (more) {
    var moreRow = more.closest("tr");
    loadRows(more.getAttribute("data-more-url"), moreRow, more).then(function () {
      moreRow.remove();
    });
  }
});
