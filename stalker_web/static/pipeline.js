// The type form: a colour picker kept in step with the "#rrggbb" text field, which stays the
// value that is sent (and the whole field without JavaScript).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-colour-for]").forEach(function (picker) {
    var text = document.getElementById(picker.getAttribute("data-colour-for"));
    if (!text) { return; }
    var valid = /^#?[0-9a-fA-F]{6}$/;
    var show = function () {
      if (valid.test(text.value.trim())) {
        var value = text.value.trim().toLowerCase();
        picker.value = value.charAt(0) === "#" ? value : "#" + value;
      }
    };
    show();
    picker.hidden = false;
    picker.addEventListener("input", function () { text.value = picker.value; });
    text.addEventListener("input", show);
  });
});
