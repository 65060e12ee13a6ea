//go:build !linux

package knowncookies

func cpuNow() int64 { return 0 }
