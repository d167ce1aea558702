// The ticket page's print button: shown only when scripts run (printing works from the browser's menu too).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
