// Fake Usercentrics for the consent fixtures. v3 (web.cmp.usercentrics.eu/ui/
// loader.js) renders into aside#usercentrics-cmp-ui behind a CLOSED shadow
// root, so only CDP's pierce can reach its buttons; v2 (app.usercentrics.eu/
// browser-ui/latest/loader.js, the same file) renders into #usercentrics-root
// behind an open one with data-testid buttons. Both store the choice in
// localStorage uc_settings with per-service status and history, as the real
// bundle does.
(function () {
  var K = window.CmpKit;
  var v2 = /app\.usercentrics\.eu/.test(document.currentScript.src);
  var services = [
    { id: 'H1Vl5NidjWX', name: 'Usercentrics Consent Management Platform', essential: true },
    { id: 'HkocEodjb7', name: 'Google Analytics', essential: false },
    { id: 'S1_9Vsuj-Q', name: 'Fixture Ads', essential: false, marketing: true }
  ];
  function load() { try { return JSON.parse(localStorage.getItem('uc_settings')); } catch (e) { return null; } }
  function apply(st) {
    st.services.forEach(function (s) {
      var def = services.filter(function (d) { return d.id === s.id; })[0];
      if (def && def.marketing && s.status) K.activate(['marketing']);
    });
  }
  function save(accept, action) {
    var now = Date.now();
    var st = { controllerId: Math.random().toString(16).slice(2), id: 'fixture-settings', language: 'en', version: '1.0.0',
      services: services.map(function (s) {
        var on = s.essential || accept;
        return { id: s.id, processorId: 'p' + s.id, status: on,
          history: [{ action: 'onInitialPageLoad', language: 'en', status: s.essential, timestamp: now - 1000, versions: { application: '3.50.0', service: '1.0', settings: '1.0.0' } },
            { action: action, language: 'en', status: on, timestamp: now, versions: { application: '3.50.0', service: '1.0', settings: '1.0.0' } }] };
      }) };
    localStorage.setItem('uc_settings', JSON.stringify(st));
    localStorage.setItem('uc_user_interaction', 'true');
    localStorage.setItem('uc_gcm', JSON.stringify({ adStorage: accept ? 'granted' : 'denied', analyticsStorage: accept ? 'granted' : 'denied', adUserData: accept ? 'granted' : 'denied', adPersonalization: accept ? 'granted' : 'denied' }));
    apply(st);
    if (host) host.style.display = 'none';
    return Promise.resolve();
  }
  var api = {
    acceptAllConsents: function () { return save(true, 'onAcceptAllServices'); },
    denyAllConsents: function () { return save(false, 'onDenyAllServices'); },
    isInitialized: function () { return Promise.resolve(true); },
    getConsentDetails: function () { return Promise.resolve(load()); }
  };
  if (v2) {
    window.UC_UI = { acceptAllConsents: api.acceptAllConsents, denyAllConsents: api.denyAllConsents,
      closeCMP: function () { if (host) host.style.display = 'none'; return Promise.resolve(); },
      areAllConsentsAccepted: function () { var s = load(); return !!s && s.services.every(function (x) { return x.status; }); } };
  } else {
    window.__ucCmp = api;
  }
  var host = null;
  function render() {
    host = document.createElement(v2 ? 'div' : 'aside');
    host.id = v2 ? 'usercentrics-root' : 'usercentrics-cmp-ui';
    document.body.appendChild(host);
    var root = host.attachShadow({ mode: v2 ? 'open' : 'closed' });
    var box = 'position:fixed;bottom:16px;left:16px;right:16px;background:#fff;border:1px solid #555;padding:16px;z-index:4000;font-family:sans-serif';
    if (v2) {
      root.innerHTML = '<div data-testid="uc-container" role="dialog" aria-modal="true" style="' + box + '">' +
        '<div data-testid="uc-default-banner"><h2>Privacy Settings</h2><p>We use cookies and similar technologies with your consent.</p>' +
        '<button data-testid="uc-more-button">Settings</button> <button data-testid="uc-deny-all-button">Deny</button> ' +
        '<button data-testid="uc-accept-all-button">Accept All</button></div></div>';
      root.querySelector('[data-testid=uc-accept-all-button]').onclick = function () { save(true, 'onAcceptAllBtnClick'); };
      root.querySelector('[data-testid=uc-deny-all-button]').onclick = function () { save(false, 'onDenyAllBtnClick'); };
    } else {
      root.innerHTML = '<div id="uc-main-dialog" class="cmp" role="dialog" aria-modal="true" style="' + box + '">' +
        '<div id="uc-center-container"><h2 id="uc-privacy-title">Wir respektieren Ihre Privatsphäre</h2>' +
        '<p>Wir verwenden Cookies und ähnliche Technologien mit Ihrer Einwilligung.</p>' +
        '<div class="uc-buttons-container"><button id="more" class="more uc-more-button" data-action-type="more">Einstellungen</button> ' +
        '<button id="deny" class="deny uc-deny-button" data-action-type="deny">Alle ablehnen</button> ' +
        '<button id="accept" class="accept uc-accept-button" data-action-type="accept">Alle akzeptieren</button></div></div></div>';
      root.querySelector('#accept').onclick = function () { save(true, 'onAcceptAllBtnClick'); };
      root.querySelector('#deny').onclick = function () { save(false, 'onDenyAllBtnClick'); };
    }
  }
  var st = load();
  if (st && localStorage.getItem('uc_user_interaction') === 'true') apply(st); else K.onBody(render);
  K.ready();
})();
