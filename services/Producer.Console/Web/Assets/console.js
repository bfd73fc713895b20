// The console's only script, a static file so the strict CSP (script-src 'self', no inline
// script or handler) allows it. Every page works without it; it only adds two buttons.
(function () {
  'use strict';
  // Location form: fill the coordinates from the phone's position. The button stays hidden where
  // the browser has no geolocation, and the fields remain plain numbers to type.
  var here = document.getElementById('here');
  if (here && navigator.geolocation) {
    here.hidden = false;
    here.addEventListener('click', function () {
      navigator.geolocation.getCurrentPosition(function (p) {
        document.getElementById('f-latitude').value = p.coords.latitude.toFixed(6);
        document.getElementById('f-longitude').value = p.coords.longitude.toFixed(6);
      });
    });
  }
  // Label sheet: the print button (hidden until this script shows it; Ctrl+P prints as well).
  var print = document.getElementById('print');
  if (print) {
    print.hidden = false;
    print.addEventListener('click', function () { window.print(); });
  }
})();
