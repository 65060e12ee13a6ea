// Package knowncookies is cookiescan's known-cookie database: the embedded
// list of cookies and vendors that the project writes and keeps itself, the
// loaders for files in the Open Cookie Database CSV layout and for the
// third-party-web entities JSON, the download of those two upstream files into
// the user's cache, and a fast index that finds the entry for a cookie by exact
// name, case-insensitive name or longest prefix, checked against the cookie's
// domain.
//
// Layers, from strongest to weakest: files the user names (--cookie-db; a file
// named later wins over one named earlier), then the embedded database, then
// the downloaded Open Cookie Database. The embedded data wins over the
// download because it is reviewed with the code, while the download changes
// under our feet and carries known defects (duplicate names with conflicting
// categories, very short wildcard prefixes).
package knowncookies
