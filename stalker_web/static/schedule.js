// A schedule run's page follows the run: it asks for the run's status every second, updates
// the status, phase and seconds, and reloads itself to show the result once the run has ended.
// Without this file the page refreshes itself (a <noscript> meta refresh) while the run is active.
(function () {
  var section = document.getElementById("run-progress");
  if (!section || section.getAttribute("data-active") !== "true") return;
  var url = section.getAttribute("data-status-url");
  var statusText = document.getElementById("run-status");
  var phaseText = document.getElementById("run-phase");
  var secondsText = document.getElementById("run-seconds");
  var steps = section.querySelectorAll(".run-phases li");
  var failures = 0;

  function show(status) {
    statusText.textContent = status.status_label;
    statusText.className = "badge run-" + status.status;
    phaseText.textContent = status.phase_label;
    if (status.seconds !== null) secondsText.textContent = status.seconds.toFixed(1) + " s";
    for (var i = 0; i < steps.length; i++) {
      var step = steps[i];
      var index = Number(step.getAttribute("data-phase"));
      step.classList.toggle("done", index < status.phase_index || status.status === "succeeded");
      if (status.active && index === status.phase_index) {
        step.setAttribute("aria-current", "step");
      } else {
        step.removeAttribute("aria-current");
      }
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("The server answered " + response.status + ".");
        return response.json();
      })
      .then(function (status) {
        failures = 0;
        show(status);
        if (status.active) {
          window.setTimeout(poll, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        failures += 1;
        window.setTimeout(poll, Math.min(10000, 1000 * (failures + 1)));
      });
  }

  window.setTimeout(poll, 1000);
})();
