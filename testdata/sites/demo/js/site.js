// Kystbyg site script: the cookie notice and the tags it lets through.
(function () {
  function readConsent() {
    var m = document.cookie.match(/(?:^|; )kystbyg_consent=([^;]*)/);
    return m ? decodeURIComponent(m[1]) : null;
  }
  function load(src) {
    var s = document.createElement('script');
    s.src = src; s.async = true;
    document.head.appendChild(s);
  }
  function runTags(consent) {
    if (consent === null) return;
    var all = consent === 'all';
    if (all || consent.indexOf('statistics') >= 0) {
      load('https://www.googletagmanager.com/gtag/js?id=G-KYST123');
      load('https://static.hotjar.com/c/hotjar-3141592.js?sv=6');
    }
    // The Facebook pixel checks that a choice was made, not what it was:
    // after "reject all" it still fires.
    load('https://connect.facebook.net/en_US/fbevents.js');
    if (all || consent.indexOf('marketing') >= 0) {
      load('https://s7.addthis.com/js/300/addthis_widget.js#pubid=ra-kystbyg');
      load('https://static.criteo.net/js/ld/publishertag.js');
    }
    if (all && document.getElementById('chat')) {
      load('https://v2.zopim.com/?kystbyg2026');
    }
  }
  function save(value) {
    document.cookie = 'kystbyg_consent=' + encodeURIComponent(value) + '; Max-Age=31536000; Path=/; Secure; SameSite=Lax';
    var n = document.getElementById('cookie-notice');
    if (n) n.remove();
    runTags(value);
  }
  function notice() {
    var n = document.createElement('div');
    n.id = 'cookie-notice';
    n.setAttribute('role', 'dialog');
    n.setAttribute('aria-label', 'Cookies');
    n.innerHTML =
      '<p>This website uses cookies to give you the best experience and to measure traffic. ' +
      'By clicking OK you accept our use of cookies. <a href="/cookies/">Read more about cookies</a></p>' +
      '<button id="cookie-ok" type="button">OK</button>' +
      '<button id="cookie-settings-open" type="button">Cookie settings</button>' +
      '<div id="cookie-settings">' +
      '<label><input type="checkbox" checked disabled> Necessary</label> ' +
      '<label><input type="checkbox" id="c-statistics"> Statistics</label> ' +
      '<label><input type="checkbox" id="c-marketing"> Marketing</label><br>' +
      '<button id="cookie-save" type="button">Save choices</button>' +
      '<button id="cookie-reject" type="button">Reject all</button>' +
      '</div>';
    document.body.appendChild(n);
    document.getElementById('cookie-ok').onclick = function () { save('all'); };
    document.getElementById('cookie-settings-open').onclick = function () {
      document.getElementById('cookie-settings').style.display = 'block';
    };
    document.getElementById('cookie-reject').onclick = function () { save('necessary'); };
    document.getElementById('cookie-save').onclick = function () {
      var parts = ['necessary'];
      if (document.getElementById('c-statistics').checked) parts.push('statistics');
      if (document.getElementById('c-marketing').checked) parts.push('marketing');
      save(parts.join(','));
    };
  }
  // An A/B-test flag set on every visit, consent or not: nobody declared it.
  if (!/(?:^|; )kbx_t=/.test(document.cookie)) {
    var id = '';
    for (var i = 0; i < 32; i++) id += '0123456789abcdef'[Math.floor(Math.random() * 16)];
    document.cookie = 'kbx_t=' + id + '; Max-Age=2592000; Path=/; Secure; SameSite=Lax';
  }
  function whenReady(fn) {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fn); else fn();
  }
  try { if (!sessionStorage.getItem('kystbyg_visit_start')) sessionStorage.setItem('kystbyg_visit_start', String(Date.now())); } catch (e) {}
  var consent = readConsent();
  if (consent === null) {
    whenReady(notice);
  } else {
    whenReady(function () { runTags(consent); });
  }
})();
