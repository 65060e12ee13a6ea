// Fake iubenda Cookie Solution (cdn.iubenda.com/cs/iubenda_cs.js) for the
// consent fixtures, from the public facts in testdata/sites/cmp-iubenda/README.md.
(function () {
  var K = window.CmpKit;
  var cfg = (window._iub && window._iub.csConfiguration) || {};
  var name = '_iub_cs-' + cfg.cookiePolicyId;
  var raw = K.getCookie(name);
  var rec = null;
  try { rec = raw ? JSON.parse(decodeURIComponent(raw)) : null; } catch (e) {}
  function save(all) {
    var v = { timestamp: new Date().toISOString(), version: '1.67.1', purposes: { 1: true, 2: all, 3: all, 4: all, 5: all }, id: cfg.siteId, cons: { rand: Math.random().toString(36).slice(2, 8) } };
    K.setCookie(name, encodeURIComponent(JSON.stringify(v)), 180);
    var b = document.getElementById('iubenda-cs-banner');
    if (b) b.parentNode.removeChild(b);
    if (all) K.activate(['marketing']);
  }
  function render() {
    var b = K.el('<div id="iubenda-cs-banner" class="iubenda-cs-default iubenda-cs-bottom iubenda-cs-visible" role="alertdialog" aria-labelledby="iubenda-cs-title" aria-describedby="iubenda-cs-paragraph" style="' + 'position:fixed;left:10%;right:10%;bottom:20px;background:#fff;border:1px solid #888;padding:16px;z-index:2147483000;font-family:sans-serif' + '">' +
      '<div class="iubenda-cs-container"><div class="iubenda-cs-content"><div class="iubenda-banner-content"><div id="iubenda-cs-title">Informativa</div>' +
      '<div id="iubenda-cs-paragraph"><p class="iub-p">Noi e terze parti selezionate utilizziamo cookie o tecnologie simili per finalità tecniche e, con il tuo consenso, anche per altre finalità come specificato nella cookie policy.</p></div></div>' +
      '<div class="iubenda-cs-opt-group"><div class="iubenda-cs-opt-group-custom"><button class="iubenda-cs-customize-btn">Scopri di più e personalizza</button></div>' +
      '<div class="iubenda-cs-opt-group-consent"><button class="iubenda-cs-reject-btn iubenda-cs-btn-primary">Rifiuta</button> <button class="iubenda-cs-accept-btn iubenda-cs-btn-primary">Accetta</button></div></div></div></div></div>');
    document.body.appendChild(b);
    b.querySelector('.iubenda-cs-accept-btn').onclick = function () { save(true); };
    b.querySelector('.iubenda-cs-reject-btn').onclick = function () { save(false); };
  }
  window._iub.cs = { api: { isConsentGiven: function () { return !!(rec && rec.purposes && rec.purposes[5]); } } };
  if (rec && rec.purposes && rec.purposes[5]) K.activate(['marketing']);
  if (!rec) K.onBody(render);
  K.ready();
})();
