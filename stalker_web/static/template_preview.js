// The filename template form's preview (templates/structures/preview.jinja2), progressive
// enhancement: without this file the Preview button posts the form and the page comes back
// with the preview. With it, typing in the path, file name or task search (debounced), or
// choosing a kind or another matching task, posts the form (CSRF token included) to the same
// preview route with fragment=1 and shows the answer in place. Nothing is saved either way.
(function () {
  "use strict";
  var DELAY_MS = 400;

  function enhance(section) {
    var form = section.closest("form");
    var result = section.querySelector("#template-preview-result");
    var url = section.getAttribute("data-preview-url");
    var timer = null;
    var asked = 0;

    function refresh(searchChanged) {
      var data = new FormData(form);
      data.set("fragment", "1");
      if (searchChanged) { data.delete("preview_task_id"); }
      var number = ++asked;
      fetch(url, { method: "POST", body: data, credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html !== null && number === asked) { result.innerHTML = html; }
        })
        .catch(function () { /* the Preview button still works */ });
    }

    function schedule(searchChanged) {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { refresh(searchChanged); }, DELAY_MS);
    }

    form.addEventListener("input", function (event) {
      var name = event.target.name;
      if (name === "path" || name === "filename" || name === "preview_task") {
        schedule(name === "preview_task");
      }
    });
    form.addEventListener("change", function (event) {
      var name = event.target.name;
      if (name === "preview_task_id" || name === "target_entity_type") { schedule(false); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#template-preview[data-preview-url]").forEach(enhance);
  });
})();
