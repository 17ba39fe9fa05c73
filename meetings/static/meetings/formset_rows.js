// "行を追加" for the formsets of the minutes and meeting forms (decisions, action items,
// guests). Each formset has a <template data-formset-template="PREFIX"> holding Django's
// empty_form (its names and ids contain "__prefix__"), a container [data-formset-rows="PREFIX"]
// and a button [data-formset-add="PREFIX"]. A click copies the template with the next index
// and raises PREFIX-TOTAL_FORMS. Without JavaScript the button stays hidden and the server
// still adds empty rows after each save.
(() => {
  for (const button of document.querySelectorAll("[data-formset-add]")) {
    const prefix = button.dataset.formsetAdd;
    const template = document.querySelector(`template[data-formset-template="${prefix}"]`);
    const rows = document.querySelector(`[data-formset-rows="${prefix}"]`);
    const total = document.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
    const max = document.querySelector(`input[name="${prefix}-MAX_NUM_FORMS"]`);
    if (!template || !rows || !total) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      const index = Number.parseInt(total.value, 10);
      if (max && index >= Number.parseInt(max.value, 10)) return;
      const html = template.innerHTML.replaceAll("__prefix__", String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      const added = rows.lastElementChild;
      const first = added && added.querySelector("textarea, input:not([type=hidden]), select");
      if (first) first.focus();
    });
  }
})();
