// Shared helpers of the fake consent platforms of the consent fixtures. Each
// fake platform renders its real markup and stores consent in its real
// format; this kit only does the plumbing they share.
(function () {
  function setCookie(name, value, days) {
    document.cookie = name + '=' + value + '; Max-Age=' + (days * 86400) + '; Path=/; Secure; SameSite=Lax';
  }
  function getCookie(name) {
    var m = document.cookie.match(new RegExp('(?:^|; )' + name.replace(/[.$?*|{}()[\]\\/+^]/g, '\\$&') + '=([^;]*)'));
    return m ? m[1] : null;
  }
  // activate runs the scripts a site blocked until consent, as platforms do:
  // <script type="text/plain" data-consent="marketing" src="..."></script>
  function activate(categories) {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', function () { activate(categories); });
      return;
    }
    var list = document.querySelectorAll('script[type="text/plain"][data-consent]');
    for (var i = 0; i < list.length; i++) {
      var s = list[i];
      if (categories.indexOf(s.getAttribute('data-consent')) < 0 || s.dataset.activated) continue;
      s.dataset.activated = '1';
      var n = document.createElement('script');
      if (s.src) n.src = s.src; else n.text = s.text;
      document.head.appendChild(n);
    }
  }
  function ready() {
    window.cmpKitReady = true;
    document.documentElement.setAttribute('data-cmp-ready', '1');
  }
  function el(html) {
    var t = document.createElement('template');
    t.innerHTML = html.trim();
    return t.content.firstChild;
  }
  function onBody(fn) {
    if (document.body) fn(); else document.addEventListener('DOMContentLoaded', fn);
  }
  // tcString encodes a TCF v2 core segment (bit layout of the IAB spec).
  function tcString(o) {
    var bits = '';
    function put(v, n) { var s = v.toString(2); while (s.length < n) s = '0' + s; bits += s.slice(-n); }
    function set(list, n) { for (var i = 1; i <= n; i++) bits += list.indexOf(i) >= 0 ? '1' : '0'; }
    var ds = Math.round(Date.now() / 100);
    put(2, 6); put(Math.floor(ds / 4294967296), 4); put(ds % 4294967296, 32);
    put(Math.floor(ds / 4294967296), 4); put(ds % 4294967296, 32);
    put(o.cmpId, 12); put(o.cmpVersion || 1, 12); put(1, 6);
    put(3, 6); put(13, 6); // "DA"
    put(150, 12); put(4, 6); put(0, 1); put(0, 1);
    set([], 12); set(o.purposes, 24); set(o.li || [], 24); put(0, 1);
    put(3, 6); put(10, 6); // "DK"
    var maxV = 0; for (var i = 0; i < o.vendors.length; i++) maxV = Math.max(maxV, o.vendors[i]);
    put(maxV, 16); put(0, 1); set(o.vendors, maxV);
    put(0, 16); put(0, 1);
    while (bits.length % 8) bits += '0';
    var bytes = '';
    for (var j = 0; j < bits.length; j += 8) bytes += String.fromCharCode(parseInt(bits.slice(j, j + 8), 2));
    return btoa(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  // tcfapi installs a minimal __tcfapi that serves the stored TC string.
  function tcfapi(cmpId, getString, displayed) {
    var listeners = [];
    var nextId = 1;
    function data(status) {
      return { tcString: getString() || '', cmpId: cmpId, cmpVersion: 1, gdprApplies: true,
        eventStatus: status, cmpStatus: 'loaded', tcfPolicyVersion: 4 };
    }
    window.__tcfapi = function (cmd, version, cb, param) {
      if (cmd === 'ping') return cb({ gdprApplies: true, cmpLoaded: true, cmpStatus: 'loaded', displayStatus: displayed() ? 'visible' : 'hidden', apiVersion: '2.2', cmpId: cmpId, cmpVersion: 1 }, true);
      if (cmd === 'addEventListener') {
        var d = data(getString() ? 'tcloaded' : 'cmpuishown');
        d.listenerId = nextId++;
        listeners.push({ id: d.listenerId, cb: cb });
        return cb(d, true);
      }
      if (cmd === 'removeEventListener') {
        listeners = listeners.filter(function (l) { return l.id !== param; });
        return cb(true, true);
      }
      cb(null, false);
    };
    return function changed() {
      listeners.forEach(function (l) { var d = data('useractioncomplete'); d.listenerId = l.id; l.cb(d, true); });
    };
  }
  window.CmpKit = { setCookie: setCookie, getCookie: getCookie, activate: activate, ready: ready, el: el,
    onBody: onBody, tcString: tcString, tcfapi: tcfapi };
})();
