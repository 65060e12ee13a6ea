// Fake Axeptio (static.axept.io/sdk.js) for the consent fixtures, from the
// public facts in testdata/sites/cmp-axeptio/README.md: the widget lives in
// the open shadow root of .axeptio_mount, as in the newer SDK.
(function () {
  var K = window.CmpKit;
  var vendors = ['google_analytics', 'facebook_pixel'];
  var raw = K.getCookie('axeptio_cookies');
  var rec = null;
  try { rec = raw ? JSON.parse(decodeURIComponent(raw)) : null; } catch (e) {}
  if (rec && !rec.$$completed) rec = null;
  var mount = null;
  function save(all) {
    var v = { $$token: Math.random().toString(36).slice(2, 12), $$date: new Date().toISOString(), $$cookiesVersion: { name: 'fixture-fr', identifier: '64f0c0ffee' } };
    vendors.forEach(function (n) { v[n] = all; });
    v.$$completed = true;
    K.setCookie('axeptio_cookies', encodeURIComponent(JSON.stringify(v)), 180);
    K.setCookie('axeptio_authorized_vendors', encodeURIComponent(',' + (all ? vendors.join(',') + ',' : '')), 180);
    K.setCookie('axeptio_all_vendors', encodeURIComponent(',' + vendors.join(',') + ','), 180);
    if (mount) mount.remove();
    if (all) K.activate(['marketing']);
  }
  window.axeptioSDK = { version: 'fixture' };
  function render() {
    mount = K.el('<div class="axeptio_mount"></div>');
    document.body.appendChild(mount);
    var root = mount.attachShadow({ mode: 'open' });
    root.innerHTML = '<div id="axeptio_overlay" class="axeptio_overlay"><div class="axeptio_widget" role="dialog" aria-label="Axeptio" style="' + 'position:fixed;left:10%;right:10%;bottom:20px;background:#fff;border:1px solid #888;padding:16px;z-index:2147483000;font-family:sans-serif' + '">' +
      '<p>Ce site utilise des cookies pour mesurer l\'audience et vous proposer des publicités.</p>' +
      '<button id="axeptio_btn_dismiss" class="ax-discardButton" type="button">Non merci</button> ' +
      '<button id="axeptio_btn_configure" type="button">Je choisis</button> ' +
      '<button id="axeptio_btn_acceptAll" type="button">OK pour moi</button></div></div>';
    root.getElementById('axeptio_btn_acceptAll').onclick = function () { save(true); };
    root.getElementById('axeptio_btn_dismiss').onclick = function () { save(false); };
  }
  if (rec && rec.facebook_pixel) K.activate(['marketing']);
  if (!rec) K.onBody(render);
  K.ready();
})();
