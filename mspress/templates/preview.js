/* mspress preview: follows the build over server-sent events. A new build replaces the page in place (the scroll
   position kept); a failed one shows its problems over the page, the last good article still under them. Only in
   pages served by `mspress preview`, never in a written file. */
(function () {
  "use strict";
  var meta = document.querySelector("meta[name='mspress-preview']");
  var shown = meta ? Number(meta.getAttribute("content")) : 0;
  var run = meta ? meta.getAttribute("data-run") : "";
  var errorPage = !!document.querySelector("meta[name='mspress-preview-error']");
  var overlay = null;

  function showProblems(problems) {
    if (!problems.length) {
      if (overlay) { overlay.remove(); overlay = null; }
      return;
    }
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "mspress-preview-problems";
      overlay.setAttribute("role", "alert");
      var s = overlay.style;
      s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0"; s.maxHeight = "45vh"; s.overflow = "auto";
      s.margin = "0"; s.padding = "0.8em 1.2em"; s.zIndex = "2147483647"; s.background = "rgba(60, 0, 0, 0.93)";
      s.color = "#fff"; s.font = "13px/1.5 ui-monospace, monospace"; s.whiteSpace = "pre-wrap";
    }
    // Text only: a message quotes the manuscript, which must not become markup.
    overlay.textContent = "mspress: the article has errors; the page shows the last good build.\n\n" + problems.join("\n");
    if (!overlay.isConnected) document.body.appendChild(overlay);
  }

  function rerunScripts(body) {
    // Scripts parsed by DOMParser do not run; the article's own script (reader.js) is run again by a copy.
    var scripts = body.querySelectorAll("script:not([type]), script[type='text/javascript']");
    for (var i = 0; i < scripts.length; i++) {
      if (scripts[i].hasAttribute("data-mspress-preview")) continue;
      var copy = document.createElement("script");
      copy.textContent = scripts[i].textContent;
      scripts[i].replaceWith(copy);
    }
  }

  function refresh(generation, problems) {
    fetch("/", { cache: "no-store" }).then(function (response) { return response.text(); }).then(function (text) {
      var next = new DOMParser().parseFromString(text, "text/html");
      var served = next.querySelector("meta[name='mspress-preview']");
      if (!served || Number(served.getAttribute("content")) < shown) return;
      var x = window.scrollX, y = window.scrollY;
      document.title = next.title;
      var styles = document.head.querySelectorAll("style");
      for (var i = 0; i < styles.length; i++) styles[i].remove();
      var fresh = next.head.querySelectorAll("style");
      for (var j = 0; j < fresh.length; j++) document.head.appendChild(fresh[j]);
      overlay = null;
      document.body.replaceWith(next.body);
      rerunScripts(document.body);
      window.scrollTo(x, y);
      shown = Number(served.getAttribute("content"));
      meta = document.querySelector("meta[name='mspress-preview']");
      if (meta) meta.setAttribute("content", String(shown));
      showProblems(problems);
    });
  }

  var events = new EventSource("/events");
  events.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    if (state.run !== run) { window.location.reload(); return; }  // a new preview process: its numbers start again
    if (state.generation > shown) {
      if (errorPage) { window.location.reload(); return; }
      refresh(state.generation, state.problems);
    } else {
      showProblems(state.problems);
    }
  });
})();
