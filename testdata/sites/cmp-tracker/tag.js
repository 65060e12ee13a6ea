// A fake marketing tag. The consent platform only runs it after marketing
// consent: it sets a first-party marketing cookie and calls a third-party
// pixel that sets its own cookie.
(function () {
  document.cookie = 'mkt_id=m-' + Math.random().toString(36).slice(2) + '; Max-Age=31536000; Path=/; Secure; SameSite=Lax';
  var img = new Image();
  img.src = 'https://px.cmp-tracker.test/px?site=' + encodeURIComponent(location.hostname);
  window.trackerLoaded = true;
})();
