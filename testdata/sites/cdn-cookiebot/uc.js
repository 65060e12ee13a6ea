// Fake Cookiebot (consent.cookiebot.com/uc.js) for the consent fixtures:
// the dialog's real ids and the CookieConsent cookie in its real format (a
// JavaScript object literal, URL-encoded), written from scratch.
(function () {
  var K = window.CmpKit;
  var raw = K.getCookie('CookieConsent');
  var state = null;
  if (raw) {
    var v = decodeURIComponent(raw);
    state = {
      preferences: /preferences:true/.test(v), statistics: /statistics:true/.test(v),
      marketing: /marketing:true/.test(v), method: (v.match(/method:'(\w+)'/) || [])[1]
    };
  }
  var CB = {
    version: '2.91.0',
    consent: { necessary: true, preferences: false, statistics: false, marketing: false, method: null },
    hasResponse: !!state, consented: false, declined: false,
    dialog: { visible: false },
    submitCustomConsent: function (p, s, m) { save(p, s, m); },
    withdraw: function () { save(false, false, false); },
    show: function () { render(); }, hide: function () { hide(); }
  };
  window.Cookiebot = CB;
  function apply(p, s, m, method) {
    CB.consent.preferences = p; CB.consent.statistics = s; CB.consent.marketing = m; CB.consent.method = method;
    CB.hasResponse = true; CB.consented = p || s || m; CB.declined = !(p || s || m);
    var cats = []; if (p) cats.push('preferences'); if (s) cats.push('statistics'); if (m) cats.push('marketing');
    K.activate(cats);
  }
  function save(p, s, m) {
    var v = "{stamp:'" + Math.random().toString(36).slice(2) + "',necessary:true,preferences:" + p +
      ',statistics:' + s + ',marketing:' + m + ",method:'explicit',ver:1,utc:" + Date.now() + ",region:'dk'}";
    K.setCookie('CookieConsent', encodeURIComponent(v), 365);
    apply(p, s, m, 'explicit');
    hide();
  }
  function hide() {
    var d = document.getElementById('CybotCookiebotDialog');
    if (d) d.style.display = 'none';
    CB.dialog.visible = false;
  }
  function render() {
    var d = K.el(
      '<div id="CybotCookiebotDialog" role="dialog" aria-modal="true" style="position:fixed;bottom:0;left:0;right:0;background:#fff;border-top:2px solid #333;padding:16px;z-index:1000;font-family:sans-serif">' +
      '<div id="CybotCookiebotDialogBody"><h2>Denne hjemmeside bruger cookies</h2>' +
      '<p>Vi bruger cookies til at tilpasse vores indhold og til at analysere vores trafik.</p>' +
      '<div id="CybotCookiebotDialogBodyLevelWrapper" style="display:none">' +
      '<label><input type="checkbox" id="CybotCookiebotDialogBodyLevelButtonPreferences" checked> Præferencer</label>' +
      '<label><input type="checkbox" id="CybotCookiebotDialogBodyLevelButtonStatistics" checked> Statistik</label>' +
      '<label><input type="checkbox" id="CybotCookiebotDialogBodyLevelButtonMarketing" checked> Marketing</label>' +
      '<button id="CybotCookiebotDialogBodyLevelButtonLevelOptinAllowallSelection">Tillad valgte</button></div></div>' +
      '<div id="CybotCookiebotDialogFooter">' +
      '<button id="CybotCookiebotDialogBodyButtonDecline">Afvis</button> ' +
      '<button id="CybotCookiebotDialogBodyLevelButtonCustomize">Tilpas</button> ' +
      '<button id="CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll">Tillad alle</button></div></div>');
    document.body.appendChild(d);
    CB.dialog.visible = true;
    d.querySelector('#CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll').onclick = function () { save(true, true, true); };
    d.querySelector('#CybotCookiebotDialogBodyButtonDecline').onclick = function () { save(false, false, false); };
    d.querySelector('#CybotCookiebotDialogBodyLevelButtonCustomize').onclick = function () {
      d.querySelector('#CybotCookiebotDialogBodyLevelWrapper').style.display = 'block';
    };
    d.querySelector('#CybotCookiebotDialogBodyLevelButtonLevelOptinAllowallSelection').onclick = function () {
      save(d.querySelector('#CybotCookiebotDialogBodyLevelButtonPreferences').checked,
        d.querySelector('#CybotCookiebotDialogBodyLevelButtonStatistics').checked,
        d.querySelector('#CybotCookiebotDialogBodyLevelButtonMarketing').checked);
    };
  }
  if (state) apply(state.preferences, state.statistics, state.marketing, state.method);
  else K.onBody(render);
  K.ready();
})();
