// Fake Cookie-Script (cdn.cookie-script.com/s/<hash>.js) for the consent
// fixtures, from the public facts in testdata/sites/cmp-cookiescript/README.md.
(function () {
  var K = window.CmpKit;
  var raw = K.getCookie('CookieScriptConsent');
  var rec = null;
  try { rec = raw ? JSON.parse(decodeURIComponent(raw)) : null; } catch (e) {}
  function save(all) {
    var cats = all ? ['performance', 'targeting', 'functionality'] : [];
    rec = { bannershown: 1, action: all ? 'accept' : 'reject', consenttime: Math.floor(Date.now() / 1000), categories: JSON.stringify(cats), key: 'b3a1c0de-0000-4000-8000-000000000004' };
    K.setCookie('CookieScriptConsent', encodeURIComponent(JSON.stringify(rec)), 30);
    var b = document.getElementById('cookiescript_injected');
    if (b) b.parentNode.removeChild(b);
    if (all) K.activate(['marketing']);
  }
  function render() {
    var b = K.el('<div id="cookiescript_injected" role="dialog" aria-label="Cookie-Script" style="' + 'position:fixed;left:10%;right:10%;bottom:20px;background:#fff;border:1px solid #888;padding:16px;z-index:2147483000;font-family:sans-serif' + '">' +
      '<div id="cookiescript_header">Este sitio web utiliza cookies</div>' +
      '<div id="cookiescript_description">Utilizamos cookies para analizar el tráfico y mostrar publicidad personalizada.</div>' +
      '<div id="cookiescript_buttons"><div id="cookiescript_accept" tabindex="0" role="button">Aceptar todo</div> ' +
      '<div id="cookiescript_reject" tabindex="0" role="button">Rechazar todo</div> ' +
      '<div id="cookiescript_manage_wrap"><div id="cookiescript_manage" tabindex="0" role="button">Configurar</div></div></div></div>');
    document.body.appendChild(b);
    b.querySelector('#cookiescript_accept').onclick = function () { save(true); };
    b.querySelector('#cookiescript_reject').onclick = function () { save(false); };
  }
  if (rec && rec.action === 'accept') K.activate(['marketing']);
  if (!rec) K.onBody(render);
  K.ready();
})();
