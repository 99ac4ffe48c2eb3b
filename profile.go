package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"syscall"
)

// ProfileDirEnv, when set, makes every provider process write into that directory a CPU profile
// (cpu-<pid>.pprof), an allocation profile (allocs-<pid>.pprof) and its own CPU time and peak
// RSS (rusage-<pid>.txt) as it exits. It is a developer setting for make profile
// (tools/profile); it changes nothing the provider does.
const ProfileDirEnv = "DSPY_PROFILE_DIR"

// startProfile starts the CPU profile when ProfileDirEnv is set; the returned stop writes the rest.
func startProfile() (stop func()) {
	dir := os.Getenv(ProfileDirEnv)
	if dir == "" {
		return func() {}
	}
	pid := os.Getpid()
	path := func(kind, ext string) string { return filepath.Join(dir, fmt.Sprintf("%s-%d.%s", kind, pid, ext)) }
	cpu, err := os.Create(path("cpu", "pprof"))
	if err != nil {
		return func() {}
	}
	runtime.MemProfileRate = 64 * 1024
	if err := pprof.StartCPUProfile(cpu); err != nil {
		_ = cpu.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		_ = cpu.Close()
		if f, err := os.Create(path("allocs", "pprof")); err == nil {
			_ = pprof.Lookup("allocs").WriteTo(f, 0)
			_ = f.Close()
		}
		var ru syscall.Rusage
		if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
			ms := func(t syscall.Timeval) float64 { return float64(t.Sec)*1000 + float64(t.Usec)/1000 }
			_ = os.WriteFile(path("rusage", "txt"), fmt.Appendf(nil, "user_ms %.1f\nsys_ms %.1f\nmaxrss_kib %d\n", ms(ru.Utime), ms(ru.Stime), ru.Maxrss), 0o644)
		}
	}
}
