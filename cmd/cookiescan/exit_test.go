package main

import "github.com/cookiescan/cookiescan/scan"

// The exit codes as the tests compare them with run's result.
const (
	exitOK       = int(scan.ExitOK)
	exitFindings = int(scan.ExitFindings)
	exitFailure  = int(scan.ExitFailure)
)
