/* The date pickers' language follows the page's language, not the browser's: Dash's pickers
   take the first matching (else the first) locale of window.dateFns.locale, so the Chinese UI
   offers only zh-CN (assets/date_fns_zh_cn.js) and the English UI none (date-fns' English). */
(function () {
  "use strict";
  var zh = window.dateFns && window.dateFns.locale && window.dateFns.locale.zhCN;

  function apply(lang) {
    window.dateFns = Object.assign({}, window.dateFns, {
      locale: (lang === "en" || !zh) ? {} : {zhCN: zh}
    });
  }

  apply((document.documentElement.lang || "zh").slice(0, 2));
  // The language switch (dashboard/map/page.py) is a radio group with id lang-switch.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.type === "radio" && target.closest && target.closest("#lang-switch")) {
      apply(target.value);
    }
  }, true);
})();
