// clientele serve: live reload. Injected into every served page with the
// page's CSP nonce; serve replaces the two placeholders in double
// underscores with the path the site is served under and the overlay's
// style, as JavaScript string literals. A tab reloads when its own page
// changed, for any change when all pages may have (`*`), and always after
// a fix while it shows the error overlay.
(function () {
  var base = __BASE__;
  var es = new EventSource(base + "__clientele/events");
  es.addEventListener("reload", function (e) {
    var here = decodeURIComponent(location.pathname.slice(base.length));
    if (here === "" || here.slice(-1) === "/") here += "index.html";
    if (e.data === "*" || document.getElementById("clientele-overlay") ||
        JSON.parse(e.data).indexOf(here) >= 0) location.reload();
  });
  es.addEventListener("problems", function (e) {
    var o = document.getElementById("clientele-overlay");
    if (!o) {
      o = document.createElement("div");
      o.id = "clientele-overlay";
      o.setAttribute("role", "alert");
      o.setAttribute("style", __STYLE__);
      document.body.appendChild(o);
    }
    o.textContent = "";
    var h = document.createElement("strong");
    h.textContent = "clientele: the last edit has errors; this is the last good site.";
    var p = document.createElement("pre");
    p.style.whiteSpace = "pre-wrap";
    p.textContent = e.data;
    o.appendChild(h);
    o.appendChild(p);
  });
})();
