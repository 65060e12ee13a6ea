package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/cookiescan/cookiescan/internal/fixture"
)

// serveDemo keeps the fixture sites up until ctx ends (Ctrl-C) and prints
// how to scan them: every host name maps to the one loopback port, and the
// fixture certificate is self-signed.
func serveDemo(ctx context.Context, srv *fixture.Server, stdout, stderr io.Writer) error {
	route := fmt.Sprintf("::127.0.0.1:%d", srv.Port())
	var cmps []string
	for _, h := range srv.Hosts() {
		if strings.HasPrefix(h, "www.cmp-") {
			cmps = append(cmps, "https://"+h+"/")
		}
	}
	slices.Sort(cmps)
	fmt.Fprintf(stderr, "cookiescan demo: serving %d fixture hosts on %s until Ctrl-C\n", len(srv.Hosts()), srv.Addr())
	fmt.Fprintf(stdout, `Scan the demo site (a shop with planted cookie violations), from another terminal:
  cookiescan scan %[1]s --connect-to %[2]s -k
Check its consent banner's accept-all and reject-all:
  cookiescan consent %[1]s --connect-to %[2]s -k
Or set the mapping once for every command:
  export COOKIESCAN_CONNECT_TO=%[2]s COOKIESCAN_INSECURE=true
  cookiescan scan %[1]s --format html --output reports/
Sites with a consent platform to try consent on:
  %[3]s
`, demoSite, route, strings.Join(cmps, "\n  "))
	<-ctx.Done()
	fmt.Fprintln(stderr, "cookiescan demo: stopped")
	return nil
}
