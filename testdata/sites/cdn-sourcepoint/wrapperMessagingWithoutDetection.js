// Fake Sourcepoint wrapper (cdn.privacy-mgmt.com) for the consent fixtures.
// The first layer lives in a cross-origin iframe inside
// div#sp_message_container_<id>; its buttons carry sp_choice_type_<n>
// classes (11 accept all, 13 reject all, 12 options). The frame posts the
// choice to this wrapper, which stores euconsent-v2 (a TC string) and
// consentUUID on the site and serves __tcfapi (CMP id 6).
(function () {
  var K = window.CmpKit;
  var msgId = '1043210';
  var tc = K.getCookie('euconsent-v2');
  var changed = K.tcfapi(6, function () { return K.getCookie('euconsent-v2'); }, function () { return !!document.getElementById('sp_message_container_' + msgId); });
  window._sp_ = { version: '3.2.0', config: { accountId: 1234, propertyId: 98765 } };
  function purposesOf(s) {
    // Purpose bits start at bit 152 of the core segment.
    var b = atob(s.split('.')[0].replace(/-/g, '+').replace(/_/g, '/'));
    var bits = '';
    for (var i = 0; i < b.length; i++) bits += ('00000000' + b.charCodeAt(i).toString(2)).slice(-8);
    return bits.slice(152, 176);
  }
  function apply(s) { if (purposesOf(s).indexOf('1') >= 0) K.activate(['marketing']); }
  function choose(accept) {
    var s = K.tcString({ cmpId: 6, purposes: accept ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] : [], vendors: accept ? [1, 2, 10, 21, 755] : [] });
    K.setCookie('euconsent-v2', s, 365);
    K.setCookie('consentUUID', 'c' + Math.random().toString(36).slice(2) + '_7', 365);
    localStorage.setItem('_sp_user_consent_98765', JSON.stringify({ gdpr: { euconsent: s, uuid: 'fixture' } }));
    var c = document.getElementById('sp_message_container_' + msgId);
    if (c) c.remove();
    document.documentElement.classList.remove('sp-message-open');
    apply(s);
    changed();
  }
  window.addEventListener('message', function (e) {
    if (e.origin !== 'https://cdn.privacy-mgmt.com' || !e.data || e.data.type !== 'sp.choice') return;
    choose(e.data.choice === 11);
  });
  function render() {
    var c = K.el('<div id="sp_message_container_' + msgId + '" class="sp_message_container" style="position:fixed;inset:0;z-index:5000;background:rgba(0,0,0,.5)">' +
      '<iframe id="sp_message_iframe_' + msgId + '" title="SP Consent Message" style="position:absolute;left:10%;top:15%;width:80%;height:60%;border:0;background:#fff" ' +
      'src="https://cdn.privacy-mgmt.com/index.html?message_id=' + msgId + '&consentUUID=null&requestUUID=fixture&preload_message=true&version=v1"></iframe></div>');
    document.body.appendChild(c);
    document.documentElement.classList.add('sp-message-open');
  }
  if (tc) apply(tc); else K.onBody(render);
  K.ready();
})();
