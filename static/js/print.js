// "Print or save as PDF" on briefing packs: printing needs JavaScript, so the button is hidden
// until this runs. The print stylesheet (css/briefing-pack.css) makes the page a committee paper.
for (const button of document.querySelectorAll("[data-app-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
