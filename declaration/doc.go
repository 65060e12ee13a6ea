// Package declaration finds, fetches and reads a website's published cookie
// declaration — HTML tables in any column order and language, consent
// platforms' declarations, headed lists and plain prose — into a
// cookie.Declaration: the cookies it names with vendor, category and
// lifespan, the vendors and services it names without cookie names, the
// categories it uses, whether it promises a way to refuse, and links to
// further declaration pages.
//
// It knows nothing of browsers: pages come through a Fetcher, and a browser
// fetcher that returns the rendered DOM plugs in like the HTTP one.
package declaration
