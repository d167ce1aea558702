/* Names for the admin's inputs that Django leaves unnamed for screen readers (WCAG 4.1.2, axe's
   label, select-name and aria-input-field-name rules):
   - an autocomplete (select2) box is named by its field's label (select2 points at its own
     rendering, which is empty until something is chosen);
   - an input in a tabular inline's row is named by its column's heading and the row's number.
   Runs after the admin's own scripts, and again whenever select2 or an added row changes the page. */
(function () {
  "use strict";
  function text(node) { return node ? node.textContent.replace(/\s+/g, " ").trim() : ""; }

  function columnName(input) {
    var cell = input.closest("td");
    var table = input.closest(".tabular table");
    if (!cell || !table) { return ""; }
    var head = table.querySelectorAll("thead th")[Array.prototype.indexOf.call(cell.parentNode.children, cell)];
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr.form-row"));
    return head ? text(head) + " " + (rows.indexOf(cell.parentNode) + 1) : "";
  }

  function nameAutocompletes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = document.querySelector('label[for="' + select.id + '"]');
      var name = label ? text(label).replace(/[:：]$/, "") : columnName(select);
      var box = select.parentNode.querySelector(".select2-selection");
      if (!box || !name) { return; }
      box.setAttribute("aria-label", name);
      box.removeAttribute("aria-labelledby");
      var shown = box.querySelector('[role="textbox"]');
      if (shown) { shown.setAttribute("aria-label", name); }
    });
  }

  function nameTabularCells(root) {
    root.querySelectorAll(".tabular table").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), text);
      table.querySelectorAll("tbody tr.form-row").forEach(function (row, index) {
        Array.prototype.forEach.call(row.children, function (cell, column) {
          var head = heads[column];
          if (!head) { return; }
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (input) {
            var labelled = input.id && document.querySelector('label[for="' + input.id + '"]');
            if (!labelled && !input.getAttribute("aria-label")) {
              input.setAttribute("aria-label", head + " " + (index + 1));
            }
          });
        });
      });
    });
  }

  var pending = false;
  function run() { pending = false; nameAutocompletes(document); nameTabularCells(document); }
  function soon() { if (!pending) { pending = true; window.setTimeout(run, 0); } }
  window.addEventListener("load", function () {
    run();
    // select2 (re)draws its boxes after load and for added inline rows: name what it draws.
    new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
  });
})();
