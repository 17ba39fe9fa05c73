// The plan core shared by the floor-plan editors (survey plan, proposal layout, and the later
// stages): pointer → millimetres, snapping, rotation, keeping items on the floor, the layout
// warnings, the first free spot, undo, and the save request. Plain ES2020, no build step.
//
// It mirrors engagements/drawing/geometry.py; tests/engagements/test_plan_core_parity.py runs
// both on tests/engagements/plan_cases.json (with node), so change them together.
//
// An item is {x, y, w, d, r} in mm: (x, y) its top-left corner before rotation, turned r
// degrees clockwise about its centre; `label` and `surveyed` are used by the warnings.
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.PlanCore = factory();
})(typeof self !== "undefined" ? self : this, () => {
  "use strict";

  const IGNORE_GAP_MM = 300;
  const FREE_MARGIN_MM = 200;
  const FREE_STEP_MM = 100;

  const round3 = (v) => Math.round(v * 1000) / 1000;
  // Python's round(): halves go to the even neighbour.
  function roundHalfEven(v) {
    const f = Math.floor(v);
    const diff = v - f;
    if (Math.abs(diff - 0.5) < 1e-9) return f % 2 === 0 ? f : f + 1;
    return Math.round(v);
  }

  function snap(value, step = 10) {
    return Math.round(value / step) * step;
  }

  function normaliseRotation(r) {
    return ((Math.round(r) % 360) + 360) % 360;
  }

  function boundingBox(it) {
    const cx = it.x + it.w / 2;
    const cy = it.y + it.d / 2;
    const angle = ((((it.r || 0) % 360) + 360) % 360) * Math.PI / 180;
    const cos = Math.abs(Math.cos(angle));
    const sin = Math.abs(Math.sin(angle));
    const hw = (it.w * cos + it.d * sin) / 2;
    const hd = (it.w * sin + it.d * cos) / 2;
    return { it, x0: round3(cx - hw), y0: round3(cy - hd), x1: round3(cx + hw), y1: round3(cy + hd) };
  }

  // Overlaps and narrow aisles, as proposals' layout check: [{kind, a, b, gap, inherited}].
  function layoutWarnings(items, minAisle, ignoreGap = IGNORE_GAP_MM) {
    const boxes = items.map(boundingBox);
    boxes.sort((a, b) => a.x0 - b.x0 || a.y0 - b.y0);
    const found = [];
    for (let i = 0; i < boxes.length; i++) {
      const a = boxes[i];
      for (let j = i + 1; j < boxes.length; j++) {
        const b = boxes[j];
        if (b.x0 >= a.x1 + minAisle) break;
        const ox = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
        const oy = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
        const inherited = Boolean(a.it.surveyed && b.it.surveyed);
        if (ox > 0 && oy > 0) {
          found.push({ kind: "overlap", a: a.it, b: b.it, gap: 0, inherited });
          continue;
        }
        let gap;
        if (ox > 0) gap = -oy;
        else if (oy > 0) gap = -ox;
        else continue;
        if (gap >= ignoreGap && gap < minAisle) {
          found.push({ kind: "aisle", a: a.it, b: b.it, gap: roundHalfEven(gap), inherited });
        }
      }
    }
    return found;
  }

  // The nearest position at which the turned item lies wholly on the floor {w, d}.
  function clampInside(it, floor) {
    const box = boundingBox(it);
    let dx = 0;
    let dy = 0;
    if (box.x1 > floor.w) dx = floor.w - box.x1;
    if (box.x0 + dx < 0) dx = -box.x0;
    if (box.y1 > floor.d) dy = floor.d - box.y1;
    if (box.y0 + dy < 0) dy = -box.y0;
    const move = (v, delta) => (delta > 0 ? Math.ceil(v + delta) : Math.floor(v + delta));
    return { x: move(it.x, dx), y: move(it.y, dy) };
  }

  function isInside(it, floor) {
    const box = boundingBox(it);
    return box.x0 >= 0 && box.y0 >= 0 && box.x1 <= floor.w && box.y1 <= floor.d;
  }

  // The top-left corner of the first free place for an unturned w × d item, row by row from
  // the top-left corner; null when there is none.
  function firstFreeSpot(floor, w, d, items, margin = FREE_MARGIN_MM, step = FREE_STEP_MM) {
    const blocked = items.map(boundingBox).sort((a, b) => a.x0 - b.x0);
    for (let y = margin; y + d + margin <= floor.d; y += step) {
      const row = blocked.filter((b) => b.y0 - margin < y + d && b.y1 + margin > y);
      let x = margin;
      while (x + w + margin <= floor.w) {
        const hit = row.find((b) => b.x0 - margin < x + w && b.x1 + margin > x);
        if (!hit) return { x, y };
        x = Math.max(x + step, Math.ceil((hit.x1 + margin) / step) * step);
      }
    }
    return null;
  }

  // Capacity in file metres (width in m × shelves), rounded half to even to 0.01 as Python's
  // Decimal.quantize does; "0.00" when either is missing.
  function storageCapacityFm(widthMm, shelves) {
    const w = Math.trunc(Number(widthMm));
    const s = Math.trunc(Number(shelves));
    if (!(w > 0) || !(s > 0)) return "0.00";
    const thousandths = w * s;
    let hundredths = Math.floor(thousandths / 10);
    const rest = thousandths % 10;
    if (rest > 5 || (rest === 5 && hundredths % 2 === 1)) hundredths += 1;
    const whole = Math.floor(hundredths / 100);
    const cents = String(hundredths % 100).padStart(2, "0");
    return `${whole}.${cents}`;
  }

  // The pointer's position in the SVG's user units (millimetres: the viewBox is in mm).
  function toPlan(svg, event) {
    const point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    return point.matrixTransform(svg.getScreenCTM().inverse());
  }

  // Arrow keys: [dx, dy] of one step (with Shift ten), or null for other keys.
  function keyMove(event, step) {
    const s = event.shiftKey ? step * 10 : step;
    const moves = { ArrowLeft: [-s, 0], ArrowRight: [s, 0], ArrowUp: [0, -s], ArrowDown: [0, s] };
    return moves[event.key] || null;
  }

  function isUndoKey(event) {
    return (event.ctrlKey || event.metaKey) && (event.key === "z" || event.key === "Z") && !event.shiftKey;
  }

  // Snapshots of a JSON-able state; `push` before a change, `pop` to go back.
  class UndoStack {
    constructor(limit = 200) { this.limit = limit; this.stack = []; }
    push(state) {
      this.stack.push(JSON.stringify(state));
      if (this.stack.length > this.limit) this.stack.shift();
    }
    pop() {
      const last = this.stack.pop();
      return last === undefined ? null : JSON.parse(last);
    }
    get size() { return this.stack.length; }
    clear() { this.stack = []; }
  }

  function csrfToken() {
    const input = typeof document !== "undefined" && document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // POST a JSON body; resolves to {ok, data, errors} (never rejects).
  async function saveJSON(url, body) {
    let response;
    try {
      response = await fetch(url, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(body),
      });
    } catch (error) {
      return { ok: false, data: null, errors: [String(error)] };
    }
    const data = await response.json().catch(() => ({ ok: false, errors: [response.statusText] }));
    if (!response.ok || !data.ok) return { ok: false, data, errors: data.errors || [response.statusText] };
    return { ok: true, data, errors: [] };
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, (_m, name) => String(values[name]));
  }

  return {
    IGNORE_GAP_MM, FREE_MARGIN_MM, FREE_STEP_MM,
    snap, normaliseRotation, boundingBox, layoutWarnings, clampInside, isInside, firstFreeSpot,
    storageCapacityFm, toPlan, keyMove, isUndoKey, UndoStack, csrfToken, saveJSON, format,
  };
});
