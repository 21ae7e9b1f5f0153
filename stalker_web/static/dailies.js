// The walk through a daily (templates/dailies/walk.jinja2): the left and right arrow keys follow
// the Previous and Next links, unless the focus is in a field, a button or a video. Without this
// file the links work as they are.
(function () {
  var nav = document.getElementById("walk-nav");
  if (!nav) return;
  var hint = document.getElementById("walk-keys");
  if (hint) hint.hidden = false;
  var keys = { ArrowLeft: "prev", ArrowRight: "next" };
  document.addEventListener("keydown", function (event) {
    var rel = keys[event.key];
    if (!rel || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, button, video, [contenteditable]")) return;
    var link = nav.querySelector("a[rel='" + rel + "']");
    if (!link) return;
    event.preventDefault();
    window.location.assign(link.href);
  });
})();
