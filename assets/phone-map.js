/* The command map on a phone: two buttons that open the layer sheet and the legend
   (assets/phone-map.css shows them only at ≤ 600 px). Added once the map page has rendered;
   other Dash pages (print view, wall) have no .gc-titlebar and get nothing. */
(function () {
  "use strict";
  var LABELS = {zh: ["图层", "图例"], en: ["Layers", "Legend"]};

  function currentLang() {
    return (document.documentElement.lang || "zh").indexOf("en") === 0 ? "en" : "zh";
  }

  // The language switch re-labels the buttons (assets/language_memory.js sends "gc-lang").
  document.addEventListener("gc-lang", function (event) {
    var lang = event.detail === "en" ? "en" : "zh";
    var buttons = document.querySelectorAll(".gc-sheet-toggles button");
    for (var i = 0; i < buttons.length; i++) { buttons[i].textContent = LABELS[lang][i]; }
  });

  function add() {
    if (document.querySelector(".gc-sheet-toggles")) return true;
    if (!document.querySelector(".gc-app .gc-titlebar")) return false;
    var lang = currentLang();
    var box = document.createElement("div");
    box.className = "gc-sheet-toggles";
    [["gc-show-layers", LABELS[lang][0]], ["gc-show-legend", LABELS[lang][1]]].forEach(
      function (pair) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = pair[1];
        button.setAttribute("aria-pressed", "false");
        button.setAttribute("data-sheet", pair[0]);
        button.addEventListener("click", function () {
          var on = document.body.classList.toggle(pair[0]);
          button.setAttribute("aria-pressed", on ? "true" : "false");
        });
        box.appendChild(button);
      });
    document.body.appendChild(box);
    return true;
  }

  var tries = 0;
  var timer = setInterval(function () {
    if (add() || ++tries > 120) clearInterval(timer);
  }, 250);
})();
