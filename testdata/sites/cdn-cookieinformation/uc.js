// Fake Cookie Information (policy.app.cookieinformation.com/uc.js) for the
// consent fixtures: the coi banner classes and ids, a settings layer with the
// cookie_cat_* switches, and CookieInformationConsent in its real format
// (URL-encoded JSON). The first layer has no reject: "Indstillinger" opens
// the details, where the visitor unticks and saves.
(function () {
  var K = window.CmpKit;
  var cats = ['cookie_cat_necessary', 'cookie_cat_functional', 'cookie_cat_statistic', 'cookie_cat_marketing', 'cookie_cat_unclassified'];
  var raw = K.getCookie('CookieInformationConsent');
  var stored = null;
  if (raw) { try { stored = JSON.parse(decodeURIComponent(raw)); } catch (e) { stored = null; } }
  function apply(approved) {
    if (approved.indexOf('cookie_cat_marketing') >= 0) K.activate(['marketing']);
    if (approved.indexOf('cookie_cat_statistic') >= 0) K.activate(['statistics']);
  }
  function save(approved) {
    var c = {
      website_uuid: '3c0c2a4e-0000-4000-8000-0000000000c1', timestamp: new Date().toISOString(),
      consent_url: location.href, consent_website: location.hostname, consent_domain: location.hostname,
      user_uid: Math.random().toString(36).slice(2),
      consents_approved: approved,
      consents_denied: cats.filter(function (c) { return approved.indexOf(c) < 0; }),
      user_agent: navigator.userAgent
    };
    K.setCookie('CookieInformationConsent', encodeURIComponent(JSON.stringify(c)), 365);
    apply(approved);
    var w = document.getElementById('cookie-information-template-wrapper');
    if (w) w.style.display = 'none';
  }
  window.CookieInformation = {
    config: { cdnUrl: 'https://policy.app.cookieinformation.com' },
    submitAllCategories: function () { save(cats.slice()); },
    declineAllCategories: function () { save(['cookie_cat_necessary']); },
    getConsentGivenFor: function (c) { var s = K.getCookie('CookieInformationConsent'); return !!s && decodeURIComponent(s).indexOf('"' + c + '"') > 0 && JSON.parse(decodeURIComponent(s)).consents_approved.indexOf(c) >= 0; }
  };
  function sw(id, label, on, disabled) {
    return '<div class="coi-consent-banner__category-container"><label for="' + id + '">' + label + '</label>' +
      '<input type="checkbox" id="' + id + '"' + (on ? ' checked' : '') + (disabled ? ' disabled' : '') + '></div>';
  }
  function render() {
    var w = K.el(
      '<div id="cookie-information-template-wrapper">' +
      '<div id="coiOverlay" style="position:fixed;inset:0;background:rgba(0,0,0,.4);z-index:3000">' +
      '<div id="coiConsentBanner" role="dialog" aria-modal="true" style="position:absolute;bottom:0;left:0;right:0;background:#fff;padding:18px">' +
      '<div class="coi-banner__page"><div class="coi-banner__summary"><h2>Vi bruger cookies</h2>' +
      '<p class="coi-banner__text">Vi bruger cookies til at forbedre din oplevelse, til statistik og til marketing.</p></div>' +
      '<div class="coi-banner__page-footer">' +
      '<button class="coi-banner__nextpage">Indstillinger</button> ' +
      '<button class="coi-banner__accept">Accepter alle</button></div></div>' +
      '<div class="coi-banner__page coi-banner__details" style="display:none">' +
      sw('cookie_cat_necessary', 'Nødvendige', true, true) + sw('cookie_cat_functional', 'Funktionelle', true) +
      sw('cookie_cat_statistic', 'Statistiske', true) + sw('cookie_cat_marketing', 'Marketing', true) +
      sw('cookie_cat_unclassified', 'Uklassificerede', true) +
      '<button id="updateButton" class="coi-banner__save">Gem indstillinger</button></div></div></div></div>');
    document.body.appendChild(w);
    w.querySelector('.coi-banner__accept').onclick = function () { save(cats.slice()); };
    w.querySelector('.coi-banner__nextpage').onclick = function () {
      w.querySelector('.coi-banner__details').style.display = 'block';
      w.querySelector('.coi-banner__page').style.display = 'none';
    };
    w.querySelector('#updateButton').onclick = function () {
      save(cats.filter(function (c) { return document.getElementById(c).checked; }));
    };
  }
  if (stored) apply(stored.consents_approved || []); else K.onBody(render);
  K.ready();
})();
