// Fake Moove "GDPR Cookie Compliance" (WordPress plugin) for the consent
// fixtures, from the public facts in testdata/sites/cmp-moove/README.md. The
// bar has no reject: refusing means the settings modal, unticking and saving.
(function () {
  var K = window.CmpKit;
  var rec = null;
  try { var raw = K.getCookie('moove_gdpr_popup'); rec = raw ? JSON.parse(decodeURIComponent(raw)) : null; } catch (e) {}
  function save(third, adv) {
    rec = { strict: '1', thirdparty: third ? '1' : '0', advanced: adv ? '1' : '0' };
    K.setCookie('moove_gdpr_popup', encodeURIComponent(JSON.stringify(rec)), 365);
    document.getElementById('moove_gdpr_cookie_info_bar').classList.add('moove-gdpr-info-bar-hidden');
    document.getElementById('moove_gdpr_cookie_modal').style.display = 'none';
    if (third) K.activate(['marketing']);
  }
  function render() {
    var bar = K.el('<aside id="moove_gdpr_cookie_info_bar" class="moove-gdpr-info-bar-container moove-gdpr-dark-scheme gdpr-infobar-visible" aria-label="GDPR Cookie Banner" style="' + 'position:fixed;left:10%;right:10%;bottom:20px;background:#fff;border:1px solid #888;padding:16px;z-index:2147483000;font-family:sans-serif' + '">' +
      '<div class="moove-gdpr-info-bar-content"><div class="moove-gdpr-cookie-notice"><p>Vi använder cookies för att ge dig den bästa upplevelsen på vår webbplats.</p></div>' +
      '<div class="moove-gdpr-button-holder"><button class="mgbutton moove-gdpr-infobar-allow-all gdpr-fbo-0" aria-label="Acceptera">Acceptera</button> ' +
      '<button class="mgbutton change-settings-button" aria-label="Inställningar">Inställningar</button></div></div></aside>');
    var modal = K.el('<div id="moove_gdpr_cookie_modal" class="gdpr_lightbox-hide" role="complementary" aria-label="GDPR Settings Screen" style="display:none;position:fixed;left:20%;right:20%;top:15%;background:#fff;border:1px solid #888;padding:16px;z-index:2147483001;font-family:sans-serif">' +
      '<div class="moove-gdpr-modal-content"><h3>Integritetsöversikt</h3>' +
      '<label><input type="checkbox" id="moove_gdpr_strict_cookies" value="check" checked disabled> Strikt nödvändiga cookies</label><br>' +
      '<label><input type="checkbox" id="moove_gdpr_performance_cookies" value="check" checked> Cookies från tredje part</label><br>' +
      '<label><input type="checkbox" id="moove_gdpr_advanced_cookies" value="check" checked> Ytterligare cookies</label>' +
      '<div class="moove-gdpr-button-holder"><button class="mgbutton moove-gdpr-modal-allow-all button-visible">Aktivera alla</button> ' +
      '<button class="mgbutton moove-gdpr-modal-save-settings button-visible">Spara ändringar</button></div></div></div>');
    document.body.appendChild(bar);
    document.body.appendChild(modal);
    bar.querySelector('.moove-gdpr-infobar-allow-all').onclick = function () { save(true, true); };
    bar.querySelector('.change-settings-button').onclick = function () { modal.style.display = 'block'; };
    modal.querySelector('.moove-gdpr-modal-allow-all').onclick = function () { save(true, true); };
    modal.querySelector('.moove-gdpr-modal-save-settings').onclick = function () {
      save(modal.querySelector('#moove_gdpr_performance_cookies').checked, modal.querySelector('#moove_gdpr_advanced_cookies').checked);
    };
  }
  window.moove_frontend_gdpr_scripts = { enabled_default: { third_party: '1', advanced: '1' } };
  if (rec && rec.thirdparty === '1') K.activate(['marketing']);
  if (!rec) K.onBody(render);
  K.ready();
})();
