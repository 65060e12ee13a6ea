// Fake Didomi (sdk.privacy-center.org/<key>/loader.js) for the consent
// fixtures: #didomi-host with the notice and its real button ids, the
// didomi_token cookie (base64 JSON of enabled and disabled purposes) and a
// TCF euconsent-v2 with __tcfapi (CMP id 7). The reject is the "Continuer
// sans accepter" link of French notices.
(function () {
  var K = window.CmpKit;
  var purposes = ['cookies', 'select_basic_ads', 'create_ads_profile', 'select_personalized_ads', 'measure_ad_performance', 'market_research', 'improve_products'];
  function token() { var t = K.getCookie('didomi_token'); if (!t) return null; try { return JSON.parse(atob(t)); } catch (e) { return null; } }
  var changed = K.tcfapi(7, function () { return K.getCookie('euconsent-v2'); }, function () { return !!document.getElementById('didomi-notice'); });
  function apply(t) { if (t.purposes && t.purposes.enabled.indexOf('select_personalized_ads') >= 0) K.activate(['marketing']); }
  function save(agree) {
    var now = new Date().toISOString();
    var t = { user_id: 'u-' + Math.random().toString(36).slice(2), created: now, updated: now,
      vendors: { enabled: agree ? ['google', 'c:fixture-ads'] : [], disabled: agree ? [] : ['google', 'c:fixture-ads'] },
      purposes: { enabled: agree ? purposes : [], disabled: agree ? [] : purposes },
      vendors_li: { enabled: ['google'], disabled: [] }, purposes_li: { enabled: [], disabled: [] }, version: 2, ac: 'AkuAEAFkBJYA.AkuAEAFkBJYA' };
    K.setCookie('didomi_token', btoa(JSON.stringify(t)), 365);
    K.setCookie('euconsent-v2', K.tcString({ cmpId: 7, purposes: agree ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] : [], vendors: agree ? [1, 755] : [] }), 365);
    var h = document.getElementById('didomi-notice'); if (h) h.remove();
    document.body.classList.remove('didomi-popup-open');
    apply(t);
    changed();
  }
  window.Didomi = { version: '2.1.0', setUserAgreeToAll: function () { save(true); }, setUserDisagreeToAll: function () { save(false); },
    getCurrentUserStatus: function () { var t = token() || {}; var out = { purposes: {} }; purposes.forEach(function (p) { out.purposes[p] = { id: p, enabled: !!(t.purposes && t.purposes.enabled.indexOf(p) >= 0) }; }); return out; } };
  function render() {
    var host = document.createElement('div');
    host.id = 'didomi-host';
    host.innerHTML = '<div id="didomi-notice" class="didomi-notice-banner didomi-popup-notice" role="dialog" aria-modal="true" style="position:fixed;bottom:0;left:0;right:0;background:#fff;padding:20px;z-index:7000">' +
      '<div class="didomi-notice-text"><h1>Vos choix concernant les cookies</h1><p>Avec votre accord, nous et nos partenaires utilisons des cookies.</p></div>' +
      '<a href="javascript:void(0)" class="didomi-continue-without-agreeing" style="float:right">Continuer sans accepter &rarr;</a>' +
      '<button id="didomi-notice-learn-more-button" class="didomi-components-button">Paramétrer</button> ' +
      '<button id="didomi-notice-agree-button" class="didomi-components-button">Accepter &amp; Fermer</button></div>';
    document.body.appendChild(host);
    document.body.classList.add('didomi-popup-open');
    document.getElementById('didomi-notice-agree-button').onclick = function () { save(true); };
    host.querySelector('.didomi-continue-without-agreeing').onclick = function (e) { e.preventDefault(); save(false); };
  }
  var t = token();
  if (t && t.purposes) apply(t); else K.onBody(render);
  K.ready();
})();
