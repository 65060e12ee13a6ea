//go:build !linux

package classifier

func cpuNow() int64 { return 0 }
