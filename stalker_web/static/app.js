// Progressive enhancement only: every page works without this file.
document.documentElement.classList.add("js");

// After a refused submit the error summary takes the focus, so a screen reader starts there.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
});

// The top bar: below 900 px the Menu button folds the navigation away; the Admin menu closes on
// Escape and on a click elsewhere.
(function () {
  var toggle = document.querySelector(".nav-toggle");
  var menu = document.getElementById("site-menu");
  if (toggle && menu) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("open", open);
    });
  }
  function closeMenus(except) {
    document.querySelectorAll(".nav-group details[open]").forEach(function (details) {
      if (details !== except) details.open = false;
    });
  }
  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest(".nav-group details"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.querySelector(".nav-group details[open]");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });
})();
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

// While rows load the button says so (aria-busy) and ignores clicks, but stays focusable: a
// disabled button would drop the keyboard focus to the page's start.
function loadRows(url, anchor, button) {
  button.setAttribute("aria-busy", "true");
  return fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) throw new Error("The server answered " + response.status + ".");
      return response.text();
    })
    .then(function (html) {
      var body = document.createElement("tbody");
      body.innerHTML = html;
      var rows = Array.prototype.slice.call(body.children);
      anchor.after.apply(anchor, rows);
      return rows;
    })
    .catch(function (error) {
      window.alert("Could not load the tasks: " + error.message);
      return null;
    })
    .finally(function () {
      button.removeAttribute("aria-busy");
    });
}

document.addEventListener("click", function (event) {
  var toggle = event.target.closest("button[data-children-url]");
  if (toggle) {
    var row = toggle.closest("tr");
    if (toggle.getAttribute("aria-busy") === "true") return;
    if (toggle.getAttribute("aria-expanded") === "true") {
      rowsAfter(row).forEach(function (child) { child.remove(); });
      toggle.setAttribute("aria-expanded", "false");
      toggle.classList.remove("open");
    } else {
      loadRows(toggle.getAttribute("data-children-url"), row, toggle).then(function (rows) {
        if (!rows) return;
        toggle.setAttribute("aria-expanded", "true");
        toggle.classList.add("open");
      });
    }
    return;
  }
  var more = event.target.closest("button[data-more-url]");
  if (more) {
    if (more.getAttribute("aria-busy") === "true") return;
    var moreRow = more.closest("tr");
    loadRows(more.getAttribute("data-more-url"), moreRow, more).then(function (rows) {
      if (!rows) return;
      // The button goes with its row: the focus moves to the first row it brought.
      var first = rows.length && rows[0].querySelector("a, button");
      moreRow.remove();
      if (first) first.focus();
    });
  }
});
