// Show only the fieldsets that belong to the chosen kind of request. Without JavaScript all
// of them stay visible and the server still checks what each kind needs.
(() => {
  const form = document.getElementById("approval-form");
  if (!form) return;
  const kind = form.querySelector("[name=kind]");
  const update = () => {
    for (const fieldset of form.querySelectorAll("fieldset[data-kind]")) {
      fieldset.hidden = fieldset.dataset.kind !== kind.value;
    }
  };
  kind.addEventListener("change", update);
  update();
})();
