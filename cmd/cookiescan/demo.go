package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/cookiescan/cookiescan"
	"github.com/cookiescan/cookiescan/internal/fixture"
)

// demoSite is the bundled demo site's start page.
const demoSite = "https://www.kystbyg.test/"

func newDemoCmd(stdout, stderr io.Writer) *cobra.Command {
	var sf scanFlags
	var of outputFlags
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Scan the bundled demo site (served in-process, offline) in all three consent states",
		Long: `demo starts the bundled fixture sites on a loopback port, maps every host name to it
(the demo site and its third parties: Google Analytics, YouTube, Facebook, AddThis, Zopim,
Hotjar, Criteo) and scans the demo site as "scan" would scan a real one.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			srv, err := fixture.Start(cookiescan.FixtureSites())
			if err != nil {
				return err
			}
			defer srv.Close()
			fmt.Fprintf(stderr, "cookiescan demo: serving the demo site %s and its third parties on %s\n", demoSite, srv.Addr())
			sf.browser.net.insecure = true // the fixture certificate is self-signed
			sf.browser.net.connectTo = append(sf.browser.net.connectTo, fmt.Sprintf("::127.0.0.1:%d", srv.Port()))
			return runScan(cmd.Context(), demoSite, &sf, &of, stdout, stderr)
		},
	}
	addScanFlags(cmd, &sf)
	addOutputFlags(cmd, &of)
	return cmd
}
