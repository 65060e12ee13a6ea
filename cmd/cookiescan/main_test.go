package main

import (
	"context"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"testing"

	"github.com/cookiescan/cookiescan/internal/pgtest"
)

// workerEnv makes the test binary run as the cookiescan command with its
// arguments: tests start real cookiescan processes this way (scale workers to
// kill with SIGKILL, a `demo --serve` to stop with Ctrl-C) without building
// the binary first. Signals end the run's context as in main.
const workerEnv = "COOKIESCAN_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(workerEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	pgtest.Main(m)
}

// cookiescanProcess is the cookiescan command as a child process.
func cookiescanProcess(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), workerEnv+"=1")
	return cmd
}
