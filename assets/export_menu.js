/* The title bar's 导出 menu (a <details>, dashboard/export/menu.py) closes like a menu: on a
   click anywhere outside it, on Escape, and once one of its links is followed. Left to
   itself a <details> stays open until its own summary is clicked again. */
(function () {
  "use strict";
  var MENU = ".gc-export[open]";

  function closeAll(except) {
    var open = document.querySelectorAll(MENU);
    for (var i = 0; i < open.length; i++) {
      if (open[i] !== except) { open[i].open = false; }
    }
  }

  document.addEventListener("click", function (event) {
    var inside = event.target && event.target.closest ? event.target.closest(".gc-export") : null;
    if (inside && event.target.closest(".gc-export-item")) {
      inside.open = false;  // a download started: the menu has done its job
      return;
    }
    closeAll(inside);
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { closeAll(null); }
  });
})();
