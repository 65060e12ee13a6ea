// Package cookie holds the nouns that every stage of cookiescan shares: an
// observed cookie and what was seen around it in one consent state, a declared
// cookie, categories, consent states and parties.
//
// It imports only the standard library, so that the classifier, the
// declaration reader, the audit, the reports and the store never depend on the
// browser or the crawler.
package cookie
