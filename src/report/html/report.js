// Click a source to see only its documents, findings, rule counts and
// recurring texts.
(function () {
  var data = JSON.parse(document.getElementById("audit-data").textContent);
  var banner = document.getElementById("filter");
  var label = document.getElementById("filter-name");
  function each(sel, f) { Array.prototype.forEach.call(document.querySelectorAll(sel), f); }
  function bars(counts) {
    var max = 0, k;
    for (k in counts) { if (counts[k] > max) { max = counts[k]; } }
    each("#rule-chart g.rule-bar", function (g) {
      var n = counts[g.getAttribute("data-rule")] || 0;
      var rect = g.querySelector("rect.bar");
      rect.setAttribute("width", max ? (n / max) * data.width : 0);
      g.querySelector("text.count").textContent = n;
    });
  }
  function show(group) {
    each("tr.source", function (tr) { tr.classList.toggle("selected", tr.getAttribute("data-group") === group); });
    each("[data-group].doc, [data-group].example", function (el) {
      el.classList.toggle("hidden", group !== null && el.getAttribute("data-group") !== group);
    });
    var none = document.getElementById("no-worst");
    if (none) {
      none.classList.toggle("hidden", group === null || document.querySelector("li.doc[data-group]:not(.hidden)") !== null);
    }
    var shown = 0;
    each("tr.recurring", function (tr) {
      var groups = data.boilerplate[+tr.getAttribute("data-row")] || [];
      var hide = group !== null && groups.indexOf(group) < 0;
      tr.classList.toggle("hidden", hide);
      if (!hide) { shown += 1; }
    });
    var noBoilerplate = document.getElementById("no-boilerplate-shown");
    if (noBoilerplate) { noBoilerplate.classList.toggle("hidden", shown > 0); }
    bars(group === null ? data.rules : (data.groups[group] || {}));
    banner.style.display = group === null ? "none" : "block";
    label.textContent = group === null ? "" : group;
  }
  each("tr.source button", function (b) {
    b.addEventListener("click", function () { show(b.closest("tr").getAttribute("data-group")); });
  });
  document.getElementById("show-all").addEventListener("click", function () { show(null); });
})();
