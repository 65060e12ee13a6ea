package main

import (
	"context"
	"os"
	"testing"

	"github.com/cookiescan/cookiescan/internal/pgtest"
)

// workerEnv makes the test binary run as the cookiescan command with its
// arguments: the scale tests start real worker processes this way, to kill
// one with SIGKILL, without building the binary first.
const workerEnv = "COOKIESCAN_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(workerEnv) == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	pgtest.Main(m)
}
