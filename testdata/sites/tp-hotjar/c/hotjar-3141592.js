// Fake Hotjar tracking code for offline tests.
(function(){
var d = '.' + location.hostname.replace(/^www\./, '');
var id = 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, function(c){var r=Math.random()*16|0;return (c=='x'?r:(r&3|8)).toString(16);});
document.cookie = '_hjSessionUser_3141592=' + btoa(JSON.stringify({id: id, created: Date.now(), existing: false})) + '; Max-Age=31536000; Path=/; Domain=' + d;
document.cookie = '_hjSession_3141592=' + btoa(JSON.stringify({id: id, c: Date.now(), s: 0, r: 0})) + '; Max-Age=1800; Path=/; Domain=' + d;
fetch('https://in.hotjar.com/api/v2/client/sites/3141592/visit-data?sv=6', {method: 'POST', mode: 'no-cors', body: '{}'});
})();
