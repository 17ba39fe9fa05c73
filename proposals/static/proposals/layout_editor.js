// Layout editor of a proposal's alternative (plain ES2020, no build step).
// The state (items, zones) comes from the page as JSON; every change re-renders the SVG from
// it. Saving posts the whole floor's state; the server recomputes actions and warnings.
"use strict";

(() => {
  const root = document.getElementById("layout-editor");
  if (!root) return;
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

  let counter = 0;
  const keyed = (obj) => ({ ...obj, key: `k${counter++}` });
  let items = state.items.map(keyed);
  let zones = state.zones.map((z) => keyed({ ...z, zone: true }));
  let selected = null;
  let dirty = false;
  const undoStack = [];

  const $ = (id) => document.getElementById(id);
  const snap = (v) => Math.round(v / state.snap) * state.snap;
  const clampX = (v) => Math.min(Math.max(0, v), state.floor.w);
  const clampY = (v) => Math.min(Math.max(0, v), state.floor.d);
  const format = (template, values) =>
    template.replace(/%\((\w+)\)s/g, (_m, name) => String(values[name]));

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
    undoStack.push(JSON.stringify({ items, zones }));
    if (undoStack.length > 200) undoStack.shift();
    markDirty();
  }

  function undo() {
    const last = undoStack.pop();
    if (!last) return;
    ({ items, zones } = JSON.parse(last));
    if (selected && !find(selected)) selected = null;
    render();
  }

  function setStatus(message) {
    $("editor-status").textContent = message;
  }

  // --- Warnings (same rules as proposals/layout_check.py) ----------------------------------

  function box(it) {
    const cx = it.x + it.w / 2;
    const cy = it.y + it.d / 2;
    const angle = ((it.r % 360) * Math.PI) / 180;
    const cos = Math.abs(Math.cos(angle));
    const sin = Math.abs(Math.sin(angle));
    const hw = (it.w * cos + it.d * sin) / 2;
    const hd = (it.w * sin + it.d * cos) / 2;
    const r = (v) => Math.round(v * 1000) / 1000;
    return { it, x0: r(cx - hw), y0: r(cy - hd), x1: r(cx + hw), y1: r(cy + hd) };
  }

  function warnings() {
    const boxes = items.filter((it) => !it.removed).map(box);
    boxes.sort((a, b) => a.x0 - b.x0 || a.y0 - b.y0);
    const found = [];
    for (let i = 0; i < boxes.length; i++) {
      const a = boxes[i];
      for (let j = i + 1; j < boxes.length; j++) {
        const b = boxes[j];
        if (b.x0 >= a.x1 + state.minAisle) break;
        const ox = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
        const oy = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
        // Both items where the survey found them: the office already has it (inherited).
        const inherited = statusOf(a.it) === "keep" && statusOf(b.it) === "keep";
        if (ox > 0 && oy > 0) {
          found.push({ a: a.it, b: b.it, gap: -1, inherited, message: format(text.overlap, { a: a.it.label, b: b.it.label }) });
          continue;
        }
        let gap;
        if (ox > 0) gap = -oy;
        else if (oy > 0) gap = -ox;
        else continue;
        if (gap >= state.ignoreGap && gap < state.minAisle) {
          found.push({
            a: a.it, b: b.it, gap, inherited,
            message: format(text.aisle, { a: a.it.label, b: b.it.label, gap: Math.round(gap).toLocaleString() }),
          });
        }
      }
    }
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

  function drawLabel(group, it, label) {
    const size = Math.min(font, it.d * 0.6, (it.w * 1.8) / Math.max(label.length, 1));
    const t = el("text", {
      x: it.w / 2, y: it.d / 2, "font-size": Math.floor(size), "text-anchor": "middle",
      "dominant-baseline": "central", fill: "#212529", "pointer-events": "none",
      transform: `rotate(${-it.r} ${it.w / 2} ${it.d / 2})`,
    }, group);
    t.textContent = label;
  }

  function render() {
    const hadFocus = svg.contains(document.activeElement);
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
      drawLabel(g, it, labelOf(it));
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
    showSelection();
    if (selected) {
      const node = svg.querySelector(`[data-key="${selected}"]`);
      if (node && hadFocus) node.focus();
    }
  }

  function showSelection() {
    const it = selected && find(selected);
    $("selection-text").textContent = it ? `${labelOf(it)}: ${text[statusOf(it)]} (W${it.w}×D${it.d}, ${it.x}, ${it.y}, ${it.r}°)` : text.nothing;
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
    it.x = clampX(snap(it.x + dx));
    it.y = clampY(snap(it.y + dy));
    render();
  }

  function rotate() {
    const it = selected && find(selected);
    if (!it || !editable) return;
    remember();
    it.r = (it.r + 90) % 360;
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
    const fresh = keyed({ ...it, id: null, x: clampX(it.x + 200), y: clampY(it.y + 200) });
    if (it.zone) zones.push(fresh);
    else items.push(fresh);
    selected = fresh.key;
    render();
  }

  function centre(w, d) {
    const x = snap(Math.max(0, state.floor.w / 2 - w / 2));
    const y = snap(Math.max(0, state.floor.d / 2 - d / 2));
    return { x, y };
  }

  function addCatalogueItem() {
    const id = Number($("add-catalogue").value);
    const entry = state.catalogue.find((c) => c.id === id);
    if (!entry) return;
    remember();
    const it = keyed({
      id: null, source: "", catalogue: entry.id, label: entry.name, kind: "new",
      ...centre(entry.w, entry.d), w: entry.w, d: entry.d, r: 0, removed: false, orig: null,
    });
    items.push(it);
    selected = it.key;
    render();
  }

  function addZone() {
    const select = $("add-zone-kind");
    remember();
    const z = keyed({
      id: null, zone: true, kind: select.value, name: select.selectedOptions[0].textContent,
      capacity: 4, ...centre(2000, 2000), w: 2000, d: 2000, r: 0,
    });
    zones.push(z);
    selected = z.key;
    render();
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
    const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
    let response;
    try {
      response = await fetch(root.dataset.saveUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify(body),
      });
    } catch (error) {
      showErrors([String(error)]);
      return;
    }
    const result = await response.json().catch(() => ({ ok: false, errors: [response.statusText] }));
    if (!response.ok || !result.ok) {
      showErrors(result.errors || [response.statusText]);
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

  function toPlan(event) {
    const point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    return point.matrixTransform(svg.getScreenCTM().inverse());
  }

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
    const x = clampX(snap(drag.x + p.x - drag.start.x));
    const y = clampY(snap(drag.y + p.y - drag.start.y));
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
    const step = event.shiftKey ? 100 : state.snap;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[event.key]) {
      moveBy(...moves[event.key]);
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
    if ((event.ctrlKey || event.metaKey) && event.key === "z" && editable) {
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
