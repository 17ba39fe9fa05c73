// Occupancy round screen: tap a desk on the plan, then its state. The list of <select>s below
// the plan is the form itself (it works without this script); the plan only drives it.
(() => {
  "use strict";
  const form = document.getElementById("round-form");
  const legendData = document.getElementById("occupancy-states");
  if (!form || !legendData) return;
  const states = JSON.parse(legendData.textContent);
  const byValue = new Map(states.map((s) => [s.value, s]));
  const editable = form.dataset.editable === "true";
  const SVG = "http://www.w3.org/2000/svg";
  const UNRECORDED = form.querySelector("select option[value='']")?.textContent || "";

  const selects = new Map();
  form.querySelectorAll("select[data-desk]").forEach((s) => selects.set(s.dataset.desk, s));
  const order = [...selects.keys()];
  const groups = new Map();
  document.querySelectorAll(".occupancy-round-plan .plan-desk").forEach((g) => {
    groups.set(g.dataset.desk, g);
  });

  const selectedOutput = document.getElementById("selected-desk");
  const countOutput = document.getElementById("round-count");
  const countTemplate = countOutput ? countOutput.dataset.template : "";
  let selected = null;
  let dirty = false;

  function stateOf(id) {
    const select = selects.get(id);
    return select ? select.value : groups.get(id)?.dataset.state || "";
  }

  // Two lines on each desk: its number, and its state in words (never colour alone).
  function decorate(g) {
    const rect = g.querySelector("rect");
    const number = g.querySelector("text");
    if (!rect || !number) return;
    const w = parseFloat(rect.getAttribute("width"));
    const h = parseFloat(rect.getAttribute("height"));
    const size = Math.min(parseFloat(number.getAttribute("font-size")), h * 0.36, w / 4.2);
    number.setAttribute("font-size", String(size));
    number.setAttribute("y", String(h / 2 - size * 0.55));
    const label = document.createElementNS(SVG, "text");
    label.setAttribute("x", number.getAttribute("x"));
    label.setAttribute("y", String(h / 2 + size * 0.6));
    label.setAttribute("font-size", String(size * 0.9));
    label.dataset.size = String(size * 0.9);
    label.setAttribute("text-anchor", "middle");
    label.setAttribute("dominant-baseline", "central");
    label.setAttribute("fill", "#212529");
    label.setAttribute("pointer-events", "none");
    if (number.getAttribute("transform")) {
      label.setAttribute("transform", number.getAttribute("transform"));
    }
    label.classList.add("state-label");
    g.appendChild(label);
    rect.dataset.stroke = rect.getAttribute("stroke-width") || "10";
  }

  function paint(id) {
    const g = groups.get(id);
    if (!g) return;
    const value = stateOf(id);
    const state = byValue.get(value);
    const rect = g.querySelector("rect");
    rect.setAttribute("fill", state ? state.colour : "#ffffff");
    rect.setAttribute("stroke-dasharray", state ? "" : `${rect.dataset.stroke * 3}`);
    const label = g.querySelector(".state-label");
    if (label) {
      // The leading space is not drawn; it keeps "02 Teleworking" apart in the text that
      // assistive technology compares with the button's name (axe: label-content-name-mismatch).
      label.textContent = ` ${state ? state.label : "—"}`;
      // Long state names ("出張・休暇") shrink to fit the desk's width.
      const w = parseFloat(rect.getAttribute("width"));
      const base = parseFloat(label.dataset.size);
      label.setAttribute("font-size", String(Math.min(base, (w * 0.9) / label.textContent.trim().length)));
    }
    const number = selects.get(id)?.dataset.number || g.querySelector("text").textContent;
    g.setAttribute("aria-label", `${number} ${state ? state.label : UNRECORDED}`);
  }

  function updateCount() {
    if (!countOutput) return;
    const done = order.filter((id) => stateOf(id)).length;
    countOutput.textContent = countTemplate.replace("{done}", String(done));
  }

  // The selected desk is outlined by a ring drawn after every desk, so the desks keep their
  // plan order in the SVG (and so their Tab order) whatever is selected.
  const rings = new Map();
  function ringOf(svg) {
    if (!rings.has(svg)) {
      const ring = document.createElementNS(SVG, "rect");
      ring.setAttribute("class", "round-selection-ring");
      ring.setAttribute("fill", "none");
      ring.setAttribute("stroke", "#dc3545");
      ring.setAttribute("pointer-events", "none");
      ring.setAttribute("aria-hidden", "true");
      svg.appendChild(ring);
      rings.set(svg, ring);
    }
    return rings.get(svg);
  }

  function showRing(g) {
    rings.forEach((ring) => { ring.style.display = "none"; });
    if (!g) return;
    const rect = g.querySelector("rect");
    const ring = ringOf(g.ownerSVGElement);
    const w = parseFloat(rect.getAttribute("width"));
    const h = parseFloat(rect.getAttribute("height"));
    const pad = parseFloat(rect.dataset.stroke) * 1.5;
    ring.setAttribute("x", String(-pad));
    ring.setAttribute("y", String(-pad));
    ring.setAttribute("width", String(w + 2 * pad));
    ring.setAttribute("height", String(h + 2 * pad));
    ring.setAttribute("stroke-width", String(pad * 1.2));
    ring.setAttribute("transform", g.getAttribute("transform") || "");
    ring.style.display = "";
  }

  // Keep the desk visible between the top of the window and the sticky toolbar at the
  // bottom (on a tablet the toolbar covers the lower third of the screen).
  const toolbar = document.querySelector(".round-toolbar");
  function keepInView(g) {
    const box = g.getBoundingClientRect();
    const limit = (toolbar ? toolbar.getBoundingClientRect().top : window.innerHeight) - 12;
    const top = 12;
    if (box.bottom > limit) {
      window.scrollBy({ top: Math.min(box.bottom - limit, box.top - top), behavior: "instant" });
    } else if (box.top < top) {
      window.scrollBy({ top: box.top - top, behavior: "instant" });
    }
  }

  function choose(id, scroll = true) {
    if (selected) {
      const old = groups.get(selected);
      old?.classList.remove("is-selected");
      old?.setAttribute("aria-pressed", "false");
    }
    selected = id;
    const g = groups.get(id);
    if (g) {
      g.classList.add("is-selected");
      g.setAttribute("aria-pressed", "true");
      showRing(g);
      if (document.activeElement !== g) g.focus({ preventScroll: true });
      if (scroll) keepInView(g);
    }
    if (selectedOutput) selectedOutput.textContent = selects.get(id)?.dataset.number || "—";
    document.querySelectorAll(".state-button").forEach((b) => {
      b.setAttribute("aria-pressed", String(b.dataset.state === stateOf(id)));
    });
  }

  function nextDesk(after) {
    const start = order.indexOf(after);
    for (let i = 1; i <= order.length; i += 1) {
      const id = order[(start + i) % order.length];
      if (!stateOf(id)) return id;
    }
    return order[(start + 1) % order.length];
  }

  function setState(id, value) {
    const select = selects.get(id);
    if (!select || !byValue.has(value)) return;
    if (select.value !== value) dirty = true;
    select.value = value;
    paint(id);
    updateCount();
  }

  groups.forEach((g, id) => {
    decorate(g);
    paint(id);
  });
  if (!editable) return;

  const list = document.getElementById("desk-list");
  if (list && groups.size) list.open = false;

  groups.forEach((g, id) => {
    g.addEventListener("click", () => choose(id, false));
    g.addEventListener("focus", () => { if (selected !== id) choose(id, false); });
    g.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        choose(id);
      }
    });
  });
  document.querySelectorAll(".state-button").forEach((button) => {
    button.addEventListener("click", () => {
      if (!selected) {
        choose(nextDesk(order[order.length - 1]));
      }
      const id = selected;
      setState(id, button.dataset.state);
      choose(nextDesk(id));
    });
  });
  document.addEventListener("keydown", (event) => {
    if (!selected || event.target.matches("select, input, textarea")) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (step) { // arrow keys walk the desks in plan order
      event.preventDefault();
      const index = order.indexOf(selected);
      choose(order[(index + step + order.length) % order.length]);
      return;
    }
    const state = states.find((s) => String(s.key) === event.key);
    if (state) {
      event.preventDefault();
      const id = selected;
      setState(id, state.value);
      choose(nextDesk(id));
    }
  });
  selects.forEach((select, id) => {
    select.addEventListener("change", () => {
      dirty = true;
      paint(id);
      updateCount();
    });
  });
  document.getElementById("fill-absent")?.addEventListener("click", () => {
    order.forEach((id) => {
      if (!stateOf(id)) setState(id, "absent");
    });
  });
  form.addEventListener("submit", () => {
    dirty = false;
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  const first = order.find((id) => !stateOf(id)) || order[0];
  if (first) choose(first);
})();
