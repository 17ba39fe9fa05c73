// The desk form: a JIS size fills width and depth; "other" lets the user type them.
(() => {
  const size = document.getElementById("id_size");
  const width = document.getElementById("id_width_mm");
  const depth = document.getElementById("id_depth_mm");
  if (!size || !width || !depth) return;
  const sync = () => {
    const custom = size.value === "other";
    if (!custom) {
      const [w, d] = size.value.split("x");
      width.value = w; depth.value = d;
    }
    width.readOnly = !custom; depth.readOnly = !custom;
  };
  size.addEventListener("change", sync);
  sync();
})();
