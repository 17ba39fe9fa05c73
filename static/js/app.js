// Behaviour that used to sit in inline handlers (the Content-Security-Policy forbids them).
(() => {
  // <form data-confirm="…">: ask before submitting (deletes).
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm
        && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
  // <select data-submit-on-change>: the language menu submits when changed.
  document.addEventListener("change", (event) => {
    const field = event.target;
    if (field instanceof HTMLSelectElement && field.hasAttribute("data-submit-on-change")) {
      field.form.submit();
    }
  });
})();
