// Survey floor plan editor: drag, turn, nudge with the keyboard, undo (Ctrl+Z), then save the
// floor's changes at once with 保存. Items stay inside the floor; overlaps are listed.
// Plain ES2020, no build step; the shared parts are in static/js/plan_core.js (PlanCore).
(() => {
  "use strict";
  const root = document.getElementById("plan-editor");
  if (!root || !window.PlanCore) return;
  const core = window.PlanCore;
  const svg = root.querySelector("svg.plan-svg");
  const $ = (id) => document.getElementById(id);
  const status = $("plan-status");
  const info = $("plan-selected");
  const editLink = $("plan-edit-link");
  const warningList = $("plan-warnings");
  const editable = root.dataset.editable === "true";
  // The detail URLs end in __pk__ (built by the view); the item's pk takes its place.
  const editUrls = JSON.parse(root.dataset.editUrls || "{}");
  const SNAP = parseInt(root.dataset.snap || "10", 10);
  const floor = { w: parseInt(svg.dataset.widthMm, 10), d: parseInt(svg.dataset.depthMm, 10) };
  const text = JSON.parse($("plan-messages").textContent);
  const undo = new core.UndoStack();
  const NS = "http://www.w3.org/2000/svg";

  const nodes = [...svg.querySelectorAll(".plan-item")];
  const keyOf = (el) => `${el.dataset.kind}-${el.dataset.pk}`;
  const byKey = new Map(nodes.map((el) => [keyOf(el), el]));
  const num = (el, key) => parseInt(el.dataset[key], 10);
  const itemOf = (el) => ({
    x: num(el, "x"), y: num(el, "y"), w: num(el, "w"), d: num(el, "d"), r: num(el, "r"),
    label: el.querySelector("title").textContent, el,
  });
  const saved = new Map(nodes.map((el) => [keyOf(el), [num(el, "x"), num(el, "y"), num(el, "r")]]));
  let selected = null;
  let drag = null;

  // The selection ring is drawn last, over every item, so the items keep their plan order
  // (and their Tab order) whatever is selected.
  const ring = document.createElementNS(NS, "rect");
  ring.setAttribute("class", "plan-selection-ring");
  ring.setAttribute("fill", "none");
  ring.setAttribute("pointer-events", "none");
  ring.setAttribute("aria-hidden", "true");
  ring.style.display = "none";
  svg.appendChild(ring);

  function render(el) {
    const x = num(el, "x"), y = num(el, "y"), r = num(el, "r");
    const cx = num(el, "w") / 2, cy = num(el, "d") / 2;
    el.setAttribute("transform", `translate(${x} ${y}) rotate(${r} ${cx} ${cy})`);
    if (el === selected) placeRing(el);
  }

  function placeRing(el) {
    if (!el) { ring.style.display = "none"; return; }
    const w = num(el, "w"), d = num(el, "d");
    const pad = Math.max(40, Math.min(floor.w, floor.d) / 200);
    ring.setAttribute("x", -pad); ring.setAttribute("y", -pad);
    ring.setAttribute("width", w + 2 * pad); ring.setAttribute("height", d + 2 * pad);
    ring.setAttribute("stroke-width", pad * 0.8);
    ring.setAttribute("transform", el.getAttribute("transform"));
    ring.style.display = "";
  }

  function changed() {
    return nodes.filter((el) => {
      const [x, y, r] = saved.get(keyOf(el));
      return num(el, "x") !== x || num(el, "y") !== y || num(el, "r") !== r;
    });
  }

  function refresh() {
    const dirty = changed().length > 0;
    root.dataset.dirty = String(dirty);
    const saveButton = $("plan-save");
    if (saveButton) saveButton.disabled = !dirty;
    const undoButton = $("plan-undo");
    if (undoButton) undoButton.disabled = undo.size === 0;
    if (dirty) status.textContent = text.unsaved;
    else if (status.textContent === text.unsaved) status.textContent = "";
    showWarnings();
  }

  function showWarnings() {
    const items = nodes.filter((el) => el.dataset.kind !== "room").map(itemOf);
    const found = core.layoutWarnings(items, 0).filter((w) => w.kind === "overlap");
    nodes.forEach((el) => el.classList.remove("warn"));
    warningList.replaceChildren();
    for (const w of found) {
      w.a.el.classList.add("warn");
      w.b.el.classList.add("warn");
      const li = document.createElement("li");
      li.textContent = core.format(text.overlap, { a: w.a.label, b: w.b.label });
      warningList.appendChild(li);
    }
    if (!found.length) {
      const li = document.createElement("li");
      li.className = "text-muted";
      li.textContent = text.noWarnings;
      warningList.appendChild(li);
    }
  }

  function describe(el) {
    if (!el) { info.textContent = text.none; editLink.hidden = true; return; }
    info.textContent = core.format(text.position, {
      item: el.querySelector("title").textContent,
      x: num(el, "x").toLocaleString(), y: num(el, "y").toLocaleString(), r: el.dataset.r,
    });
    const url = editUrls[el.dataset.kind];
    if (url) { editLink.href = url.replace("__pk__", el.dataset.pk); editLink.hidden = false; }
  }

  function select(el, { focus = true } = {}) {
    if (selected) { selected.classList.remove("selected"); selected.setAttribute("aria-pressed", "false"); }
    selected = el;
    if (el) {
      el.classList.add("selected");
      el.setAttribute("aria-pressed", "true");
      if (focus && document.activeElement !== el) el.focus({ preventScroll: true });
    }
    placeRing(el);
    describe(el);
  }

  function snapshot() {
    return nodes.map((el) => [keyOf(el), num(el, "x"), num(el, "y"), num(el, "r")]);
  }

  function remember() {
    undo.push(snapshot());
  }

  function undoLast() {
    const last = undo.pop();
    if (!last) return;
    for (const [key, x, y, r] of last) {
      const el = byKey.get(key);
      if (!el) continue;
      el.dataset.x = x; el.dataset.y = y; el.dataset.r = r;
      render(el);
    }
    describe(selected);
    refresh();
  }

  // Snapped, then kept inside the floor whatever the rotation.
  function place(el, x, y, r = num(el, "r")) {
    const it = { x: core.snap(x, SNAP), y: core.snap(y, SNAP), w: num(el, "w"), d: num(el, "d"), r };
    const inside = core.clampInside(it, floor);
    el.dataset.x = inside.x; el.dataset.y = inside.y; el.dataset.r = r;
    render(el);
    describe(el);
  }

  function rotate(el, delta) {
    remember();
    place(el, num(el, "x"), num(el, "y"), core.normaliseRotation(num(el, "r") + delta));
    refresh();
  }

  async function save() {
    const items = changed().map((el) => ({
      kind: el.dataset.kind, pk: num(el, "pk"), x: num(el, "x"), y: num(el, "y"), r: num(el, "r"),
    }));
    if (!items.length) { status.textContent = text.nothing; return; }
    status.textContent = text.saving;
    const errors = $("plan-errors");
    errors.replaceChildren();
    errors.hidden = true;
    const result = await core.saveJSON(root.dataset.saveUrl, { items });
    if (!result.ok) {
      status.textContent = text.failed;
      const list = document.createElement("ul");
      list.className = "mb-0";
      for (const message of result.errors) {
        const li = document.createElement("li");
        li.textContent = message;
        list.appendChild(li);
      }
      errors.replaceChildren(document.createTextNode(text.failed), list);
      errors.hidden = false;
      return;
    }
    for (const it of result.data.items) {
      const el = byKey.get(`${it.kind}-${it.pk}`);
      if (!el) continue;
      el.dataset.x = it.x; el.dataset.y = it.y; el.dataset.r = it.r;
      saved.set(keyOf(el), [it.x, it.y, it.r]);
      render(el);
    }
    undo.clear();
    refresh();
    status.textContent = text.saved;
    root.dataset.lastSaved = String(Date.now());
  }

  svg.addEventListener("pointerdown", (event) => {
    const el = event.target.closest(".plan-item");
    if (!el) { select(null); return; }
    select(el);
    if (!editable) return;
    const p = core.toPlan(svg, event);
    drag = { el, start: p, x: num(el, "x"), y: num(el, "y"), moved: false, id: event.pointerId };
    svg.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  svg.addEventListener("pointermove", (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    const p = core.toPlan(svg, event);
    const dx = p.x - drag.start.x, dy = p.y - drag.start.y;
    if (!drag.moved && Math.hypot(dx, dy) < SNAP) return;
    if (!drag.moved) remember();
    drag.moved = true;
    place(drag.el, drag.x + dx, drag.y + dy);
  });
  const endDrag = (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    const { moved } = drag;
    drag = null;
    if (moved) refresh();
  };
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);

  svg.addEventListener("focusin", (event) => {
    const el = event.target.closest(".plan-item");
    if (el && el !== selected) select(el, { focus: false });
  });
  svg.addEventListener("keydown", (event) => {
    if (!selected || !editable || event.ctrlKey || event.metaKey) return;
    const move = core.keyMove(event, SNAP);
    if (move) {
      remember();
      place(selected, num(selected, "x") + move[0], num(selected, "y") + move[1]);
      refresh();
    } else if (event.key === "r" || event.key === "R") {
      rotate(selected, event.shiftKey ? -90 : 90);
    } else if (event.key === "[" || event.key === "]") {
      rotate(selected, event.key === "]" ? 15 : -15);
    } else if (event.key === "Escape") {
      select(null);
      svg.focus?.();
    } else {
      return;
    }
    event.preventDefault();
  });
  document.addEventListener("keydown", (event) => {
    if (!editable || event.target.closest("input, textarea, select")) return;
    if (core.isUndoKey(event)) {
      undoLast();
      event.preventDefault();
    } else if ((event.ctrlKey || event.metaKey) && (event.key === "s" || event.key === "S")) {
      save();
      event.preventDefault();
    }
  });
  document.querySelectorAll("[data-rotate]").forEach((button) => {
    button.addEventListener("click", () => {
      if (selected && editable) rotate(selected, parseInt(button.dataset.rotate, 10));
    });
  });
  $("plan-undo")?.addEventListener("click", undoLast);
  $("plan-save")?.addEventListener("click", save);
  window.addEventListener("beforeunload", (event) => {
    if (changed().length) { event.preventDefault(); event.returnValue = ""; }
  });

  refresh();
  status.textContent = "";
  // An item just added (?item=desk-12): selected, in view, and marked as new.
  const fresh = byKey.get(root.dataset.selected || "");
  if (fresh) {
    fresh.classList.add("is-new");
    select(fresh);
    fresh.scrollIntoView({ block: "center" });
  } else {
    describe(null);
  }
})();
