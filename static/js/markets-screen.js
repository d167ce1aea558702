/* The gig market's big screen: rotate the pages of today's gigs and refresh each gig's headcount
   left and the day's figures from the data endpoint. Plain ES5 for cheap TV browsers. Without
   this script the page's <noscript> meta refresh rotates and updates it instead; and if the data
   stops coming (the list of gigs changed, or the network failed three times) the page reloads. */
(function () {
  "use strict";
  var root = document.getElementById("screen");
  if (!root) { return; }
  var pages = root.querySelectorAll(".gs-page");
  var current = 0;
  var failures = 0;
  var words = document.getElementById("gs-words");
  var rotate = parseInt(root.getAttribute("data-rotate"), 10) || 15;
  var poll = parseInt(root.getAttribute("data-poll"), 10) || 30;

  for (var i = 0; i < pages.length; i++) {
    if (!pages[i].hasAttribute("hidden")) { current = i; }
  }

  function show(index) {
    for (var j = 0; j < pages.length; j++) {
      if (j === index) { pages[j].removeAttribute("hidden"); } else { pages[j].setAttribute("hidden", ""); }
    }
  }

  function setText(id, value) {
    var el = document.getElementById(id);
    if (el) { el.textContent = String(value); }
  }

  function shownIds() {
    var cells = root.querySelectorAll("[data-left]");
    var ids = [];
    for (var k = 0; k < cells.length; k++) { ids.push(cells[k].getAttribute("data-left")); }
    return ids.join(",");
  }

  function apply(data) {
    var ids = [];
    for (var n = 0; n < data.gigs.length; n++) { ids.push(String(data.gigs[n].id)); }
    if (ids.join(",") !== shownIds()) { window.location.reload(); return; }
    for (var m = 0; m < data.gigs.length; m++) {
      var gig = data.gigs[m];
      var cell = root.querySelector('[data-left="' + gig.id + '"]');
      if (cell) {
        cell.textContent = gig.left > 0 ? gig.left + " " + words.getAttribute("data-people") : words.getAttribute("data-full");
      }
    }
    setText("gs-served", data.served);
    setText("gs-filled", data.filled);
    setText("gs-updated", data.updated);
  }

  function refresh() {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", root.getAttribute("data-url"), true);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) { return; }
      if (xhr.status === 200) {
        failures = 0;
        try { apply(JSON.parse(xhr.responseText)); } catch (e) { failures++; }
      } else {
        failures++;
      }
      if (failures >= 3) { window.location.reload(); }
    };
    xhr.send();
  }

  if (pages.length > 1) {
    window.setInterval(function () { current = (current + 1) % pages.length; show(current); }, rotate * 1000);
  }
  window.setInterval(refresh, poll * 1000);
}());
