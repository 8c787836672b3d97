// The time bar's pause stops the day ticks in the browser at once (dashboard/map/timebar.py):
// the server's answer to the click then sets the button and the store, and no tick sent after
// the click can supersede it.
(function () {
  "use strict";
  var PAUSE = "\u2016";  // the button's face while playing (timebar.PAUSE)

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    gridcmd_time: {
      // (play button clicks, its face) -> the tick's disabled flag
      pause: function (_clicks, face) {
        return face === PAUSE ? true : window.dash_clientside.no_update;
      }
    }
  });
})();
