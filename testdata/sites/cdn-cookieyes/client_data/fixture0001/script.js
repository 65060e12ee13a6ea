// Fake CookieYes (cdn-cookieyes.com/client_data/<id>/script.js) for the
// consent fixtures: .cky-consent-container with data-cky-tag buttons and the
// cookieyes-consent cookie in its real format (comma-separated key:value).
(function () {
  var K = window.CmpKit;
  var cats = ['functional', 'analytics', 'performance', 'advertisement', 'other'];
  var raw = K.getCookie('cookieyes-consent');
  function parse(v) { var o = {}; decodeURIComponent(v).split(',').forEach(function (kv) { var p = kv.split(':'); o[p[0]] = p[1]; }); return o; }
  function apply(o) { if (o.advertisement === 'yes') K.activate(['marketing']); }
  function save(accept) {
    var o = { consentid: btoa(Math.random().toString(36)).slice(0, 22), consent: accept ? 'yes' : 'no', action: 'yes', necessary: 'yes' };
    cats.forEach(function (c) { o[c] = accept ? 'yes' : 'no'; });
    var v = Object.keys(o).map(function (k) { return k + ':' + o[k]; }).join(',');
    K.setCookie('cookieyes-consent', v, 365);
    var c = document.querySelector('.cky-consent-container'); if (c) c.classList.add('cky-hide'), c.style.display = 'none';
    apply(o);
  }
  window.cookieYes = { version: '3.0', accept: function () { save(true); }, reject: function () { save(false); } };
  function render() {
    var c = K.el('<div class="cky-consent-container cky-box-bottom-left" tabindex="0" style="position:fixed;bottom:12px;left:12px;width:420px;background:#fff;border:1px solid #ccc;padding:16px;z-index:8000">' +
      '<div class="cky-consent-bar" data-cky-tag="notice"><div class="cky-notice"><p class="cky-title">We value your privacy</p>' +
      '<div class="cky-notice-des"><p>We use cookies to enhance your browsing experience, serve personalised ads or content, and analyse our traffic.</p></div>' +
      '<div class="cky-notice-btn-wrapper"><button class="cky-btn cky-btn-customize" data-cky-tag="settings-button">Customise</button> ' +
      '<button class="cky-btn cky-btn-reject" data-cky-tag="reject-button">Reject All</button> ' +
      '<button class="cky-btn cky-btn-accept" data-cky-tag="accept-button">Accept All</button></div></div></div></div>');
    document.body.appendChild(c);
    c.querySelector('[data-cky-tag=accept-button]').onclick = function () { save(true); };
    c.querySelector('[data-cky-tag=reject-button]').onclick = function () { save(false); };
  }
  if (raw && parse(raw).action === 'yes') apply(parse(raw)); else K.onBody(render);
  K.ready();
})();
