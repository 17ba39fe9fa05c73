// The storage-unit form: the capacity (fm = width in m × shelves) shown as the user types.
(() => {
  const width = document.getElementById("id_width_mm");
  const shelves = document.getElementById("id_shelf_count");
  const out = document.getElementById("capacity");
  const update = () => {
    const w = parseInt(width.value, 10), s = parseInt(shelves.value, 10);
    out.textContent = (w > 0 && s > 0) ? PlanCore.storageCapacityFm(w, s) : "—";  // static/js/plan_core.js
  };
  width.addEventListener("input", update); shelves.addEventListener("input", update);
  update();  // also when the form comes back with errors, its values already typed
})();
