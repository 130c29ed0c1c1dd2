/* chainatlas web atlas: language switch, auto-submitting selectors, progress polling. */
(function () {
  "use strict";
  function setLang(code) {
    document.body.classList.remove("lang-both", "lang-zh", "lang-en");
    document.body.classList.add("lang-" + code);
    document.body.dataset.lang = code;
    document.querySelectorAll(".lang-switch").forEach(function (a) {
      a.classList.toggle("on", a.dataset.lang === code);
    });
    document.querySelectorAll("input[name=lang]").forEach(function (i) { i.value = code; });
    document.querySelectorAll("a[href]").forEach(function (a) {
      var h = a.getAttribute("href");
      if (h.charAt(0) === "/" && h.indexOf("lang=") >= 0) {
        a.setAttribute("href", h.replace(/lang=(both|zh|en)/, "lang=" + code));
      }
    });
    var url = new URL(window.location.href);
    url.searchParams.set("lang", code);
    window.history.replaceState(null, "", url.toString());
  }
  document.querySelectorAll(".lang-switch").forEach(function (a) {
    a.addEventListener("click", function (ev) { ev.preventDefault(); setLang(a.dataset.lang); });
  });
  document.querySelectorAll("select.autosubmit").forEach(function (s) {
    s.addEventListener("change", function () { s.form.submit(); });
  });
  var prog = document.getElementById("progress");
  if (prog) {
    var key = prog.dataset.job;
    var poll = function () {
      fetch("/api/jobs/" + key, { cache: "no-store" }).then(function (r) {
        return r.ok ? r.json() : { state: "done" };
      }).then(function (st) {
        if (st.state === "done" || st.state === "error") { window.location.reload(); return; }
        document.getElementById("progress-message").textContent = st.message || "";
        document.getElementById("progress-elapsed").textContent = st.elapsed_s;
        if (st.fraction) {
          document.getElementById("progress-fill").style.width = Math.round(st.fraction * 100) + "%";
        }
        window.setTimeout(poll, 400);
      }).catch(function () { window.setTimeout(poll, 1000); });
    };
    window.setTimeout(poll, 300);
  }
})();
