// Fake InMobi (Quantcast) Choice for the consent fixtures, written from
// scratch from the public facts in testdata/sites/cmp-quantcast/README.md.
// Its first layer has no reject: "PLUS D'OPTIONS" opens the second layer,
// whose "TOUT REFUSER" switches every purpose off before "ENREGISTRER ET
// QUITTER" saves. The choice is a TC string of CMP id 10 in euconsent-v2.
(function () {
  var K = window.CmpKit;
  var CMP_ID = 10;
  function stored() { return K.getCookie('euconsent-v2'); }
  var root = null;
  var changed = K.tcfapi(CMP_ID, stored, function () { return !!root && root.style.display !== 'none'; });
  function save(purposes) {
    K.setCookie('euconsent-v2', K.tcString({ cmpId: CMP_ID, purposes: purposes, li: purposes.length ? [2, 7, 8, 9, 10] : [], vendors: purposes.length ? [11, 52, 755] : [] }), 390);
    K.setCookie('addtl_consent', purposes.length ? '1~89.2008.2072' : '1~', 390);
    K.setCookie('accepted_marketing', purposes.indexOf(4) >= 0 ? '1' : '0', 390);
    root.style.display = 'none';
    if (purposes.indexOf(4) >= 0) K.activate(['marketing']);
    changed();
  }
  var all = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  function render() {
    root = K.el('<div id="qc-cmp2-container" data-nosnippet="true"><div class="qc-cmp2-main" id="qc-cmp2-main"><div class="qc-cmp-cleanslate css-1kaql54"><div id="qc-cmp2-ui" role="dialog" aria-label="qc-cmp2-ui" aria-modal="true" tabindex="0" style="position:fixed;left:15%;right:15%;bottom:10%;background:#fff;border:1px solid #777;padding:20px;z-index:2147483647;font-family:sans-serif"></div></div></div></div>');
    document.body.appendChild(root);
    var ui = root.querySelector('#qc-cmp2-ui');
    ui.innerHTML =
      '<div class="qc-cmp2-summary-section"><h2>Nous respectons votre vie privée</h2>' +
      '<div class="qc-cmp2-summary-info"><p>Nos partenaires et nous stockons et/ou accédons à des informations sur un appareil, telles que des cookies, et traitons des données personnelles.</p></div>' +
      '<div class="qc-cmp2-summary-buttons"><button mode="secondary" size="large" class=" css-1hy2vtq">PLUS D\'OPTIONS</button><button mode="primary" size="large" class=" css-47sehv">J\'ACCEPTE</button></div></div>' +
      '<div class="qc-cmp2-consent-info" style="display:none"><div class="qc-cmp2-header-links"><button class="qc-cmp2-link-inline" type="button">TOUT REFUSER</button> <button class="qc-cmp2-link-inline" type="button">TOUT ACCEPTER</button></div>' +
      '<div class="qc-cmp2-list">' + all.map(function (p) { return '<div class="qc-cmp2-list-item"><span>Finalité ' + p + '</span><span class="qc-cmp2-toggle-switch"><button class="qc-cmp2-toggle" role="switch" aria-checked="true" data-purpose="' + p + '">on</button></span></div>'; }).join('') + '</div>' +
      '<div class="qc-cmp2-buttons-desktop"><button mode="primary" size="large" class=" css-47sehv">ENREGISTRER ET QUITTER</button></div></div>';
    var b = ui.querySelectorAll('.qc-cmp2-summary-buttons button');
    var toggles = ui.querySelectorAll('.qc-cmp2-toggle');
    function flip(t) { t.setAttribute('aria-checked', t.getAttribute('aria-checked') === 'true' ? 'false' : 'true'); }
    toggles.forEach(function (t) { t.onclick = function () { flip(t); }; });
    b[1].onclick = function () { save(all); };
    b[0].onclick = function () {
      ui.querySelector('.qc-cmp2-summary-section').style.display = 'none';
      ui.querySelector('.qc-cmp2-consent-info').style.display = 'block';
    };
    var links = ui.querySelectorAll('.qc-cmp2-header-links button');
    links[0].onclick = function () { toggles.forEach(function (t) { t.setAttribute('aria-checked', 'false'); }); };
    links[1].onclick = function () { toggles.forEach(function (t) { t.setAttribute('aria-checked', 'true'); }); };
    ui.querySelector('.qc-cmp2-buttons-desktop button').onclick = function () {
      var on = [];
      toggles.forEach(function (t) { if (t.getAttribute('aria-checked') === 'true') on.push(+t.getAttribute('data-purpose')); });
      save(on);
    };
  }
  if (K.getCookie('accepted_marketing') === '1') K.activate(['marketing']);
  if (!stored()) K.onBody(render);
  K.ready();
})();
