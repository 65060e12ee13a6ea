//go:build !linux

package declaration

import (
	"testing"
	"time"
)

// processCPU is not measured outside Linux; the benchmarks report wall time.
func processCPU(*testing.B) time.Duration { return 0 }

// peakRSS is not measured outside Linux.
func peakRSS(*testing.B) int64 { return 0 }
