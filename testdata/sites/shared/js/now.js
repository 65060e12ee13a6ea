document.cookie = 'other=' + location.pathname.replace(/\//g, '') + '; Max-Age=86400; Path=/; SameSite=Lax';
