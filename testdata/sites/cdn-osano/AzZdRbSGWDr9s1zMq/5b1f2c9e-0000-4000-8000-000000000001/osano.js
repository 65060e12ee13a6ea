// Fake Osano CMP (cmp.osano.com/<customer>/<config>/osano.js) for the consent
// fixtures, from the public facts in testdata/sites/cmp-osano/README.md. Its
// own cookie is an opaque blob; the choice is read through Osano.cm.getConsent().
(function () {
  var K = window.CmpKit;
  var cats = ['ANALYTICS', 'MARKETING', 'PERSONALIZATION'];
  var consent = null;
  try { var raw = localStorage.getItem('osano_consentmanager'); if (raw) consent = JSON.parse(atob(raw)); } catch (e) {}
  var dialog = null;
  function save(all) {
    consent = { ESSENTIAL: 'ACCEPT', OPT_OUT: all ? 'DENY' : 'ACCEPT' };
    cats.forEach(function (c) { consent[c] = all ? 'ACCEPT' : 'DENY'; });
    var blob = btoa(JSON.stringify(consent));
    localStorage.setItem('osano_consentmanager', blob);
    K.setCookie('osano_consentmanager', encodeURIComponent(blob.split('').reverse().join('')), 365);
    K.setCookie('osano_consentmanager_uuid', 'a4c1e7f2-0000-4000-8000-00000000f1x7', 365);
    if (dialog) dialog.classList.add('osano-cm-dialog--hidden');
    window.Osano.cm.dialogOpen = false;
    if (all) K.activate(['marketing']);
  }
  window.Osano = { cm: {
    dialogOpen: false,
    getConsent: function () { var out = { ESSENTIAL: 'ACCEPT' }; if (consent) cats.forEach(function (c) { out[c] = consent[c]; }); return out; },
    addEventListener: function () {}
  } };
  function render() {
    var w = K.el('<div class="osano-cm-window" dir="ltr"><div role="dialog" aria-live="polite" aria-label="Cookie Consent Banner" class="osano-cm-dialog osano-cm-dialog--position_bottom osano-cm-dialog--type_bar" style="' + 'position:fixed;left:10%;right:10%;bottom:20px;background:#fff;border:1px solid #888;padding:16px;z-index:2147483000;font-family:sans-serif' + '">' +
      '<div class="osano-cm-content"><span class="osano-cm-message">This website stores data such as cookies to enable essential site functionality, as well as marketing, personalization, and analytics.</span></div>' +
      '<div class="osano-cm-dialog__buttons"><button class="osano-cm-manage osano-cm-button">Manage Preferences</button> <button class="osano-cm-denyAll osano-cm-button">Deny</button> <button class="osano-cm-accept-all osano-cm-button">Accept All</button></div></div></div>');
    document.body.appendChild(w);
    dialog = w.querySelector('.osano-cm-dialog');
    window.Osano.cm.dialogOpen = true;
    w.querySelector('.osano-cm-accept-all').onclick = function () { save(true); };
    w.querySelector('.osano-cm-denyAll').onclick = function () { save(false); };
  }
  if (consent && consent.MARKETING === 'ACCEPT') K.activate(['marketing']);
  if (!consent) K.onBody(render);
  K.ready();
})();
