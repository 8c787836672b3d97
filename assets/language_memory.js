/* The command map remembers its language: when the 中文 / English switch changes, the choice
   goes into a cookie (dashboard/page_language.py LANG_COOKIE) that the server reads to lay
   out the next page in it (a reload, the next visit), and the document's `lang` follows
   (screen readers, fonts, the phone's sheet buttons: assets/phone-map.js listens for the
   "gc-lang" event sent here). */
(function () {
  "use strict";
  var COOKIE = "gridcmd_lang";
  var YEAR_S = 365 * 24 * 3600;

  function chosen() {
    var input = document.querySelector("#lang-switch input:checked");
    return input && input.value === "en" ? "en" : (input ? "zh" : null);
  }

  var last = null;
  function follow() {
    var lang = chosen();
    if (!lang || lang === last) { return; }
    var first = last === null;
    last = lang;
    document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
    if (!first) {  // the page opened in it: nothing to remember yet
      document.cookie = COOKIE + "=" + lang + "; path=/; max-age=" + YEAR_S + "; SameSite=Lax";
    }
    document.dispatchEvent(new CustomEvent("gc-lang", {detail: lang}));
  }

  document.addEventListener("change", function (event) {
    if (event.target && event.target.closest && event.target.closest("#lang-switch")) {
      follow();
    }
  });
  new MutationObserver(follow).observe(document.documentElement, {childList: true, subtree: true});
  follow();
})();
