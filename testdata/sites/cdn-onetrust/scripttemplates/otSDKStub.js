// Fake OneTrust (cdn.cookielaw.org/scripttemplates/otSDKStub.js) for the
// consent fixtures: the real banner and preference-centre ids and the
// OptanonConsent cookie in its real format. data-first-layer-reject="false"
// on the script tag makes the banner without a reject button, as many
// tenants configure it.
(function () {
  var K = window.CmpKit;
  var me = document.currentScript;
  var firstReject = me.getAttribute('data-first-layer-reject') !== 'false';
  var groups = ['C0001', 'C0002', 'C0003', 'C0004'];
  var names = { C0001: 'Strictly Necessary', C0002: 'Performance', C0003: 'Functional', C0004: 'Targeting' };
  function parse(v) {
    var m = /groups=([^&]*)/.exec(v || '');
    var out = {};
    if (!m) return null;
    decodeURIComponent(m[1]).split(',').forEach(function (g) { var p = g.split(':'); out[p[0]] = p[1] === '1'; });
    return out;
  }
  var stored = parse(K.getCookie('OptanonConsent'));
  function active(st) { return groups.filter(function (g) { return g === 'C0001' || st[g]; }); }
  function apply(st) {
    window.OnetrustActiveGroups = window.OptanonActiveGroups = ',' + active(st).join(',') + ',';
    if (st.C0004) K.activate(['marketing']);
    if (st.C0002) K.activate(['statistics']);
  }
  function save(st) {
    var g = groups.map(function (id) { return id + ':' + (id === 'C0001' || st[id] ? '1' : '0'); }).join(',');
    var v = 'isGpcEnabled=0&datestamp=' + encodeURIComponent(new Date().toString()) + '&version=202409.1.0' +
      '&isIABGlobal=false&hosts=&consentId=' + Math.random().toString(36).slice(2) + '&interactionCount=1' +
      '&landingPath=NotLandingPage&groups=' + encodeURIComponent(g) + '&geolocation=DK%3B84&AwaitingReconsent=false';
    K.setCookie('OptanonConsent', v, 365);
    K.setCookie('OptanonAlertBoxClosed', new Date().toISOString(), 365);
    apply(st);
    var sdk = document.getElementById('onetrust-consent-sdk');
    if (sdk) { document.getElementById('onetrust-banner-sdk').style.display = 'none'; document.getElementById('onetrust-pc-sdk').style.display = 'none'; }
  }
  function all(on) { var st = {}; groups.forEach(function (g) { st[g] = on || g === 'C0001'; }); return st; }
  window.OneTrust = window.Optanon = {
    AllowAll: function () { save(all(true)); },
    RejectAll: function () { save(all(false)); },
    IsAlertBoxClosed: function () { return !!K.getCookie('OptanonAlertBoxClosed'); }
  };
  function render() {
    var switches = groups.slice(1).map(function (g) {
      return '<div class="ot-cat-item"><label>' + names[g] + ' <input type="checkbox" class="category-switch-handler" id="ot-group-id-' + g + '" data-optanongroupid="' + g + '" checked></label></div>';
    }).join('');
    var sdk = K.el(
      '<div id="onetrust-consent-sdk">' +
      '<div id="onetrust-banner-sdk" class="otFlat" role="region" aria-label="Cookie banner" style="position:fixed;bottom:0;left:0;right:0;background:#fff;padding:16px;border-top:1px solid #999;z-index:2000">' +
      '<div id="onetrust-policy"><p id="onetrust-policy-text">We use cookies to personalise content and ads and to analyse our traffic.</p></div>' +
      '<div id="onetrust-button-group">' +
      '<button id="onetrust-pc-btn-handler">Cookie Settings</button> ' +
      (firstReject ? '<button id="onetrust-reject-all-handler">Reject All</button> ' : '') +
      '<button id="onetrust-accept-btn-handler">Accept All Cookies</button></div></div>' +
      '<div id="onetrust-pc-sdk" class="otPcCenter" role="dialog" style="display:none;position:fixed;top:10%;left:20%;right:20%;background:#fff;padding:16px;border:1px solid #333;z-index:2001">' +
      '<h2 id="ot-pc-title">Privacy Preference Center</h2>' + switches +
      '<div class="ot-pc-footer"><button class="save-preference-btn-handler onetrust-close-btn-handler">Confirm My Choices</button> ' +
      '<button id="accept-recommended-btn-handler">Allow All</button></div></div></div>');
    document.body.appendChild(sdk);
    document.getElementById('onetrust-accept-btn-handler').onclick = function () { save(all(true)); };
    var rej = document.getElementById('onetrust-reject-all-handler');
    if (rej) rej.onclick = function () { save(all(false)); };
    document.getElementById('onetrust-pc-btn-handler').onclick = function () {
      document.getElementById('onetrust-pc-sdk').style.display = 'block';
    };
    document.getElementById('accept-recommended-btn-handler').onclick = function () { save(all(true)); };
    sdk.querySelector('.save-preference-btn-handler').onclick = function () {
      var st = { C0001: true };
      sdk.querySelectorAll('input.category-switch-handler').forEach(function (i) { st[i.getAttribute('data-optanongroupid')] = i.checked; });
      save(st);
    };
  }
  if (stored) apply(stored); else K.onBody(render);
  K.ready();
})();
