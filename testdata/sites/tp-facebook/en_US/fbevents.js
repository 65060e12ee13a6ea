// Fake Meta pixel (fbevents.js) for offline tests.
(function(){
var d = '.' + location.hostname.replace(/^www\./, '');
if (!/(^|; )_fbp=/.test(document.cookie)) document.cookie = '_fbp=fb.1.' + Date.now() + '.' + Math.floor(Math.random()*2147483647) + '; Max-Age=7776000; Path=/; Domain=' + d;
new Image().src = 'https://www.facebook.com/tr/?id=1234567890&ev=PageView&dl=' + encodeURIComponent(location.href);
})();
