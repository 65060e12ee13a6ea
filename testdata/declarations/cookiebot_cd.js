/* Cookiebot declaration script (shape as served by consent.cookiebot.com/<cbid>/cd.js) */
var CookieDeclaration = window.CookieDeclaration || {};
CookieDeclaration.culture = 'da';
CookieDeclaration.InjectCookieDeclaration = function (html) { document.getElementById('CookieDeclaration').innerHTML = html; };
CookieDeclaration.InjectCookieDeclaration('<div class=\"CookieDeclaration\" lang=\"da\"><p class=\"CookieDeclarationDialogText\">Denne hjemmeside bruger cookies.<\/p>' +
'<div class=\"CookieDeclarationType\"><div class=\"CookieDeclarationTypeHeader\">N\u00f8dvendige (1)<\/div><table class=\"CookieDeclarationTable\"><tr><th>Navn<\/th><th>Udbyder<\/th><th>Form\u00e5l<\/th><th>Maksimal lagringsperiode<\/th><th>Type<\/th><\/tr>' +
'<tr><td>CookieConsent<\/td><td>Cookiebot<\/td><td>Gemmer brugerens cookie-samtykke for dette dom\u00e6ne<\/td><td>1 \u00e5r<\/td><td>HTTP Cookie<\/td><\/tr><\/table><\/div>' +
'<div class=\"CookieDeclarationType\"><div class=\"CookieDeclarationTypeHeader\">Statistik (2)<\/div><table class=\"CookieDeclarationTable\"><tr><th>Navn<\/th><th>Udbyder<\/th><th>Form\u00e5l<\/th><th>Maksimal lagringsperiode<\/th><th>Type<\/th><\/tr>' +
'<tr><td>_ga<\/td><td>Google<\/td><td>Registrerer et unikt ID.<\/td><td>2 \u00e5r<\/td><td>HTTP Cookie<\/td><\/tr>' +
'<tr><td>_ga_#<\/td><td>Google<\/td><td>Indsamler data om antal bes\u00f8g.<\/td><td>2 \u00e5r<\/td><td>HTTP Cookie<\/td><\/tr><\/table><\/div>' +
'<div class=\"CookieDeclarationType\"><div class=\"CookieDeclarationTypeHeader\">Marketing (1)<\/div><table class=\"CookieDeclarationTable\"><tr><th>Navn<\/th><th>Udbyder<\/th><th>Form\u00e5l<\/th><th>Maksimal lagringsperiode<\/th><th>Type<\/th><\/tr>' +
'<tr><td>_fbp<\/td><td>Meta Platforms, Inc.<\/td><td>Bruges til annoncering.<\/td><td>3 m\u00e5neder<\/td><td>HTTP Cookie<\/td><\/tr><\/table><\/div><\/div>');
