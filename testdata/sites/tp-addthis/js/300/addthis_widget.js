// Fake AddThis widget for offline tests.
(function(){
var d = '.' + location.hostname.replace(/^www\./, '');
document.cookie = '__atuvc=1%7C47; Max-Age=34128000; Path=/; Domain=' + d;
document.cookie = '__atuvs=' + Math.floor(Math.random()*1e15).toString(16) + '; Max-Age=1800; Path=/; Domain=' + d;
new Image().src = 'https://m.addthis.com/live/red_lojson/300lo.gif?pub=ra-kystbyg';
})();
