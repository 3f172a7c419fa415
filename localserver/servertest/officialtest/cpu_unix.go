//go:build unix

package officialtest

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time (user and system) the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// ReportCPU measures the process's CPU time per iteration of the loop run, which calls b.Loop,
// and reports it as cpu-ns/op: on a shared machine it shows the work an operation costs
// (client, gateway and database together), whatever else competes for the CPUs.
func ReportCPU(b *testing.B, run func()) {
	start := cpuTime()
	run()
	if b.N > 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	}
}
