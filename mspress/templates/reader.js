// mspress reader: a cited entry shown beside its citation on hover or focus; a figure enlarged on a tap.
// The page works without it: citations are links to the list, and every entry links back.
(function () {
  "use strict";
  var tip = document.createElement("div");
  tip.className = "ref-preview";
  tip.setAttribute("role", "tooltip");
  tip.id = "ref-preview";
  tip.hidden = true;
  document.body.appendChild(tip);
  function show(event) {
    var link = event.currentTarget;
    var entry = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!entry) { return; }
    var text = entry.querySelector("p");
    tip.textContent = (text || entry).textContent;
    tip.hidden = false;
    var box = link.getBoundingClientRect();
    var width = Math.min(480, document.documentElement.clientWidth - 16);
    tip.style.width = width + "px";
    tip.style.left = Math.max(8, Math.min(box.left + window.scrollX - width / 2, window.scrollX + document.documentElement.clientWidth - width - 8)) + "px";
    tip.style.top = (box.bottom + window.scrollY + 6) + "px";
    link.setAttribute("aria-describedby", tip.id);
  }
  function hide(event) {
    tip.hidden = true;
    event.currentTarget.removeAttribute("aria-describedby");
  }
  var links = document.querySelectorAll(".cite a[href^='#ref-'], .cite-inline a[href^='#ref-'], .cite-ay a[href^='#ref-']");
  for (var i = 0; i < links.length; i++) {
    links[i].addEventListener("mouseenter", show);
    links[i].addEventListener("focus", show);
    links[i].addEventListener("mouseleave", hide);
    links[i].addEventListener("blur", hide);
  }
  var figures = document.querySelectorAll("main figure");
  for (var j = 0; j < figures.length; j++) {
    figures[j].addEventListener("click", function (event) {
      event.currentTarget.classList.toggle("zoomed");
    });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var open = document.querySelectorAll("figure.zoomed");
      for (var k = 0; k < open.length; k++) { open[k].classList.remove("zoomed"); }
      tip.hidden = true;
    }
  });
})();
