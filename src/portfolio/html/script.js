(function () {
  // Progressive enhancement: without this script the page is complete, only static.
  // A link to an app (#app-3) opens its drill-down.
  function openTarget() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target && target.classList.contains("app")) {
      [].forEach.call(target.querySelectorAll("details"), function (d) { d.open = true; });
    }
  }
  window.addEventListener("hashchange", openTarget); openTarget();
  window.addEventListener("beforeprint", function () {
    [].forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
  var table = document.getElementById("matrix-table");
  if (!table) return;
  var body = table.tBodies[0], rows = [].slice.call(body.rows);
  var controls = document.getElementById("controls"), query = document.getElementById("filter");
  var verdict = document.getElementById("verdict-filter"), shown = document.getElementById("shown");
  controls.hidden = rows.length < 2;
  function apply() {
    var q = query.value.toLowerCase(), w = verdict.value, n = 0;
    rows.forEach(function (r) {
      var ok = r.textContent.toLowerCase().indexOf(q) >= 0 &&
        (!w || (" " + r.getAttribute("data-verdicts") + " ").indexOf(" " + w + " ") >= 0);
      r.hidden = !ok; if (ok) n++;
    });
    shown.textContent = n + " of " + rows.length + " apps shown";
  }
  query.addEventListener("input", apply); verdict.addEventListener("change", apply);
  var heads = [].slice.call(table.tHead.rows[0].cells);
  function key(cell, num) {
    return num ? parseFloat(cell.getAttribute("data-value")) : cell.textContent.trim().toLowerCase();
  }
  heads.forEach(function (th, i) {
    var button = document.createElement("button");
    button.type = "button"; button.textContent = th.textContent; th.textContent = ""; th.appendChild(button);
    button.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending", num = th.classList.contains("num");
      heads.forEach(function (o) { o.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = key(a.cells[i], num), y = key(b.cells[i], num);
        return (num ? x - y : x.localeCompare(y)) * (asc ? 1 : -1);
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  apply();
})();
