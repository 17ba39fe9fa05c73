// The report page: while a build runs, its progress is fetched every two seconds and the list
// of builds replaced (the server renders reports/_builds.html); polling stops when none runs.
(() => {
  const box = document.getElementById("builds");
  if (!box) return;
  const poll = () => {
    const marker = box.querySelector("[data-poll-url]");
    if (!marker) return;
    window.setTimeout(async () => {
      try {
        const response = await fetch(marker.dataset.pollUrl, {credentials: "same-origin"});
        if (response.ok) box.innerHTML = await response.text();
      } catch (error) {
        // the network failed: try again on the next round
      }
      poll();
    }, 2000);
  };
  poll();
})();
