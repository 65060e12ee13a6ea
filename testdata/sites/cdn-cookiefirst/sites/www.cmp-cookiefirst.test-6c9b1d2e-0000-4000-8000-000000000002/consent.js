// Fake CookieFirst (consent.cookiefirst.com/sites/<site>-<uuid>/consent.js)
// for the consent fixtures, from the public facts in testdata/sites/cmp-cookiefirst/README.md.
(function () {
  var K = window.CmpKit;
  var raw = K.getCookie('cookiefirst-consent');
  var rec = null;
  try { rec = raw ? JSON.parse(decodeURIComponent(raw)) : null; } catch (e) {}
  function save(all) {
    rec = { necessary: true, performance: all, functional: all, advertising: all, timestamp: Math.floor(Date.now() / 1000), type: 'category', version: '6c9b1d2e-0000-4000-8000-000000000002' };
    K.setCookie('cookiefirst-consent', encodeURIComponent(JSON.stringify(rec)), 365);
    var r = document.querySelector('.cookiefirst-root');
    if (r) r.parentNode.removeChild(r);
    if (all) K.activate(['marketing']);
  }
  window.CookieFirst = { get consent() { return rec; }, acceptAllCategories: function () { save(true); }, declineAllCategories: function () { save(false); } };
  function render() {
    var r = K.el('<div class="cookiefirst-root notranslate" dir="ltr"><div data-cookiefirst-widget="banner" role="dialog" aria-label="Cookie consent" style="' + 'position:fixed;left:10%;right:10%;bottom:20px;background:#fff;border:1px solid #888;padding:16px;z-index:2147483000;font-family:sans-serif' + '">' +
      '<p>Wij gebruiken cookies om onze website te verbeteren en advertenties te tonen. U kunt uw keuze op elk moment wijzigen.</p>' +
      '<button type="button" data-cookiefirst-action="adjust">Instellingen</button> ' +
      '<button type="button" data-cookiefirst-action="reject">Alles weigeren</button> ' +
      '<button type="button" data-cookiefirst-action="accept">Alles accepteren</button></div></div>');
    document.body.appendChild(r);
    r.querySelector('[data-cookiefirst-action=accept]').onclick = function () { save(true); };
    r.querySelector('[data-cookiefirst-action=reject]').onclick = function () { save(false); };
  }
  if (rec && rec.advertising) K.activate(['marketing']);
  if (!rec) K.onBody(render);
  K.ready();
})();
