// Client-side search over search-index.js (the same entries as search.json,
// wrapped so it also loads from file://). Finds clients, people and notes
// by part of their name; every word typed must match.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = (script && script.getAttribute("data-root")) || "";
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!input || !list || !status) return;
  var params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  status.textContent = "Loading the index…";

  function run(entries) {
    var query = input.value.trim().toLowerCase();
    list.textContent = "";
    if (!query) {
      status.textContent = "Type part of a client's, person's or note's name.";
      return;
    }
    var words = query.split(/\s+/);
    var hits = [];
    for (var i = 0; i < entries.length; i++) {
      var e = entries[i];
      var title = e.title.toLowerCase();
      var hay = title + " " + e.sub.toLowerCase() + " " + e.text.toLowerCase();
      var all = true;
      for (var w = 0; w < words.length; w++) {
        if (hay.indexOf(words[w]) < 0) { all = false; break; }
      }
      if (!all) continue;
      var score = title.indexOf(query) === 0 ? 0 : title.indexOf(query) > 0 ? 1 : 2;
      score += e.kind === "client" ? 0 : e.kind === "person" ? 0.1 : 0.2;
      hits.push([score, e]);
    }
    hits.sort(function (a, b) { return a[0] - b[0] || a[1].title.localeCompare(b[1].title); });
    status.textContent = hits.length === 0 ? "Nothing matches “" + input.value + "”." :
      hits.length + " result" + (hits.length === 1 ? "" : "s") + (hits.length > 50 ? ", showing 50" : "");
    hits.slice(0, 50).forEach(function (h) {
      var e = h[1];
      var li = document.createElement("li");
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = e.kind;
      var a = document.createElement("a");
      a.href = root + e.url;
      a.textContent = e.title;
      var sub = document.createElement("span");
      sub.className = "muted";
      sub.textContent = " " + e.sub;
      li.appendChild(kind);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(a);
      li.appendChild(sub);
      list.appendChild(li);
    });
  }

  var tag = document.createElement("script");
  tag.src = root + "search-index.js";
  tag.onload = function () {
    var entries = window.clienteleSearch || [];
    run(entries);
    input.addEventListener("input", function () { run(entries); });
  };
  tag.onerror = function () { status.textContent = "The search index could not be loaded."; };
  document.body.appendChild(tag);
})();
