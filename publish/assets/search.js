/* Rådslag published site: search in the browser, no server and no network.
   The index is a script (search-index.js) assigning window.RADSLAG_INDEX, so the
   search also works when the site is opened from a folder (file://).
   Every text from the index is shown with textContent, never as HTML. */
(function () {
  "use strict";
  var data = window.RADSLAG_INDEX;
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!data || !form || !input || !list) { return; }

  // Case and accents folded on both sides; Swedish compounds are found by substring.
  function fold(s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function terms(q) {
    return fold(q).split(/[^0-9a-z]+/).filter(function (w) { return w.length > 1; });
  }
  var docs = data.entries.map(function (e) {
    return { e: e, title: fold(e.t), text: fold(e.t + " " + e.m + " " + e.x) };
  });

  function count(hay, term) {
    var n = 0, i = hay.indexOf(term);
    while (i !== -1 && n < 50) { n++; i = hay.indexOf(term, i + term.length); }
    return n;
  }
  function snippet(text, term) {
    var i = fold(text).indexOf(term);
    var start = Math.max(0, i - 80);
    var piece = text.slice(start, start + 220);
    return (start > 0 ? "… " : "") + piece + (start + 220 < text.length ? " …" : "");
  }

  function search(q) {
    var ts = terms(q);
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!ts.length) { status.textContent = q.trim() ? data.strings.empty : ""; return; }
    var hits = [];
    docs.forEach(function (d) {
      var matched = 0, score = 0;
      ts.forEach(function (term) {
        var n = count(d.text, term);
        if (n) { matched++; score += 1 + Math.log(n) + (d.title.indexOf(term) !== -1 ? 2 : 0); }
      });
      if (matched) { hits.push({ d: d, matched: matched, score: score }); }
    });
    // Items with every word first, then by how often and where the words occur.
    hits.sort(function (a, b) { return (b.matched - a.matched) || (b.score - a.score); });
    var best = hits.length ? hits[0].matched : 0;
    hits = hits.filter(function (h) { return h.matched === best; }).slice(0, 50);
    if (!hits.length) { status.textContent = data.strings.none; return; }
    status.textContent = hits.length === 1 ? data.strings.count_one
      : data.strings.count.replace("{n}", String(hits.length));
    hits.forEach(function (hit) {
      var e = hit.d.e;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = e.u;
      a.textContent = e.t;
      var meeting = document.createElement("span");
      meeting.className = "meeting";
      meeting.textContent = e.m;
      var p = document.createElement("p");
      p.className = "snippet";
      p.textContent = snippet(e.x, ts[0]);
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(meeting);
      li.appendChild(p);
      list.appendChild(li);
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    search(input.value);
  });
  input.addEventListener("input", function () { search(input.value); });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { input.value = q; search(q); }
})();
