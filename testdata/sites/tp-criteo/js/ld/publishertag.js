// Fake Criteo publisher tag for offline tests.
(function(){
var d = '.' + location.hostname.replace(/^www\./, '');
document.cookie = 'cto_bundle=' + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2) + '; Max-Age=34128000; Path=/; Domain=' + d;
new Image().src = 'https://sslwidget.criteo.com/event?a=kystbyg&v=5.1.0';
})();
