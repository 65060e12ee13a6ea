// Fake classic Google Analytics (ga.js) for offline tests.
(function(){
var d = '.' + location.hostname.replace(/^www\./, '');
var now = Math.floor(Date.now()/1000), id = Math.floor(Math.random()*2147483647);
if (!/__utma=/.test(document.cookie)) document.cookie = '__utma=1.' + id + '.' + now + '.' + now + '.' + now + '.1; Max-Age=63072000; Path=/; Domain=' + d;
document.cookie = '__utmb=1.1.10.' + now + '; Max-Age=1800; Path=/; Domain=' + d;
document.cookie = '__utmc=1; Path=/; Domain=' + d;
document.cookie = '__utmz=1.' + now + '.1.1.utmcsr=(direct)|utmccn=(direct)|utmcmd=(none); Max-Age=15552000; Path=/; Domain=' + d;
new Image().src = 'https://www.google-analytics.com/__utm.gif?utmwv=5.7.2&utmn=' + id + '&utmhn=' + location.hostname;
})();
