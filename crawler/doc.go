// Package crawler finds the pages of a site (colly: start URL, sitemap,
// same-site links, robots.txt) and visits them in headless Chrome (chromedp)
// once per consent state, each state in a fresh browser context. On every page
// it records the cookie jar, who set each cookie (the response of a Set-Cookie
// header or the script that wrote document.cookie), the Set-Cookie attempts
// the browser blocked, requests to third-party hosts, and Web Storage keys.
//
// It knows nothing of categories or declarations: it only observes.
package crawler
