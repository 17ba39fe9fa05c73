// Feedback for downloads that are built on request (report PDF, electronic data ZIP): the
// browser shows nothing until the file arrives, so the link says that the build is running
// and ignores repeated taps (each would start another build) for a while.
(function () {
  "use strict";
  const template = document.getElementById("download-status-text");
  if (!template) return;
  const BUSY_MS = 20000;
  document.addEventListener("click", function (event) {
    const link = event.target.closest("a[download]");
    if (!link) return;
    if (link.getAttribute("aria-disabled") === "true") {
      event.preventDefault();
      return;
    }
    link.setAttribute("aria-disabled", "true");
    link.classList.add("disabled");
    // A line of its own under the row of buttons, so that the buttons keep their size.
    const status = document.createElement("p");
    status.className = "download-status small mt-2 mb-0 w-100";
    status.setAttribute("role", "status");
    status.innerHTML = '<span class="spinner-border spinner-border-sm me-1" aria-hidden="true"></span>';
    status.append(template.textContent.trim());
    link.parentElement.after(status);
    window.setTimeout(function () {
      link.removeAttribute("aria-disabled");
      link.classList.remove("disabled");
      status.remove();
    }, BUSY_MS);
  });
})();
