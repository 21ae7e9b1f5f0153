// The searching user picker (templates/macros/user_picker.jinja2), progressive enhancement:
// without this file the text field takes comma-separated logins. With it, the field becomes a
// combobox (ARIA 1.2 pattern): typing asks /users/search.json (debounced), the matches show in a
// listbox (arrows move, Enter chooses, Escape closes) and a chosen person becomes a ticked box.
(function () {
  "use strict";
  var DELAY_MS = 200;
  var SHOWN = 10;

  function Picker(root) {
    this.root = root;
    this.name = root.getAttribute("data-user-picker");
    this.url = root.getAttribute("data-search-url");
    this.input = root.querySelector(".user-picker-search input");
    this.list = root.querySelector(".user-picker-options");
    this.chosen = root.querySelector(".user-picker-chosen");
    this.none = root.querySelector(".user-picker-none");
    this.status = root.querySelector(".user-picker-status");
    this.matches = [];
    this.active = -1;
    this.timer = null;
    this.asked = 0;
    this.enhance();
  }

  Picker.prototype.enhance = function () {
    var label = this.root.querySelector(".user-picker-search-label");
    label.textContent = label.getAttribute("data-searching-label");
    // Typed text is a search now, not logins to post.
    this.input.removeAttribute("name");
    this.input.value = "";
    this.input.setAttribute("role", "combobox");
    this.input.setAttribute("aria-autocomplete", "list");
    this.input.setAttribute("aria-expanded", "false");
    this.input.setAttribute("aria-controls", this.list.id);
    var picker = this;
    this.input.addEventListener("input", function () { picker.schedule(); });
    this.input.addEventListener("keydown", function (event) { picker.key(event); });
    this.input.addEventListener("blur", function () {
      window.setTimeout(function () { picker.close(); }, 150);
    });
    this.list.addEventListener("mousedown", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) {
        event.preventDefault();
        picker.choose(Number(option.getAttribute("data-index")));
      }
    });
    this.chosen.addEventListener("change", function (event) {
      if (event.target.type === "checkbox" && !event.target.checked) {
        event.target.closest("li").remove();
        picker.showNone();
        picker.input.focus();
      }
    });
  };

  Picker.prototype.chosenIds = function () {
    var ids = {};
    this.chosen.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      if (box.checked) ids[box.value] = true;
    });
    return ids;
  };

  Picker.prototype.showNone = function () {
    this.none.hidden = this.chosen.querySelector("li") !== null;
  };

  Picker.prototype.schedule = function () {
    var picker = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { picker.search(); }, DELAY_MS);
  };

  Picker.prototype.search = function () {
    var text = this.input.value.trim();
    if (!text) {
      this.close();
      return;
    }
    var query = new URLSearchParams({ q: text.slice(0, 100), limit: String(SHOWN) });
    ["project-id", "department-id"].forEach(function (key) {
      var value = this.root.getAttribute("data-" + key);
      if (value) query.set(key.replace("-", "_"), value);
    }, this);
    // A ticket's owner (tickets part): only the project's members are offered.
    if (this.root.hasAttribute("data-members-only")) query.set("members_only", "1");
    var asked = ++this.asked;
    var picker = this;
    fetch(this.url + "?" + query.toString(), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) throw new Error("The search failed (" + response.status + ").");
        return response.json();
      })
      .then(function (found) {
        if (asked === picker.asked) picker.show(found.users, found.more);
      })
      .catch(function (error) {
        if (asked === picker.asked) {
          picker.close();
          picker.status.textContent = error.message + " Type the logins, comma-separated, instead.";
        }
      });
  };

  Picker.prototype.show = function (users, more) {
    var taken = this.chosenIds();
    this.matches = users.filter(function (user) { return !taken[String(user.id)]; });
    this.list.textContent = "";
    this.matches.forEach(function (user, index) {
      var option = document.createElement("li");
      option.id = this.list.id + "-" + user.id;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-index", String(index));
      var initials = document.createElement("span");
      initials.className = "user-picker-initials";
      initials.setAttribute("aria-hidden", "true");
      initials.textContent = user.initials;
      var who = document.createElement("span");
      who.className = "user-picker-who";
      who.textContent = user.name + " (" + user.login + ")";
      option.append(initials, who);
      if (user.departments) {
        var departments = document.createElement("span");
        departments.className = "user-picker-departments";
        departments.textContent = user.departments;
        option.append(departments);
      }
      this.list.append(option);
    }, this);
    this.active = this.matches.length ? 0 : -1;
    this.highlight();
    this.list.hidden = this.matches.length === 0;
    this.input.setAttribute("aria-expanded", this.matches.length ? "true" : "false");
    if (!this.matches.length) {
      this.status.textContent = "Nobody else matches “" + this.input.value.trim() + "”.";
    } else {
      this.status.textContent = this.matches.length + (this.matches.length === 1 ? " person" : " people") +
        " found" + (more ? "; type more to narrow the list." : ".");
    }
  };

  Picker.prototype.highlight = function () {
    var options = this.list.querySelectorAll("[role=option]");
    options.forEach(function (option, index) {
      option.setAttribute("aria-selected", index === this.active ? "true" : "false");
    }, this);
    if (this.active >= 0) {
      this.input.setAttribute("aria-activedescendant", options[this.active].id);
      options[this.active].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };

  Picker.prototype.close = function () {
    this.list.hidden = true;
    this.matches = [];
    this.active = -1;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  };

  Picker.prototype.key = function (event) {
    var open = !this.list.hidden && this.matches.length > 0;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) {
        this.search();
        return;
      }
      var step = event.key === "ArrowDown" ? 1 : -1;
      this.active = (this.active + step + this.matches.length) % this.matches.length;
      this.highlight();
    } else if (event.key === "Enter") {
      // Enter chooses a match; it never submits the form from the search box.
      event.preventDefault();
      if (open && this.active >= 0) this.choose(this.active);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      this.close();
    }
  };

  Picker.prototype.choose = function (index) {
    var user = this.matches[index];
    if (!user) return;
    // A page may take the person itself (a note's "Mention" puts @login into the text): it
    // cancels this event, and no box is ticked.
    var choosing = new CustomEvent("userpicker:choose", { detail: user, bubbles: true, cancelable: true });
    if (!this.root.dispatchEvent(choosing)) {
      this.input.value = "";
      this.close();
      return;
    }
    var boxId = this.name + "-" + user.id;
    var chip = document.createElement("li");
    chip.className = "user-picker-chip";
    var box = document.createElement("input");
    box.type = "checkbox";
    box.name = this.name;
    box.value = String(user.id);
    box.id = boxId;
    box.checked = true;
    var label = document.createElement("label");
    label.htmlFor = boxId;
    label.textContent = user.name;
    chip.append(box, label);
    // A picker of one person (a ticket's owner, tickets part): the new choice replaces the old.
    if (this.root.hasAttribute("data-single")) this.chosen.textContent = "";
    this.chosen.append(chip);
    this.showNone();
    this.status.textContent = user.name + " added.";
    this.input.value = "";
    this.close();
    this.input.focus();
  };

  // The task form: choosing a type whose pipeline step has a department biases the pickers to
  // it; its default effort fills the timing while the timing was not typed in.
  function followTaskType(form) {
    var type = form.querySelector("select[name=type]");
    var timing = form.querySelector("input[name=schedule_timing]");
    var unit = form.querySelector("select[name=schedule_unit]");
    if (!type) return;
    var typed = false;
    if (timing) timing.addEventListener("input", function () { typed = true; });
    type.addEventListener("change", function () {
      var option = type.options[type.selectedIndex];
      var department = option ? option.getAttribute("data-department-id") : null;
      form.querySelectorAll("[data-user-picker]").forEach(function (root) {
        if (department) root.setAttribute("data-department-id", department);
        else root.removeAttribute("data-department-id");
      });
      var stepTiming = option ? option.getAttribute("data-timing") : null;
      if (timing && !typed && stepTiming) {
        timing.value = stepTiming;
        if (unit && option.getAttribute("data-unit")) unit.value = option.getAttribute("data-unit");
      }
    });
  }

  function start() {
    // A page holding several sections with pickers may load this file more than once.
    document.querySelectorAll("[data-user-picker]:not([data-picker-ready])").forEach(function (root) {
      root.setAttribute("data-picker-ready", "");
      new Picker(root);
    });
    document.querySelectorAll("form[data-follows-type]").forEach(followTaskType);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
