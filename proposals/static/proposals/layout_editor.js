// Layout editor of a proposal's alternative (plain ES2020, no build step).
// The state (items, zones) comes from the page as JSON; every change re-renders the SVG from
// it. Saving posts the whole floor's state; the server recomputes actions and warnings.
// Pointer → mm, snapping, keeping items on the floor, the warnings, the free spot for a new
// item, undo and the save request come from the shared plan core (static/js/plan_core.js).
"use strict";

(() => {
  const root = document.getElementById("layout-editor");
  if (!root || !window.PlanCore) return;
  const core = window.PlanCore;
  const state = JSON.parse(document.getElementById("layout-state").textContent);
  const text = JSON.parse(document.getElementById("layout-text").textContent);
  const editable = root.dataset.editable === "true";
  const svg = root.querySelector("svg");
  const NS = "http://www.w3.org/2000/svg";
  const FILLS = {
    desk: "#cfe2ff", storage: "#ffe5b4", furniture: "#e2e3e5",
    move: "#ffe066", new: "#b2f2bb", removed: "#f8d7da", zone: "#e5dbff",
  };
  const font = Math.max(120, Math.floor(Math.min(state.floor.w, state.floor.d) / 40));
  // Labels as in the server's drawing (engagements/drawing/plan.py): at most 1/55 of the
  // drawing's width, at least 1/95, else a number listed under the plan.
  const maxFont = state.floor.w / 55;
  const minFont = state.floor.w / 95;
  const floorBox = { w: state.floor.w, d: state.floor.d };

  let counter = 0;
  const keyed = (obj) => ({ ...obj, key: `k${counter++}` });
  let items = state.items.map(keyed);
  let zones = state.zones.map((z) => keyed({ ...z, zone: true }));
  let selected = null;
  let dirty = false;
  const undoStack = new core.UndoStack();

  const $ = (id) => document.getElementById(id);
  const snap = (v) => core.snap(v, state.snap);
  const format = core.format;
  // Snapped, then moved back onto the floor whatever its rotation.
  function placeAt(it, x, y) {
    const inside = core.clampInside({ ...it, x: snap(x), y: snap(y) }, floorBox);
    it.x = inside.x;
    it.y = inside.y;
  }

  function statusOf(it) {
    if (it.zone) return "zone";
    if (!it.source) return "new";
    if (it.removed) return "removed";
    const [ox, oy, or] = it.orig;
    return it.x === ox && it.y === oy && it.r === or ? "keep" : "move";
  }

  function fillOf(it) {
    const status = statusOf(it);
    return status === "keep" ? FILLS[it.kind] || FILLS.furniture : FILLS[status];
  }

  function labelOf(it) {
    return it.zone ? `${it.name} (${it.capacity})` : it.label;
  }

  function all() {
    return [...zones, ...items];
  }

  function find(key) {
    return all().find((it) => it.key === key) || null;
  }

  function markDirty() {
    dirty = true;
    setStatus(text.unsaved);
  }

  function remember() {
    undoStack.push({ items, zones });
    markDirty();
  }

  function undo() {
    const last = undoStack.pop();
    if (!last) return;
    ({ items, zones } = last);
    if (selected && !find(selected)) selected = null;
    render();
  }

  function setStatus(message) {
    $("editor-status").textContent = message;
  }

  // --- Warnings (the plan core's, as engagements/drawing/geometry.py) ----------------------

  function warnings() {
    const live = items.filter((it) => !it.removed)
      .map((it) => ({ ...it, it, surveyed: statusOf(it) === "keep" }));
    const found = core.layoutWarnings(live, state.minAisle, state.ignoreGap).map((w) => ({
      a: w.a.it, b: w.b.it, gap: w.kind === "overlap" ? -1 : w.gap, inherited: w.inherited,
      message: w.kind === "overlap"
        ? format(text.overlap, { a: w.a.label, b: w.b.label })
        : format(text.aisle, { a: w.a.label, b: w.b.label, gap: w.gap.toLocaleString() }),
    }));
    // The alternative's own warnings first: overlaps, then the narrowest aisles.
    return found.sort((p, q) => p.inherited - q.inherited || p.gap - q.gap);
  }

  // --- Drawing ------------------------------------------------------------------------------

  function el(name, attrs, parent) {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (parent) parent.appendChild(node);
    return node;
  }

  const widthEm = (t) => [...t].reduce((n, ch) => n + (ch.codePointAt(0) > 0x2E80 ? 1 : /[A-Z]/.test(ch) ? 0.7 : 0.6), 0);
  const fitSize = (label, w, d, min) => {
    const lines = label.split("\n");
    const widest = Math.max(...lines.map(widthEm)) || 1;
    const size = Math.min(maxFont, (w * 0.88) / widest, (d * 0.8) / (1.2 * lines.length));
    return size >= min ? size : null;
  };
  let numbered = [];

  function drawLabel(group, it, label) {
    const quarter = ((it.r % 180) + 180) % 180;
    const [w, d] = quarter === 90 ? [it.d, it.w] : quarter === 0 ? [it.w, it.d] : [Math.min(it.w, it.d), Math.min(it.w, it.d)];
    let size = fitSize(label, w, d, minFont);
    if (size === null && label.trim().includes(" ")) { // two lines before a number
      const wrapped = label.trim().replace(" ", "\n");
      size = fitSize(wrapped, w, d, minFont);
      if (size !== null) label = wrapped;
    }
    if (size === null) {
      numbered.push(label);
      label = String(numbered.length);
      size = Math.max(fitSize(label, w, d, 0) || minFont, minFont * 0.8);
    }
    const t = el("text", {
      x: it.w / 2, y: it.d / 2, "font-size": Math.floor(size), "text-anchor": "middle",
      "dominant-baseline": "central", fill: "#212529", "pointer-events": "none",
      transform: `rotate(${-it.r} ${it.w / 2} ${it.d / 2})`,
    }, group);
    const lines = label.split("\n");
    if (lines.length === 1) {
      t.textContent = label;
      return label;
    }
    lines.forEach((line, i) => {
      const span = el("tspan", { x: it.w / 2, y: it.d / 2 + (i - (lines.length - 1) / 2) * size * 1.2 }, t);
      span.textContent = line;
    });
    return lines.join("");
  }

  // A button's name holds the text drawn on it (axe: label-content-name-mismatch).
  function accessibleName(name, shown) {
    const squeeze = (v) => v.replace(/\s+/g, "");
    // A number standing for the label is always said first ("2" is also in "12人用").
    if (/^\d+$/.test(shown)) return `${shown} ${name}`;
    return !shown || squeeze(name).includes(squeeze(shown)) ? name : `${shown} ${name}`;
  }

  function render() {
    const hadFocus = svg.contains(document.activeElement);
    numbered = [];
    svg.replaceChildren();
    if (state.floor.image) {
      el("image", { href: state.floor.image, x: 0, y: 0, width: state.floor.w, height: state.floor.d, preserveAspectRatio: "none" }, svg);
    }
    el("rect", { x: 0, y: 0, width: state.floor.w, height: state.floor.d, fill: state.floor.image ? "none" : "#fff", stroke: "#212529", "stroke-width": Math.floor(font / 4) }, svg);
    for (const room of state.rooms) {
      const g = el("g", { transform: `translate(${room.x} ${room.y}) rotate(${room.r} ${room.w / 2} ${room.d / 2})`, "pointer-events": "none" }, svg);
      el("rect", { width: room.w, height: room.d, fill: "#f8f9fa", stroke: "#6c757d", "stroke-width": Math.floor(font / 6) }, g);
      drawLabel(g, room, room.label);
    }
    const found = warnings();
    const warned = new Set();
    const warnedInherited = new Set();
    for (const w of found) {
      const set = w.inherited ? warnedInherited : warned;
      set.add(w.a.key);
      set.add(w.b.key);
    }
    for (const it of all()) {
      const status = statusOf(it);
      const classes = ["li", `li-${status}`];
      if (it.key === selected) classes.push("selected");
      if (warned.has(it.key)) classes.push("warn");
      else if (warnedInherited.has(it.key)) classes.push("warn-inherited");
      if (status === "removed") classes.push("removed");
      const g = el("g", {
        class: classes.join(" "), "data-key": it.key, "data-status": status,
        "data-source": it.source || "", "data-x": it.x, "data-y": it.y, "data-r": it.r,
        tabindex: "0", role: "button", "aria-label": `${labelOf(it)} (${text[status]})`,
        "aria-pressed": it.key === selected ? "true" : "false",
        transform: `translate(${it.x} ${it.y}) rotate(${it.r} ${it.w / 2} ${it.d / 2})`,
      }, svg);
      el("title", {}, g).textContent = `${labelOf(it)} (${text[status]})`;
      el("rect", { width: it.w, height: it.d, fill: fillOf(it), stroke: it.zone ? "#6f42c1" : "#495057", "stroke-width": Math.floor(font / 6) }, g);
      const shown = drawLabel(g, it, labelOf(it));
      g.setAttribute("aria-label", accessibleName(g.getAttribute("aria-label"), shown));
    }
    const own = found.filter((w) => !w.inherited);
    const inherited = found.filter((w) => w.inherited);
    const fill = (list, warningsToShow) => {
      list.replaceChildren();
      for (const w of warningsToShow) {
        const li = document.createElement("li");
        li.textContent = w.message;
        list.appendChild(li);
      }
    };
    const list = $("editor-warnings");
    fill(list, own);
    if (!own.length) {
      const li = document.createElement("li");
      li.className = "text-muted";
      li.textContent = text.none;
      list.appendChild(li);
    }
    const folded = $("editor-warnings-inherited");
    folded.hidden = !inherited.length;
    folded.querySelector("summary").textContent = format(text.inherited, { n: inherited.length });
    fill(folded.querySelector("ul"), inherited);
    const numbers = $("editor-numbers");
    if (numbers) {
      numbers.replaceChildren(...numbered.map((label) => {
        const li = document.createElement("li");
        li.textContent = label;
        return li;
      }));
    }
    showSelection();
    if (selected) {
      const node = svg.querySelector(`[data-key="${selected}"]`);
      if (node && hadFocus) node.focus();
    }
  }

  function showSelection() {
    const it = selected && find(selected);
    $("selection-text").textContent = it ? format(text.selection, {
      label: labelOf(it), status: text[statusOf(it)], w: it.w.toLocaleString(),
      d: it.d.toLocaleString(), x: it.x.toLocaleString(), y: it.y.toLocaleString(), r: it.r,
    }) : text.nothing;
    const fields = $("zone-fields");
    fields.hidden = !(it && it.zone);
    if (it && it.zone) {
      $("zone-name").value = it.name;
      $("zone-capacity").value = it.capacity;
      $("zone-w").value = it.w;
      $("zone-d").value = it.d;
    }
    for (const id of ["zone-name", "zone-capacity", "zone-w", "zone-d"]) $(id).disabled = !editable;
  }

  function select(key) {
    selected = key;
    render();
  }

  // --- Operations ---------------------------------------------------------------------------

  function moveBy(dx, dy) {
    const it = selected && find(selected);
    if (!it || !editable) return;
    remember();
    placeAt(it, it.x + dx, it.y + dy);
    render();
  }

  function rotate() {
    const it = selected && find(selected);
    if (!it || !editable) return;
    remember();
    it.r = (it.r + 90) % 360;
    placeAt(it, it.x, it.y);
    render();
  }

  function removeSelected() {
    const it = selected && find(selected);
    if (!it || !editable) return;
    remember();
    if (it.source) {
      it.removed = !it.removed; // a surveyed item is marked removed, or restored
    } else if (it.zone) {
      zones = zones.filter((z) => z !== it);
      selected = null;
    } else {
      items = items.filter((x) => x !== it);
      selected = null;
    }
    render();
  }

  function copySelected() {
    const it = selected && find(selected);
    if (!it || !editable) return;
    if (it.source) {
      setStatus(text.cannotCopy);
      return;
    }
    remember();
    const fresh = keyed({ ...it, id: null });
    placeAt(fresh, it.x + 200, it.y + 200);
    if (it.zone) zones.push(fresh);
    else items.push(fresh);
    selected = fresh.key;
    render();
  }

  // The first free spot of the floor for a new w × d item (else the centre).
  function freeSpot(w, d) {
    const taken = [...state.rooms, ...zones, ...items.filter((it) => !it.removed)];
    const spot = core.firstFreeSpot(floorBox, w, d, taken);
    if (spot) return spot;
    return { x: snap(Math.max(0, state.floor.w / 2 - w / 2)), y: snap(Math.max(0, state.floor.d / 2 - d / 2)) };
  }

  // A new item: selected, focused, in view, and its place said.
  function showAdded(it) {
    selected = it.key;
    render();
    const node = svg.querySelector(`[data-key="${it.key}"]`);
    if (node) {
      node.focus({ preventScroll: true });
      node.scrollIntoView({ block: "center" });
    }
    setStatus(format(text.added, { label: labelOf(it), x: it.x.toLocaleString(), y: it.y.toLocaleString() }));
  }

  function addCatalogueItem() {
    const id = Number($("add-catalogue").value);
    const entry = state.catalogue.find((c) => c.id === id);
    if (!entry) return;
    remember();
    const it = keyed({
      id: null, source: "", catalogue: entry.id, label: entry.name, kind: "new",
      ...freeSpot(entry.w, entry.d), w: entry.w, d: entry.d, r: 0, removed: false, orig: null,
    });
    items.push(it);
    showAdded(it);
  }

  function addZone() {
    const select = $("add-zone-kind");
    remember();
    const z = keyed({
      id: null, zone: true, kind: select.value, name: select.selectedOptions[0].textContent,
      capacity: 4, ...freeSpot(2000, 2000), w: 2000, d: 2000, r: 0,
    });
    zones.push(z);
    showAdded(z);
  }

  function zoneField(id, apply) {
    $(id).addEventListener("change", (event) => {
      const it = selected && find(selected);
      if (!it || !it.zone || !editable) return;
      remember();
      apply(it, event.target.value);
      render();
    });
  }

  zoneField("zone-name", (z, v) => { z.name = v.trim() || z.name; });
  zoneField("zone-capacity", (z, v) => { z.capacity = Math.max(0, parseInt(v, 10) || 0); });
  zoneField("zone-w", (z, v) => { z.w = Math.max(100, snap(parseInt(v, 10) || z.w)); });
  zoneField("zone-d", (z, v) => { z.d = Math.max(100, snap(parseInt(v, 10) || z.d)); });

  async function save() {
    setStatus(text.saving);
    $("editor-errors").replaceChildren();
    const body = {
      version: Number(root.dataset.version),
      items: items.map((it) => ({
        id: it.id, source: it.source, catalogue: it.catalogue, label: it.label,
        x: it.x, y: it.y, r: it.r, removed: Boolean(it.removed),
      })),
      zones: zones.map((z) => ({
        id: z.id, kind: z.kind, name: z.name, capacity: z.capacity,
        x: z.x, y: z.y, w: z.w, d: z.d, r: z.r,
      })),
    };
    const result = await core.saveJSON(root.dataset.saveUrl, body);
    if (!result.ok) {
      showErrors(result.errors);
      return;
    }
    dirty = false;
    setStatus(text.saved);
    window.location.reload();
  }

  function showErrors(errors) {
    setStatus("");
    const box = $("editor-errors");
    box.replaceChildren(document.createTextNode(text.failed));
    const list = document.createElement("ul");
    for (const message of errors) {
      const li = document.createElement("li");
      li.textContent = message;
      list.appendChild(li);
    }
    box.appendChild(list);
  }

  // --- Pointer and keyboard -----------------------------------------------------------------

  const toPlan = (event) => core.toPlan(svg, event);

  let drag = null;
  svg.addEventListener("pointerdown", (event) => {
    const node = event.target.closest(".li");
    if (!node) {
      select(null);
      return;
    }
    select(node.dataset.key);
    svg.querySelector(`[data-key="${node.dataset.key}"]`)?.focus();
    if (!editable) return;
    const it = find(node.dataset.key);
    const start = toPlan(event);
    drag = { it, start, x: it.x, y: it.y, moved: false };
    svg.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  svg.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const p = toPlan(event);
    const spot = core.clampInside({ ...drag.it, x: snap(drag.x + p.x - drag.start.x), y: snap(drag.y + p.y - drag.start.y) }, floorBox);
    const { x, y } = spot;
    if (x === drag.it.x && y === drag.it.y) return;
    if (!drag.moved) {
      remember();
      drag.moved = true;
    }
    drag.it.x = x;
    drag.it.y = y;
    const node = svg.querySelector(`[data-key="${drag.it.key}"]`);
    node.setAttribute("transform", `translate(${x} ${y}) rotate(${drag.it.r} ${drag.it.w / 2} ${drag.it.d / 2})`);
  });
  const endDrag = () => {
    if (drag && drag.moved) render();
    drag = null;
  };
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);

  svg.addEventListener("focusin", (event) => {
    const node = event.target.closest(".li");
    if (node && node.dataset.key !== selected) {
      selected = node.dataset.key;
      svg.querySelectorAll(".li.selected").forEach((n) => n.classList.remove("selected"));
      node.classList.add("selected");
      showSelection();
    }
  });

  svg.addEventListener("keydown", (event) => {
    if (!selected) return;
    const move = core.keyMove(event, state.snap);
    if (move) {
      moveBy(...move);
    } else if (event.key === "r" || event.key === "R") {
      rotate();
    } else if (event.key === "c" || event.key === "C") {
      copySelected();
    } else if (event.key === "Delete" || event.key === "Backspace") {
      removeSelected();
    } else if (event.key === "Escape") {
      select(null);
    } else {
      return;
    }
    event.preventDefault();
  });
  document.addEventListener("keydown", (event) => {
    if (core.isUndoKey(event) && editable) {
      if (event.target.closest("input, textarea, select")) return;
      undo();
      event.preventDefault();
    }
  });

  if (editable) {
    $("add-item").addEventListener("click", addCatalogueItem);
    $("add-zone").addEventListener("click", addZone);
    $("rotate").addEventListener("click", rotate);
    $("copy").addEventListener("click", copySelected);
    $("delete").addEventListener("click", removeSelected);
    $("undo").addEventListener("click", undo);
    $("save").addEventListener("click", save);
    window.addEventListener("beforeunload", (event) => {
      if (dirty) event.preventDefault();
    });
  }
  render();
})();
