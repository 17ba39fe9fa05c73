// Floor plan editor: drag, rotate, snap to 10 mm, arrow keys. Positions are saved in mm.
// Plain ES2020, no build step. The SVG's viewBox is in millimetres, so pointer positions
// converted with getScreenCTM() are millimetres too.
(() => {
  "use strict";
  const root = document.getElementById("plan-editor");
  if (!root) return;
  const svg = root.querySelector("svg.plan-svg");
  const status = document.getElementById("plan-status");
  const info = document.getElementById("plan-selected");
  const editLink = document.getElementById("plan-edit-link");
  const editable = root.dataset.editable === "true";
  const moveUrl = root.dataset.moveUrl; // contains __kind__ and __pk__
  const editUrls = JSON.parse(root.dataset.editUrls || "{}");
  const SNAP = parseInt(root.dataset.snap || "10", 10);
  const floorW = parseInt(svg.dataset.widthMm, 10);
  const floorD = parseInt(svg.dataset.depthMm, 10);
  const messages = JSON.parse(document.getElementById("plan-messages").textContent);
  let selected = null;
  let drag = null;
  const pending = new Map();

  const snap = (v) => Math.round(v / SNAP) * SNAP;
  const clamp = (v, max) => Math.max(0, Math.min(v, max));
  const num = (el, key) => parseInt(el.dataset[key], 10);

  function render(el) {
    const x = num(el, "x"), y = num(el, "y"), r = num(el, "r");
    const cx = num(el, "w") / 2, cy = num(el, "d") / 2;
    el.setAttribute("transform", `translate(${x} ${y}) rotate(${r} ${cx} ${cy})`);
  }

  function describe(el) {
    if (!el) { info.textContent = messages.none; editLink.hidden = true; return; }
    const title = el.querySelector("title").textContent;
    info.textContent = `${title}: X ${el.dataset.x} mm, Y ${el.dataset.y} mm, ${el.dataset.r}°`;
    const url = editUrls[el.dataset.kind];
    if (url) { editLink.href = url.replace("__pk__", el.dataset.pk); editLink.hidden = false; }
  }

  function select(el) {
    if (selected) selected.classList.remove("selected");
    selected = el;
    if (el) { el.classList.add("selected"); el.parentNode.appendChild(el); el.focus({ preventScroll: true }); }
    describe(el);
  }

  function csrf() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  async function save(el) {
    const body = new FormData();
    body.append("x_mm", el.dataset.x);
    body.append("y_mm", el.dataset.y);
    body.append("rotation_deg", el.dataset.r);
    const url = moveUrl.replace("__kind__", el.dataset.kind).replace("__pk__", el.dataset.pk);
    status.textContent = messages.saving;
    try {
      const response = await fetch(url, {
        method: "POST", body, headers: { "X-CSRFToken": csrf() }, credentials: "same-origin",
      });
      const data = await response.json();
      if (!response.ok || !data.ok) throw new Error((data.errors || []).join(" "));
      el.dataset.x = data.x_mm; el.dataset.y = data.y_mm; el.dataset.r = data.rotation_deg;
      render(el);
      if (el === selected) describe(el);
      status.textContent = messages.saved;
      root.dataset.lastSaved = `${el.dataset.kind}-${el.dataset.pk}`;
    } catch (error) {
      status.textContent = `${messages.failed} ${error.message || ""}`;
    }
  }

  function saveSoon(el) {
    clearTimeout(pending.get(el));
    pending.set(el, setTimeout(() => { pending.delete(el); save(el); }, 350));
  }

  function point(event) {
    const p = svg.createSVGPoint();
    p.x = event.clientX; p.y = event.clientY;
    return p.matrixTransform(svg.getScreenCTM().inverse());
  }

  function moveTo(el, x, y) {
    el.dataset.x = clamp(snap(x), floorW);
    el.dataset.y = clamp(snap(y), floorD);
    render(el);
    describe(el);
  }

  function rotate(el, delta) {
    el.dataset.r = ((num(el, "r") + delta) % 360 + 360) % 360;
    render(el);
    describe(el);
    saveSoon(el);
  }

  svg.addEventListener("pointerdown", (event) => {
    const el = event.target.closest(".plan-item");
    if (!el) { select(null); return; }
    select(el);
    if (!editable) return;
    const p = point(event);
    drag = { el, start: p, x: num(el, "x"), y: num(el, "y"), moved: false, id: event.pointerId };
    svg.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  svg.addEventListener("pointermove", (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    const p = point(event);
    const dx = p.x - drag.start.x, dy = p.y - drag.start.y;
    if (!drag.moved && Math.hypot(dx, dy) < SNAP) return;
    drag.moved = true;
    moveTo(drag.el, drag.x + dx, drag.y + dy);
  });
  const endDrag = (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    const { el, moved } = drag;
    drag = null;
    if (moved) save(el);
  };
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);

  svg.addEventListener("focusin", (event) => {
    const el = event.target.closest(".plan-item");
    if (el && el !== selected) select(el);
  });
  svg.addEventListener("keydown", (event) => {
    if (!selected || !editable) return;
    const step = event.shiftKey ? SNAP * 10 : SNAP;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[event.key]) {
      const [dx, dy] = moves[event.key];
      moveTo(selected, num(selected, "x") + dx, num(selected, "y") + dy);
      saveSoon(selected);
      event.preventDefault();
    } else if (event.key === "r" || event.key === "R") {
      rotate(selected, event.shiftKey ? -90 : 90);
      event.preventDefault();
    } else if (event.key === "[" || event.key === "]") {
      rotate(selected, event.key === "]" ? 15 : -15);
      event.preventDefault();
    } else if (event.key === "Escape") {
      select(null);
    }
  });
  root.querySelectorAll("[data-rotate]").forEach((button) => {
    button.addEventListener("click", () => {
      if (selected && editable) rotate(selected, parseInt(button.dataset.rotate, 10));
    });
  });
  describe(null);
})();
