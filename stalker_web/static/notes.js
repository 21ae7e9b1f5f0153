// Notes (templates/macros/notes.jinja2), progressive enhancement: the "Mention" picker, hidden
// without script, searches people as the user picker does and puts "@login " where the cursor
// is in the note's text instead of ticking a box. Without this file, typing @login works alike.
(function () {
  "use strict";

  function insertMention(textarea, login) {
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var before = textarea.value.slice(0, start);
    var text = (before && !/\s$/.test(before) ? " " : "") + "@" + login + " ";
    textarea.value = before + text + textarea.value.slice(end);
    var caret = start + text.length;
    textarea.focus();
    textarea.setSelectionRange(caret, caret);
  }

  function enhance(holder) {
    var textarea = document.getElementById(holder.getAttribute("data-mention-for"));
    if (!textarea) return;
    var label = holder.querySelector(".user-picker-search-label");
    if (label) label.textContent = "Search people to mention";
    var status = holder.querySelector(".user-picker-status");
    holder.hidden = false;
    holder.addEventListener("userpicker:choose", function (event) {
      event.preventDefault();
      insertMention(textarea, event.detail.login);
      if (status) status.textContent = "@" + event.detail.login + " put in the note.";
    });
  }

  function start() {
    document.querySelectorAll("[data-mention-for]").forEach(enhance);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
