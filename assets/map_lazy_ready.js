/* dash-leaflet draws its GeoJSON (and its drawing tool) through React.lazy: the first time one
   renders, React shows a "Loading..." fallback while the module's promise settles, and reveals
   the real component no sooner than 0.5 s after the last fallback it committed (React's
   fallback throttle). On the command map the layers' data requests started only then, about
   half a second after the map itself was drawn; on the print view a snapshot waited as long.

   React.lazy keeps its module once loaded, for every later render. So each such component is
   rendered once here, in a detached root that is dropped at once: rendering it starts the
   module's load (or finds the chunk the page already shipped, dashboard/app.py EAGER_CHUNKS),
   and by the time the page draws the component it renders at once, without a fallback.

   - GeoJSON: as soon as the scripts have run (before the page's layout arrives).
   - EditControl (the ticket batch box's drawing tool, mounted when the box first opens): when
     the pointer or the keyboard reaches the box's entry in the title bar, so its module is
     there when the box's answer mounts it. */
(function () {
  "use strict";
  var React = window.React, ReactDOM = window.ReactDOM, leaflet = window.dash_leaflet;
  if (!React || !ReactDOM || !ReactDOM.createRoot || !leaflet) { return; }
  var BATCH_ENTRY = "ticket-batch-open";  // dashboard/tickets/panel.py BATCH_ENTRY
  var started = {};

  function ready(name) {
    if (started[name] || !leaflet[name]) { return; }
    started[name] = true;
    var root = ReactDOM.createRoot(document.createElement("div"));
    try {
      // The component renders <Suspense><lazy …/></Suspense>: the lazy part starts loading;
      // the root goes before it could render for real (it needs a map around it).
      ReactDOM.flushSync(function () {
        root.render(React.createElement(leaflet[name], {setProps: function () {}}));
      });
    } catch (error) {
      // Only a head start: the page loads the module itself if this did not.
    } finally {
      root.unmount();
    }
  }

  ready("GeoJSON");

  function nearEntry(event) {
    var target = event.target;
    if (target && target.closest && target.closest("#" + BATCH_ENTRY)) {
      ready("EditControl");
    }
  }
  ["pointerover", "pointerdown", "focusin"].forEach(function (type) {
    document.addEventListener(type, nearEntry, true);
  });
})();
