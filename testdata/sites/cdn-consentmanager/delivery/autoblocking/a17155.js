// Fake consentmanager.net (cdn.consentmanager.net/delivery/autoblocking/<id>.js)
// for the consent fixtures, written from scratch from the public facts in
// testdata/sites/cmp-consentmanager/README.md: the banner #cmpbox inside the
// open shadow root of #cmpwrapper, #cmpwelcomebtnyes a / #cmpwelcomebtnno a,
// a TC string of CMP id 31 in __cmpconsentx<id> (not euconsent-v2) plus
// __cmpcc=1, and the APIs __tcfapi and __cmp('getCMPData'|'setConsent').
(function () {
  var K = window.CmpKit;
  var ID = '17155';
  var CMP_ID = 31;
  var purposes = [];
  for (var i = 1; i <= 10; i++) purposes.push({ id: String(i), name: 'Purpose ' + i });
  purposes.push({ id: 'c51', name: 'Marketing' });
  function stored() { return K.getCookie('__cmpconsentx' + ID); }
  var choice = null; // 1 accept, 0 reject
  var tc = stored();
  if (tc) choice = K.getCookie('__cmpcpcx' + ID) === '__1_2_3_4_5_6_7_8_9_10_c51__' ? 1 : 0;
  var box = null;
  var changed = K.tcfapi(CMP_ID, stored, function () { return !!box && box.style.display !== 'none'; });
  function save(all) {
    choice = all ? 1 : 0;
    var ids = all ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] : [];
    K.setCookie('__cmpconsentx' + ID, K.tcString({ cmpId: CMP_ID, purposes: ids, li: [2, 7, 8, 9, 10], vendors: all ? [10, 32, 755] : [] }), 365);
    K.setCookie('__cmpcc', '1', 365);
    K.setCookie('__cmpcpcx' + ID, all ? '__1_2_3_4_5_6_7_8_9_10_c51__' : '____', 365);
    K.setCookie('__cmpcvcx' + ID, all ? '__s94_s64_s1469_c6085_U__' : '__U__', 365);
    if (box) box.style.display = 'none';
    if (all) K.activate(['marketing']);
    changed();
  }
  window.__cmp = function (cmd, arg) {
    if (cmd === 'setConsent') return save(arg === 1);
    if (cmd === 'consentStatus') return { consentExists: choice !== null, userChoiceExists: choice !== null };
    if (cmd === 'getCMPData') {
      var pc = {};
      purposes.forEach(function (p) { pc[p.id] = choice === 1; });
      return { consentExists: choice !== null, userChoiceExists: choice !== null, purposesList: purposes,
        purposeConsents: pc, purposeLI: { 2: true, 7: true }, vendorsList: [{ id: 's94', name: 'Vimeo' }],
        vendorConsents: { s94: choice === 1 }, vendorLI: {}, consentstring: stored() || '' };
    }
    return undefined;
  };
  function render() {
    var host = K.el('<div id="cmpwrapper" class="cmpwrapper"></div>');
    document.body.appendChild(host);
    var root = host.attachShadow({ mode: 'open' });
    root.innerHTML =
      '<div id="cmpbox" class="cmpbox cmpstyleroot cmpfooterlinkcmp cmpbox2" role="dialog" aria-modal="true" style="position:fixed;left:10%;right:10%;bottom:20px;background:#fff;border:1px solid #999;padding:16px;z-index:2147483640;font-family:sans-serif">' +
      '<div class="cmpboxinner"><div class="cmpboxtxt cmptxt_txt">Wir und unsere Partner verwenden Cookies und ähnliche Technologien, um Informationen auf Ihrem Gerät zu speichern und abzurufen (Einwilligung).</div>' +
      '<div class="cmpboxbtns"><span id="cmpwelcomebtnyes" class="cmpboxbtn cmpboxbtnyes cmptxt_btn_yes"><a href="#" role="button">Alle akzeptieren</a></span> ' +
      '<span id="cmpwelcomebtnno" class="cmpboxbtn cmpboxbtnno cmptxt_btn_no"><a href="#" role="button">Alle ablehnen</a></span> ' +
      '<span id="cmpwelcomebtncustom" class="cmpboxbtn cmpboxbtncustom"><a href="#" role="button">Einstellungen oder ablehnen</a></span></div></div></div>';
    box = root.getElementById('cmpbox');
    root.querySelector('#cmpwelcomebtnyes a').onclick = function (e) { e.preventDefault(); save(true); };
    root.querySelector('#cmpwelcomebtnno a').onclick = function (e) { e.preventDefault(); save(false); };
  }
  if (choice === 1) K.activate(['marketing']);
  if (choice === null) K.onBody(render);
  K.ready();
})();
